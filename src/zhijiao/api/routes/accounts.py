from __future__ import annotations

import base64

from fastapi import APIRouter, Query, Response

from zhijiao.api.deps import CurrentPrincipal, UoW
from zhijiao.api.json_response import model_json
from zhijiao.api.schemas import (
    AccountCreate,
    AccountLookup,
    AccountPage,
    AccountRead,
    LedgerEntryProofRead,
    LedgerEntryRead,
    LedgerProofRead,
    OutcomeCreate,
    OutcomeRead,
    TotalsRead,
    TranscriptRead,
)
from zhijiao.domain.creditbank.ledger import LedgerEntry
from zhijiao.domain.creditbank.model import OutcomeDraft
from zhijiao.services.creditbank import accounts, outcomes, transcripts

router = APIRouter(prefix="/api/v1/accounts", tags=["学习账号 accounts"])


@router.post("", response_model=AccountRead, status_code=201, operation_id="open_account")
def open_account(body: AccountCreate, principal: CurrentPrincipal, uow: UoW) -> AccountRead:
    return AccountRead.of(accounts.open_account(uow, principal, **body.model_dump()))


@router.get("", response_model=AccountPage, operation_id="list_accounts")
def list_accounts(
    principal: CurrentPrincipal,
    uow: UoW,
    institution_id: int | None = None,
    name: str | None = Query(default=None, max_length=50, description="姓名前缀"),
    offset: int = Query(default=0, ge=0),
    limit: int = Query(default=50, ge=1, le=500),
) -> AccountPage:
    page = accounts.list_accounts(
        uow, principal, institution_id=institution_id, name_prefix=name, offset=offset, limit=limit
    )
    return AccountPage(
        items=[AccountRead.of(a) for a in page.items], total=page.total, offset=offset, limit=limit
    )


@router.post("/lookup", response_model=AccountRead, operation_id="lookup_account")
def lookup(body: AccountLookup, principal: CurrentPrincipal, uow: UoW) -> AccountRead:
    """按证件号码查找账号（证件号码放在请求体中，不出现在网址和日志里）。"""
    return AccountRead.of(accounts.find_account_by_id_number(uow, principal, body.id_type, body.id_number))


@router.get("/{account_no}", response_model=AccountRead, operation_id="get_account")
def get_account(account_no: str, principal: CurrentPrincipal, uow: UoW) -> AccountRead:
    return AccountRead.of(accounts.get_account(uow, principal, account_no))


@router.get("/{account_no}/transcript", response_model=TranscriptRead, operation_id="get_transcript")
async def get_transcript(account_no: str, principal: CurrentPrincipal, uow: UoW) -> Response:
    """Async: the service's few indexed queries are shorter than a hop to the threadpool and back."""
    return model_json(transcript_read(transcripts.transcript(uow, principal, account_no)))


def transcript_read(t: transcripts.Transcript) -> TranscriptRead:
    acc = t.accumulation
    return TranscriptRead(
        account=AccountRead.of(t.account),
        institution_name=t.home.name if t.home else None,
        complete=t.complete,
        outcomes=[
            OutcomeRead.of(o, t.issuers[o.issuer_id].name if o.issuer_id in t.issuers else None)
            for o in t.outcomes
        ],
        total=TotalsRead.of(acc.total),
        by_kind={k: TotalsRead.of(v) for k, v in acc.by_kind.items()},
        by_framework_level={k: TotalsRead.of(v) for k, v in acc.by_framework_level.items()},
        by_year={k: TotalsRead.of(v) for k, v in acc.by_year.items()},
        generated_at=t.generated_at,
        ledger_proof=LedgerProofRead.of(t.ledger_proof) if t.ledger_proof else None,
    )


def _entry_read(e: LedgerEntry) -> LedgerEntryRead:
    return LedgerEntryRead(
        seq=e.seq, action=e.action, outcome_id=e.outcome_id, actor=e.actor, recorded_at=e.recorded_at,
        note=e.note, prev_hash=e.prev_hash, hash=e.hash,
    )  # fmt: skip


@router.get("/{account_no}/ledger", response_model=list[LedgerEntryRead], operation_id="get_account_ledger")
def get_ledger(account_no: str, principal: CurrentPrincipal, uow: UoW) -> list[LedgerEntryRead]:
    return [_entry_read(e) for e in transcripts.account_history(uow, principal, account_no)]


@router.get(
    "/{account_no}/ledger/{seq}/proof",
    response_model=LedgerEntryProofRead,
    operation_id="get_ledger_entry_proof",
)
def get_entry_proof(account_no: str, seq: int, principal: CurrentPrincipal, uow: UoW) -> LedgerEntryProofRead:
    """台账记录的字节与它在最新已发布检查点中的包含证明（RFC 9162）。"""
    found = transcripts.entry_proof(uow, principal, account_no, seq)
    return LedgerEntryProofRead(
        entry=_entry_read(found.entry),
        entry_bytes=base64.b64encode(found.entry_bytes).decode(),
        proof=LedgerProofRead.of(found.proof),
    )


@router.post(
    "/{account_no}/outcomes", response_model=OutcomeRead, status_code=201, operation_id="record_outcome"
)
def record(account_no: str, body: OutcomeCreate, principal: CurrentPrincipal, uow: UoW) -> OutcomeRead:
    proof = accounts.PersonProof(**body.learner.model_dump()) if body.learner else None
    draft = OutcomeDraft(**body.model_dump(exclude={"learner"}))
    return OutcomeRead.of(outcomes.record_outcome(uow, principal, account_no, draft, proof))
