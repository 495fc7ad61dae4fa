"""Repository of issuers, keys, status lists and issued credentials. No business rules here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from zhijiao.adapters.db.credential_tables import (
    issued_credentials,
    issuer_keys,
    issuer_profiles,
    status_lists,
)
from zhijiao.adapters.db.repositories import OUTCOME_COLUMNS, OutcomeRepository
from zhijiao.adapters.db.tables import learning_accounts, outcomes
from zhijiao.adapters.db.values import as_utc
from zhijiao.domain.credentials.records import (
    IssuedCredential,
    IssuerKeyRecord,
    IssuerRecord,
    KeyAlgorithm,
    StatusListRecord,
)
from zhijiao.domain.credentials.verify import CredentialState
from zhijiao.domain.creditbank.model import Outcome, OutcomeStatus


def _issuer(r: Row[Any]) -> IssuerRecord:
    return IssuerRecord(r.id, r.handle, r.institution_id, r.did, r.name, r.url)


def _key(r: Row[Any]) -> IssuerKeyRecord:
    return IssuerKeyRecord(
        r.id, r.issuer_id, r.did, r.kid, r.fragment, KeyAlgorithm(r.algorithm), r.public_key_pem,
        bytes(r.sealed_private_key), r.created_at, r.retired_at,
    )  # fmt: skip


def _list(r: Row[Any]) -> StatusListRecord:
    return StatusListRecord(
        r.id,
        r.issuer_id,
        r.purpose,
        r.status_size,
        r.capacity,
        r.next_index,
        bytes(r.bits),
        as_utc(r.updated_at),
    )


def _credential(r: Row[Any]) -> IssuedCredential:
    return IssuedCredential(
        id=r.id, account_id=r.account_id, issuer_id=r.issuer_id, kind=r.kind, outcome_id=r.outcome_id,
        source_ref=r.source_ref, selection=tuple(json.loads(r.selection)) if r.selection else None,
        name=r.name, status_list_id=r.status_list_id, status_index=r.status_index,
        state=CredentialState(r.state), kid=r.kid, jws=r.jws, di_json=r.di_json, issued_by=r.issued_by,
        issued_at=r.issued_at, valid_until=r.valid_until,
    )  # fmt: skip


class CredentialRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # issuers and keys
    def issuer_by_handle(self, handle: str) -> IssuerRecord | None:
        r = self.conn.execute(select(issuer_profiles).where(issuer_profiles.c.handle == handle)).first()
        return _issuer(r) if r else None

    def issuer(self, issuer_id: int) -> IssuerRecord | None:
        r = self.conn.execute(select(issuer_profiles).where(issuer_profiles.c.id == issuer_id)).first()
        return _issuer(r) if r else None

    def issuers(self) -> list[IssuerRecord]:
        return [_issuer(r) for r in self.conn.execute(select(issuer_profiles).order_by(issuer_profiles.c.id))]

    def add_issuer(self, values: dict[str, Any]) -> int:
        q = insert(issuer_profiles).values(values).returning(issuer_profiles.c.id)
        return int(self.conn.execute(q).scalar_one())

    def set_issuer_did(self, issuer_id: int, did: str) -> None:
        self.conn.execute(update(issuer_profiles).where(issuer_profiles.c.id == issuer_id).values(did=did))

    def keys_of(self, issuer_id: int) -> list[IssuerKeyRecord]:
        q = select(issuer_keys).where(issuer_keys.c.issuer_id == issuer_id).order_by(issuer_keys.c.id)
        return [_key(r) for r in self.conn.execute(q)]

    def key_by_kid(self, kid: str) -> IssuerKeyRecord | None:
        r = self.conn.execute(select(issuer_keys).where(issuer_keys.c.kid == kid)).first()
        return _key(r) if r else None

    def add_key(self, values: dict[str, Any]) -> None:
        self.conn.execute(insert(issuer_keys).values(values))

    def retire_keys(self, issuer_id: int, now: datetime) -> None:
        c = issuer_keys.c
        self.conn.execute(
            update(issuer_keys).where(c.issuer_id == issuer_id, c.retired_at.is_(None)).values(retired_at=now)
        )

    def is_known_did(self, did: str) -> bool:
        q = select(issuer_keys.c.id).where(issuer_keys.c.did == did).limit(1)
        if self.conn.execute(q).first() is not None:
            return True
        q = select(issuer_profiles.c.id).where(issuer_profiles.c.did == did).limit(1)
        return self.conn.execute(q).first() is not None

    # status lists
    def open_list(self, issuer_id: int, purpose: str, room: int) -> StatusListRecord | None:
        c = status_lists.c
        q = (
            select(status_lists)
            .where(c.issuer_id == issuer_id, c.purpose == purpose, c.next_index + room <= c.capacity)
            .order_by(c.id)
            .limit(1)
        )
        r = self.conn.execute(q).first()
        return _list(r) if r else None

    def add_list(self, values: dict[str, Any]) -> int:
        return int(
            self.conn.execute(insert(status_lists).values(values).returning(status_lists.c.id)).scalar_one()
        )

    def allocate(self, list_id: int, count: int) -> int | None:
        """Reserve `count` consecutive indexes atomically; the first one, or None if the list is full."""
        c = status_lists.c
        q = (
            update(status_lists)
            .where(c.id == list_id, c.next_index + count <= c.capacity)
            .values(next_index=c.next_index + count)
            .returning(c.next_index)
        )
        after = self.conn.execute(q).scalar()
        return None if after is None else int(after) - count

    def status_list(self, list_id: int, *, for_update: bool = False) -> StatusListRecord | None:
        q = select(status_lists).where(status_lists.c.id == list_id)
        r = self.conn.execute(q.with_for_update() if for_update else q).first()
        return _list(r) if r else None

    def save_bits(self, list_id: int, bits: bytes, now: datetime) -> None:
        self.conn.execute(
            update(status_lists).where(status_lists.c.id == list_id).values(bits=bits, updated_at=now)
        )

    def lists_with_purpose(self, purpose: str) -> list[StatusListRecord]:
        q = select(status_lists).where(status_lists.c.purpose == purpose).order_by(status_lists.c.id)
        return [_list(r) for r in self.conn.execute(q)]

    def convert_list(self, list_id: int, purpose: str, status_size: int, bits: bytes, now: datetime) -> None:
        """Give a list a new purpose and entry size (same URL, same capacity and indexes)."""
        c = status_lists.c
        self.conn.execute(
            update(status_lists)
            .where(c.id == list_id)
            .values(purpose=purpose, status_size=status_size, bits=bits, updated_at=now)
        )

    # issued credentials
    def in_list(self, list_id: int) -> list[IssuedCredential]:
        c = issued_credentials.c
        q = select(issued_credentials).where(c.status_list_id == list_id).order_by(c.status_index)
        return [_credential(r) for r in self.conn.execute(q)]

    def replace_signed(self, rows: Sequence[dict[str, Any]]) -> None:
        """New signed forms (`jws`, `di_json`, `kid`) and `state` of credentials, by `id`."""
        c = issued_credentials.c
        for row in rows:
            values = {k: row[k] for k in ("jws", "di_json", "kid", "state")}
            self.conn.execute(update(issued_credentials).where(c.id == row["id"]).values(values))

    def add_credentials(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(issued_credentials), list(rows))

    def credential(self, credential_id: str) -> IssuedCredential | None:
        q = select(issued_credentials).where(issued_credentials.c.id == credential_id)
        r = self.conn.execute(q).first()
        return _credential(r) if r else None

    def credentials(self, credential_ids: Sequence[str]) -> list[IssuedCredential]:
        """These credentials, in the given order (ids that do not exist are left out)."""
        found: dict[str, IssuedCredential] = {}
        for i in range(0, len(credential_ids), 900):
            q = select(issued_credentials).where(issued_credentials.c.id.in_(credential_ids[i : i + 900]))
            found.update((r.id, _credential(r)) for r in self.conn.execute(q))
        return [found[i] for i in credential_ids if i in found]

    def for_account(self, account_id: int) -> list[IssuedCredential]:
        c = issued_credentials.c
        q = select(issued_credentials).where(c.account_id == account_id).order_by(c.issued_at, c.id)
        return [_credential(r) for r in self.conn.execute(q)]

    def live_for_outcomes(self, outcome_ids: Sequence[int]) -> dict[int, IssuedCredential]:
        """outcome id → its latest credential that is not revoked."""
        c = issued_credentials.c
        found: dict[int, IssuedCredential] = {}
        for i in range(0, len(outcome_ids), 900):
            part = list(outcome_ids[i : i + 900])
            q = (
                select(issued_credentials)
                .where(c.outcome_id.in_(part), c.state != CredentialState.revoked.value)
                .order_by(c.issued_at)
            )
            found.update({r.outcome_id: _credential(r) for r in self.conn.execute(q)})
        return found

    def live_for_refs(self, account_ids: Sequence[int], refs: Sequence[str]) -> dict[str, IssuedCredential]:
        """source ref (an exemption or qualification) → its latest credential that is not revoked.
        Looked up through the accounts' index (`source_ref` has none of its own)."""
        c = issued_credentials.c
        wanted = set(refs)
        found: dict[str, IssuedCredential] = {}
        accounts = sorted(set(account_ids))
        for i in range(0, len(accounts), 900):
            q = (
                select(issued_credentials)
                .where(
                    c.account_id.in_(accounts[i : i + 900]),
                    c.source_ref.is_not(None),
                    c.state != CredentialState.revoked.value,
                )
                .order_by(c.issued_at)
            )
            found.update(
                {r.source_ref: _credential(r) for r in self.conn.execute(q) if r.source_ref in wanted}
            )
        return found

    def set_state(self, credential_id: str, state: CredentialState) -> None:
        c = issued_credentials.c
        self.conn.execute(update(issued_credentials).where(c.id == credential_id).values(state=state.value))

    def cohort_outcomes(
        self, institution_id: int, cohort_year: int, major_code: str | None
    ) -> tuple[int, list[Outcome]]:
        """(number of accounts in the cohort, the active outcomes the institution issued to them)."""
        a = learning_accounts.c
        conds = [a.institution_id == institution_id, a.cohort_year == cohort_year]
        if major_code:
            conds.append(a.major_code == major_code)
        account_ids = [r.id for r in self.conn.execute(select(a.id).where(*conds))]
        found: list[Outcome] = []
        o = outcomes.c
        for i in range(0, len(account_ids), 900):
            q = (
                select(*OUTCOME_COLUMNS)
                .where(
                    o.account_id.in_(account_ids[i : i + 900]),
                    o.issuer_id == institution_id,
                    o.status == OutcomeStatus.active.value,
                )
                .order_by(o.account_id, o.id)
            )
            found.extend(OutcomeRepository._to_domain(r) for r in self.conn.execute(q))
        return len(account_ids), found
