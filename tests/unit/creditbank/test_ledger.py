from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from zhijiao.domain.creditbank.ledger import (
    GENESIS_HASH,
    LedgerEntry,
    canonical_json,
    chain_entry,
    outcome_snapshot,
    verify_chain,
)
from zhijiao.domain.creditbank.model import LedgerAction, Outcome, OutcomeKind

T0 = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


def chain(n: int) -> list[LedgerEntry]:
    entries, prev = [], GENESIS_HASH
    for i in range(1, n + 1):
        e = chain_entry(
            account_id=7, seq=i, action=LedgerAction.record, outcome_id=i, payload=canonical_json({"i": i}),
            actor="t", recorded_at=T0 + timedelta(seconds=i), prev_hash=prev,
        )  # fmt: skip
        entries.append(e)
        prev = e.hash
    return entries


def test_an_intact_chain_verifies() -> None:
    assert verify_chain([(None, e) for e in chain(5)]) is None


def test_an_edited_entry_breaks_the_chain_at_that_entry() -> None:
    entries = chain(5)
    entries[2] = dataclasses.replace(entries[2], payload=canonical_json({"i": 99}))
    found = verify_chain([(i, e) for i, e in enumerate(entries)])
    assert found is not None and found.seq == 3


def test_a_removed_or_reordered_entry_is_caught() -> None:
    entries = chain(5)
    assert verify_chain([(None, e) for e in entries[:2] + entries[3:]]) is not None
    assert verify_chain([(None, e) for e in [entries[1], entries[0], *entries[2:]]]) is not None


def test_a_rehashed_edit_still_breaks_the_next_link() -> None:
    entries = chain(3)
    forged = chain_entry(
        account_id=7, seq=2, action=LedgerAction.record, outcome_id=2, payload=canonical_json({"i": 42}),
        actor="t", recorded_at=entries[1].recorded_at, prev_hash=entries[0].hash,
    )  # fmt: skip
    found = verify_chain([(None, e) for e in [entries[0], forged, entries[2]]])
    assert found is not None and found.seq == 3


def test_timestamps_hash_the_same_with_or_without_zone() -> None:
    e = chain(1)[0]
    naive = dataclasses.replace(e, recorded_at=e.recorded_at.replace(tzinfo=None))
    shanghai = dataclasses.replace(e, recorded_at=e.recorded_at.astimezone(timezone(timedelta(hours=8))))
    assert verify_chain([(None, naive)]) is None
    assert verify_chain([(None, shanghai)]) is None


def test_snapshots_are_canonical_for_decimals() -> None:
    base = Outcome(
        1, 1, OutcomeKind.course, "课程", 1, date(2024, 1, 1), Decimal("2.0"), 5, hours=Decimal("32.0")
    )
    same = dataclasses.replace(base, credits=Decimal("2"), hours=Decimal("32"))
    assert outcome_snapshot(base) == outcome_snapshot(same)
    assert '"title":"课程"' in outcome_snapshot(base)
