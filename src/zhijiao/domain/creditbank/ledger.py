"""The ledger (台账): an append-only log of change sets, one Merkle tree over all of them.

An entry is one change set for one account (an import batch, one change made through a page or the
API, a correction, a revocation, an exemption, a credential status change). Its bytes are

    <header: canonical JSON of account_id, action, actor, note, outcome_id, prev_hash, recorded_at, seq>
    "\n"
    <payload, exactly as stored>

(docs/ledger/entry-format.md). Its hash is the RFC 9162 leaf hash SHA-256(0x00 ‖ bytes); the
entries of one account are also chained (`prev_hash` = the account's previous entry hash), and all
entries in log order are the leaves of one Merkle tree whose signed roots (checkpoints) are kept
outside the database. The hash is over the payload as stored, so a payload encrypted per learner
later is hashed the same way.

A `record` entry's payload is the JSON array of the snapshots of the outcomes it recorded (ordered
by outcome id); `correct` and `revoke` hold one snapshot and name its outcome in `outcome_id`.

The canonical texts (an entry's header, an outcome's snapshot) are exactly what
`json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)` gives, but built with
fixed-order f-strings around the C string escaper that `json.dumps` itself uses (`_quote`): the
same bytes, a fraction of the work. The unit tests compare them with `canonical_json`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from json.encoder import encode_basestring as _quote  # "text" escaped as json.dumps(ensure_ascii=False) does
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


@lru_cache(maxsize=4096)
def _decimal_json(value: Decimal) -> str:
    """A decimal as a JSON string of its plain digits ("2.0" and "2" alike give "2"; zero has no sign)."""
    return '"' + format(value.normalize(), "f") + '"' if value else '"0"'


def outcome_snapshot(o: Outcome) -> str:
    """The canonical JSON of an outcome as the ledger keeps it (the projection must equal it).

    Keys in sorted order; the enums are `str`/`int` subclasses, so they are written by value."""
    return (
        f'{{"code":{"null" if o.code is None else _quote(o.code)},"credits":{_decimal_json(o.credits)},'
        f'"evidence_ref":{"null" if o.evidence_ref is None else _quote(o.evidence_ref)},'
        f'"framework_level":{int.__repr__(o.framework_level)},'
        f'"grade":{"null" if o.grade is None else _quote(o.grade)},'
        f'"hours":{"null" if o.hours is None else _decimal_json(o.hours)},'
        f'"id":{"null" if o.id is None else int.__repr__(o.id)},"issuer_id":{int.__repr__(o.issuer_id)},'
        f'"kind":{_quote(o.kind)},"level":{"null" if o.level is None else int.__repr__(o.level)},'
        f'"obtained_on":"{o.obtained_on.isoformat()}",'
        f'"score":{"null" if o.score is None else _decimal_json(o.score)},'
        f'"status":{_quote(o.status)},"title":{_quote(o.title)}}}'
    )


def active_snapshot(
    oid: int,
    kind: str,
    title: str,
    code: str | None,
    issuer_id: int,
    obtained_on: date,
    credits: Decimal,
    framework_level: int,
    hours: Decimal | None,
    score: Decimal | None,
    grade: str | None,
    level: int | None,
) -> str:
    """`outcome_snapshot` of a new active outcome without evidence (what an import records), made from
    its values without building the `Outcome` (the unit tests compare the two)."""
    return (
        f'{{"code":{"null" if code is None else _quote(code)},"credits":{_decimal_json(credits)},'
        f'"evidence_ref":null,"framework_level":{int.__repr__(framework_level)},'
        f'"grade":{"null" if grade is None else _quote(grade)},'
        f'"hours":{"null" if hours is None else _decimal_json(hours)},'
        f'"id":{int.__repr__(oid)},"issuer_id":{int.__repr__(issuer_id)},'
        f'"kind":{_quote(kind)},"level":{"null" if level is None else int.__repr__(level)},'
        f'"obtained_on":"{obtained_on.isoformat()}",'
        f'"score":{"null" if score is None else _decimal_json(score)},'
        f'"status":"active","title":{_quote(title)}}}'
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
    """The entry's leaf hash (hex): SHA-256(0x00 ‖ `entry_bytes`)."""
    return hashlib.sha256(
        b"\x00"
        + entry_bytes(
            account_id=account_id, seq=seq, action=action, outcome_id=outcome_id, payload=payload, actor=actor,
            recorded_at=recorded_at, prev_hash=prev_hash, note=note,
        )
    ).hexdigest()  # fmt: skip


def entry_bytes(
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
) -> bytes:
    """The entry's canonical JSON header (every field but the payload), a newline, and the payload (UTF-8)."""
    header = (
        f'{{"account_id":{int.__repr__(account_id)},"action":{_quote(action)},"actor":{_quote(actor)},'
        f'"note":{"null" if note is None else _quote(note)},'
        f'"outcome_id":{"null" if outcome_id is None else int.__repr__(outcome_id)},'
        f'"prev_hash":{_quote(prev_hash)},"recorded_at":"{utc_timestamp(recorded_at)}","seq":{int.__repr__(seq)}}}'
    )
    return f"{header}\n{payload}".encode()


def records_payload(snapshots: Iterable[str]) -> str:
    """The payload of a `record` entry: the canonical JSON array of its outcomes' snapshots."""
    return "[" + ",".join(snapshots) + "]"


def recorded_snapshots(action: LedgerAction, outcome_id: int | None, payload: str) -> list[tuple[int, str]]:
    """(outcome id, canonical snapshot) of each outcome state an entry holds."""
    if action is LedgerAction.record:
        return [(int(s["id"]), canonical_json(s)) for s in json.loads(payload)]
    if outcome_id is not None and action in (LedgerAction.correct, LedgerAction.revoke):
        return [(outcome_id, payload)]
    return []


RecordHasher = Callable[[int, int, int | None, str, str], str]


def record_hasher(action: LedgerAction, actor: str, recorded_at: datetime) -> RecordHasher:
    """`entry_hash` for many note-less entries sharing action, actor and time, as
    `hash_(account_id, seq, outcome_id, prev_hash, payload)`: the shared parts are encoded once."""
    middle = f',"action":{_quote(action)},"actor":{_quote(actor)},"note":null,"outcome_id":'
    tail = f',"recorded_at":"{utc_timestamp(recorded_at)}","seq":'
    sha256 = hashlib.sha256
    as_int = int.__repr__

    def hash_(account_id: int, seq: int, outcome_id: int | None, prev_hash: str, payload: str) -> str:
        oid = "null" if outcome_id is None else as_int(outcome_id)
        return sha256(
            f'\x00{{"account_id":{as_int(account_id)}{middle}{oid},"prev_hash":{_quote(prev_hash)}'
            f"{tail}{as_int(seq)}}}\n{payload}".encode()
        ).hexdigest()

    return hash_


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
