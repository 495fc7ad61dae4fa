"""The transcript PDF with its verifiable credential: the same for the API, the web pages and the CLI.

Whoever sees the whole account gets a PDF carrying a QR code to the public verification link and,
embedded as PDF attachments, the signed transcript credential (compact JWS and its JSON) for exactly
the active outcomes shown. A partial view (e.g. a certifier's) carries none: the credit bank does not
sign a selection the learner did not make (docs/decisions/0008-transcript-pdf-credentials.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhijiao.adapters.reports.transcript import render_transcript_pdf
from zhijiao.domain.access import Principal
from zhijiao.domain.credentials.records import IssuedCredential
from zhijiao.domain.creditbank.model import OutcomeStatus
from zhijiao.services.credentials import issuance as credentials
from zhijiao.services.credentials.issuers import IssuingSite
from zhijiao.services.creditbank import ledger, transcripts
from zhijiao.services.creditbank.transcripts import Transcript

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

JWS_TYPE = "application/vc+jwt"
JSON_TYPE = "application/vc+ld+json"
LEDGER_PROOF_NAME = "ledger-proof.json"  # docs/ledger/verify_ledger_proofs.py transcript checks it


@dataclass(frozen=True, slots=True)
class TranscriptPdf:
    transcript: Transcript
    credential: IssuedCredential | None
    pdf: bytes


def attachment_names(credential: IssuedCredential) -> tuple[str, str]:
    """(JWS file, JSON file) as embedded in the PDF."""
    stem = f"transcript-credential-{credential.id}"
    return f"{stem}.jwt", f"{stem}.json"


def transcript_pdf(
    uow: SqlUnitOfWork, principal: Principal, site: IssuingSite, account_no: str | None, lang: str = "zh"
) -> TranscriptPdf:
    """The PDF of what `principal` sees of the account (their own when `account_no` is None, learners only)."""
    t = (
        transcripts.own_transcript(uow, principal)
        if account_no is None
        else transcripts.transcript(uow, principal, account_no)
    )
    shown = [o.id for o in t.outcomes if o.status is OutcomeStatus.active and o.id is not None]
    credential = (
        credentials.transcript_for_view(uow, principal, site, t.account.account_no, shown)
        if t.complete
        else None
    )
    # the inclusion proof of the account's newest ledger entry (after any credential issued just now)
    assert t.account.id is not None
    proof = ledger.latest_entry_proof(uow, t.account.id)
    proof_file = (
        [
            (
                LEDGER_PROOF_NAME,
                json.dumps(proof.as_json(), ensure_ascii=False, indent=2).encode(),
                "application/json",
            )
        ]
        if proof is not None
        else []
    )
    if credential is None:
        return TranscriptPdf(t, None, render_transcript_pdf(t, lang, attachments=proof_file))
    jws_name, json_name = attachment_names(credential)
    document = json.dumps(credentials.document_of(credential), ensure_ascii=False, indent=2)
    pdf = render_transcript_pdf(
        t,
        lang,
        verification_url=site.verify_url(credential.id),
        attachments=[
            (jws_name, credential.jws.encode("ascii"), JWS_TYPE),
            (json_name, document.encode("utf-8"), JSON_TYPE),
            *proof_file,
        ],
    )
    return TranscriptPdf(t, credential, pdf)
