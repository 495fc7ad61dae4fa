"""Credentials as the previous release stored them, for the reissue tests: a `message` status entry
of two bits (0 active, 1 revoked, 2 suspended) and a Data Integrity proof canonicalised with the
February 2024 draft of the credentials-v2 context (`legacy/credentials-v2-draft-2024-02.jsonld`, the
copy that release shipped)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest import mock

from tests.factories import World
from zhijiao.adapters.signing import jsonld as pinned_jsonld
from zhijiao.adapters.signing.data_integrity import add_proof
from zhijiao.adapters.signing.jose import sign_jws
from zhijiao.domain.credentials.records import IssuedCredential
from zhijiao.domain.credentials.status_list import StatusList
from zhijiao.domain.credentials.verify import CredentialState
from zhijiao.domain.credentials.vocab import CREDENTIALS_V2_CONTEXT
from zhijiao.services import clock
from zhijiao.services.credentials.issuance import document_of
from zhijiao.services.credentials.issuers import IssuingSite, ed25519_signer, signer

DRAFT_CONTEXT = json.loads((Path(__file__).parent / "legacy/credentials-v2-draft-2024-02.jsonld").read_text())
MESSAGES = [
    {"status": "0x0", "message": "有效 active"},
    {"status": "0x1", "message": "已撤销 revoked"},
    {"status": "0x2", "message": "已暂停 suspended"},
    {"status": "0x3", "message": "保留值，视为已撤销 reserved (treated as revoked)"},
]
VALUES = {CredentialState.active: 0, CredentialState.revoked: 1, CredentialState.suspended: 2}


def make_legacy(world: World) -> dict[str, IssuedCredential]:
    """Turn every issued credential and status list into its previous-release form; the rows, by id."""
    site = IssuingSite.of(world.platform.settings)
    final = pinned_jsonld._pinned

    def draft(url: str) -> Any:
        return DRAFT_CONTEXT if url == CREDENTIALS_V2_CONTEXT else final(url)

    with mock.patch.object(pinned_jsonld, "_pinned", draft), world.platform.uow() as uow:
        platform = {i.id for i in uow.credentials.issuers() if i.institution_id is None}
        lists = sorted(
            uow.credentials.lists_with_purpose("revocation"), key=lambda r: r.issuer_id in platform
        )
        for record in lists:
            issuer = uow.credentials.issuer(record.issuer_id)
            assert issuer is not None
            bits = StatusList(record.capacity * 2)
            rows = []
            for c in uow.credentials.in_list(record.id):
                bits.set_value(c.status_index, VALUES[c.state], 2)
                document = {k: v for k, v in document_of(c).items() if k != "proof"}
                document["credentialStatus"] = {
                    "id": f"{site.status_url(record.id)}#{c.status_index}",
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": "message",
                    "statusListIndex": str(c.status_index),
                    "statusListCredential": site.status_url(record.id),
                    "statusSize": 2,
                    "statusMessage": MESSAGES,
                }
                if c.is_transcript:
                    subject = document["credentialSubject"]
                    subject["verifiableCredential"] = [
                        json.loads(b.di_json or "{}")
                        for b in uow.credentials.credentials(
                            [v["id"].removeprefix("urn:uuid:") for v in subject["verifiableCredential"]]
                        )
                    ]
                key = uow.credentials.key_by_kid(c.kid)
                assert key is not None
                jws_signer = signer(uow, site, issuer, key.algorithm)
                di_json = None
                if c.di_json is not None:
                    kid, ed = ed25519_signer(uow, site, issuer)
                    di_json = json.dumps(add_proof(document, ed, kid, clock.utcnow()), ensure_ascii=False)
                rows.append({"id": c.id, "jws": sign_jws(document, jws_signer.key, jws_signer.kid),
                             "di_json": di_json, "kid": jws_signer.kid, "state": c.state.value})  # fmt: skip
            uow.credentials.replace_signed(rows)
            uow.credentials.convert_list(record.id, "message", 2, bits.to_bytes(), clock.utcnow())
        uow.commit()
        return {c.id: c for r in lists for c in uow.credentials.in_list(r.id)}
