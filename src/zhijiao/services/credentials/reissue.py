"""Reissuing the credentials signed before the final W3C VC 2.0 context (重新签发).

Credentials issued before carry a `message` status entry (two bits: 0 active, 1 revoked,
2 suspended, 3 reserved = revoked) and a Data Integrity proof canonicalised with the February 2024
draft of the credentials-v2 context (with `@vocab`), which no verifier using the final context
accepts. Each is reissued once for both changes (docs/decisions/0013-status-purposes-and-reissue.md):
same id, same claims and `validFrom`; its status becomes one `revocation` bit at the same list URL and
index (set when revoked or suspended); a new DI proof (final context, safe mode) and a new JWS by the
issuer's key; a `cred_reissue` entry in the learner's ledger. A list is converted in one transaction
with all its credentials, so it is never half-converted; institutions' lists come before the
platform's (transcripts), so a transcript bundles the reissued credentials. A second run finds only
lists still of purpose `message`, so it does nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from zhijiao.adapters.signing import keys as signing_keys
from zhijiao.adapters.signing.data_integrity import add_proof
from zhijiao.adapters.signing.jose import sign_jws
from zhijiao.domain.credentials.records import IssuedCredential, IssuerRecord, KeyAlgorithm, StatusListRecord
from zhijiao.domain.credentials.status_list import StatusList, StatusPurpose
from zhijiao.domain.credentials.verify import CredentialState
from zhijiao.domain.creditbank.ledger import GENESIS_HASH, LedgerEntry, canonical_json, chain_entry
from zhijiao.domain.creditbank.model import LedgerAction
from zhijiao.services import clock
from zhijiao.services.credentials.issuance import document_of, status_entry
from zhijiao.services.credentials.issuers import IssuingSite, signer

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

LEGACY_PURPOSE = StatusPurpose.message.value
LEGACY_STATES = {
    0: CredentialState.active,
    1: CredentialState.revoked,
    2: CredentialState.suspended,
    3: CredentialState.revoked,  # "reserved, treated as revoked"
}
REASON = "vc2-final-context+revocation-status"


@dataclass(slots=True)
class ReissueReport:
    lists: int = 0  # status lists converted from `message` to `revocation`
    achievements: int = 0  # AchievementCredentials reissued (JWS + Data Integrity)
    transcripts: int = 0  # ClrCredentials reissued (JWS)
    revoked: int = 0  # of those, revoked (their revocation bit is set)
    suspended: int = 0  # of those, suspended (revocation bit set until reinstated)
    state_corrected: int = 0  # rows whose mirrored state disagreed with the list (the list wins)

    @property
    def credentials(self) -> int:
        return self.achievements + self.transcripts


def pending(uow: SqlUnitOfWork) -> tuple[int, int]:
    """(status lists, credentials) still to reissue."""
    with uow.read():
        lists = uow.credentials.lists_with_purpose(LEGACY_PURPOSE)
        return len(lists), sum(len(uow.credentials.in_list(r.id)) for r in lists)


def reissue_legacy(
    uow: SqlUnitOfWork, site: IssuingSite, actor: str, progress: Callable[[int, int], None] | None = None
) -> ReissueReport:
    """Reissue every credential of every `message` list; `progress(done, total)` after each list."""
    with uow.read():
        lists = uow.credentials.lists_with_purpose(LEGACY_PURPOSE)
        platform = {i.id for i in uow.credentials.issuers() if i.institution_id is None}
    lists.sort(key=lambda r: (r.issuer_id in platform, r.id))
    total = sum(r.next_index for r in lists)
    report = ReissueReport()
    done = 0
    if progress:
        progress(0, total)
    for record in lists:
        with uow:
            locked = uow.credentials.status_list(record.id, for_update=True)
            if locked is not None and locked.purpose == LEGACY_PURPOSE:
                _reissue_list(uow, site, locked, actor, report)
                report.lists += 1
            uow.commit()
        done += record.next_index
        if progress:
            progress(done, total)
    return report


class _Keys:
    """The key that re-signs a credential: the issuer's current key of the same algorithm when it is
    published under the credential's issuer DID (always for did:web); otherwise (a did:key issuer
    rotated since) the key that signed it, so issuer and verification method still agree."""

    def __init__(self, uow: SqlUnitOfWork, site: IssuingSite, issuer: IssuerRecord) -> None:
        self.uow, self.site, self.issuer = uow, site, issuer
        self._cache: dict[tuple[str, KeyAlgorithm], tuple[str, signing_keys.PrivateKey]] = {}

    def for_kid(self, kid: str, algorithm: KeyAlgorithm | None = None) -> tuple[str, signing_keys.PrivateKey]:
        record = self.uow.credentials.key_by_kid(kid)
        assert record is not None
        wanted = algorithm or record.algorithm
        if (kid, wanted) not in self._cache:
            current = signer(self.uow, self.site, self.issuer, wanted)
            if current.kid.partition("#")[0] == record.did:
                self._cache[kid, wanted] = (current.kid, current.key)
            else:
                key = signing_keys.unseal_private_key(record.sealed_private_key, self.site.kek, key_id=kid)
                self._cache[kid, wanted] = (kid, key)
        return self._cache[kid, wanted]


def _reissue_list(
    uow: SqlUnitOfWork, site: IssuingSite, record: StatusListRecord, actor: str, report: ReissueReport
) -> None:
    issuer = uow.credentials.issuer(record.issuer_id)
    assert issuer is not None
    keys = _Keys(uow, site, issuer)
    old, new = StatusList.from_bytes(record.bits), StatusList(record.capacity)
    now = clock.utcnow()
    issued = uow.credentials.in_list(record.id)
    heads = uow.ledger.heads(sorted({c.account_id for c in issued}))
    rows: list[dict[str, Any]] = []
    entries: list[LedgerEntry] = []
    for c in issued:
        state = LEGACY_STATES[old.get_value(c.status_index, record.status_size)]
        report.state_corrected += state is not c.state
        new.set(c.status_index, state is not CredentialState.active)
        document = {k: v for k, v in document_of(c).items() if k != "proof"}
        document["credentialStatus"] = status_entry(site, record.id, c.status_index).to_json()
        if c.is_transcript:
            _bundle_current(uow, document)
        jws_kid, jws_key = keys.for_kid(c.kid)
        di_json = None
        if c.di_json is not None:
            di_kid, di_key = keys.for_kid(c.kid, KeyAlgorithm.eddsa)
            assert isinstance(di_key, Ed25519PrivateKey)
            di_json = json.dumps(add_proof(document, di_key, di_kid, now), ensure_ascii=False)
        rows.append({"id": c.id, "jws": sign_jws(document, jws_key, jws_kid), "di_json": di_json,
                     "kid": jws_kid, "state": state.value})  # fmt: skip
        seq, prev = heads.get(c.account_id, (0, GENESIS_HASH))
        entry = chain_entry(
            account_id=c.account_id, seq=seq + 1, action=LedgerAction.credential_reissue, outcome_id=None,
            payload=canonical_json(
                {"credential_id": c.id, "kind": c.kind, "status": state.value, "reason": REASON,
                 "status_list": site.status_url(record.id), "status_index": c.status_index}
            ),
            actor=actor, recorded_at=now, prev_hash=prev,
        )  # fmt: skip
        heads[c.account_id] = (entry.seq, entry.hash)
        entries.append(entry)
        report.transcripts += c.is_transcript
        report.achievements += not c.is_transcript
        report.revoked += state is CredentialState.revoked
        report.suspended += state is CredentialState.suspended
    uow.credentials.replace_signed(rows)
    uow.credentials.convert_list(record.id, StatusPurpose.revocation.value, 1, new.to_bytes(), now)
    uow.ledger.append(entries)


def _bundle_current(uow: SqlUnitOfWork, transcript: dict[str, Any]) -> None:
    """Replace each bundled AchievementCredential by its stored (already reissued) signed form."""
    subject = transcript["credentialSubject"]
    bundled = subject.get("verifiableCredential", [])
    ids = [str(b.get("id", "")).removeprefix("urn:uuid:") for b in bundled]
    stored: dict[str, IssuedCredential] = {c.id: c for c in uow.credentials.credentials(ids)}
    subject["verifiableCredential"] = [
        json.loads(stored[i].di_json or "{}") if i in stored and stored[i].di_json else b
        for i, b in zip(ids, bundled, strict=True)
    ]
