"""The ledger (台账): an append-only, SHA-256 hash-chained record of every change to an account.

Each entry's hash covers the previous entry's hash and a canonical JSON encoding of the entry,
so editing, removing or reordering any entry breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any

from zhijiao.domain.creditbank.model import LedgerAction, Outcome

GENESIS_HASH = "0" * 64


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    raise TypeError(f"cannot encode {type(value).__name__} in a ledger entry")


@lru_cache(maxsize=256)
def utc_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds; a naive datetime is taken as UTC (as SQLite returns it)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(payload: Mapping[str, Any]) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 text, decimals as plain strings."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def _plain(value: Decimal | date | None) -> str | None:
    return None if value is None else _default(value)


def outcome_snapshot(o: Outcome) -> str:
    """The canonical JSON of an outcome as the ledger keeps it (the projection must equal it).

    Values are turned into JSON primitives first, so the C encoder does all the work."""
    return json.dumps(
        {
            "code": o.code,
            "credits": _default(o.credits),
            "evidence_ref": o.evidence_ref,
            "framework_level": o.framework_level,
            "grade": None if o.grade is None else o.grade.value,
            "hours": _plain(o.hours),
            "id": o.id,
            "issuer_id": o.issuer_id,
            "kind": o.kind.value,
            "level": int(o.level) if o.level is not None else None,
            "obtained_on": o.obtained_on.isoformat(),
            "score": _plain(o.score),
            "status": o.status.value,
            "title": o.title,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    account_id: int
    seq: int
    action: LedgerAction
    outcome_id: int | None
    payload: str  # canonical JSON of the outcome (or account) snapshot
    actor: str
    recorded_at: datetime
    prev_hash: str
    hash: str
    note: str | None = None  # the reason given for a correction or revocation


def entry_hash(
    *,
    account_id: int,
    seq: int,
    action: LedgerAction | str,
    outcome_id: int | None,
    payload: str,
    actor: str,
    recorded_at: datetime,
    prev_hash: str,
    note: str | None = None,
) -> str:
    header = canonical_json(
        {
            "account_id": account_id,
            "seq": seq,
            "action": action,
            "outcome_id": outcome_id,
            "actor": actor,
            "recorded_at": utc_timestamp(recorded_at),
            "prev_hash": prev_hash,
            "note": note,
        }
    )
    return hashlib.sha256((header + "\n" + payload).encode("utf-8")).hexdigest()


def chain_entry(
    *,
    account_id: int,
    seq: int,
    action: LedgerAction,
    outcome_id: int | None,
    payload: str,
    actor: str,
    recorded_at: datetime,
    prev_hash: str,
    note: str | None = None,
) -> LedgerEntry:
    """A new entry linked to `prev_hash`."""
    h = entry_hash(
        account_id=account_id,
        seq=seq,
        action=action,
        outcome_id=outcome_id,
        payload=payload,
        actor=actor,
        recorded_at=recorded_at,
        prev_hash=prev_hash,
        note=note,
    )
    return LedgerEntry(account_id, seq, action, outcome_id, payload, actor, recorded_at, prev_hash, h, note)


@dataclass(frozen=True, slots=True)
class ChainBreak:
    account_id: int
    seq: int
    entry_id: int | None
    reason: str


def verify_chain(entries: Iterable[tuple[int | None, LedgerEntry]]) -> ChainBreak | None:
    """Check one account's entries (ordered by seq). Return the first break, or None."""
    prev = GENESIS_HASH
    expected_seq = 1
    for entry_id, e in entries:
        if e.seq != expected_seq:
            return ChainBreak(e.account_id, e.seq, entry_id, f"序号不连续：应为 {expected_seq}，实为 {e.seq}")
        if e.prev_hash != prev:
            return ChainBreak(e.account_id, e.seq, entry_id, "前序哈希与上一条记录不符")
        recomputed = entry_hash(
            account_id=e.account_id,
            seq=e.seq,
            action=e.action,
            outcome_id=e.outcome_id,
            payload=e.payload,
            actor=e.actor,
            recorded_at=e.recorded_at,
            prev_hash=e.prev_hash,
            note=e.note,
        )
        if recomputed != e.hash:
            return ChainBreak(e.account_id, e.seq, entry_id, "记录内容与哈希不符（可能被直接改动）")
        prev = e.hash
        expected_seq += 1
    return None
