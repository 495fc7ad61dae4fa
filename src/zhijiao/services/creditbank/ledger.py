"""Writing to and verifying the ledger (台账)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING

from zhijiao.domain.creditbank.ledger import (
    GENESIS_HASH,
    ChainBreak,
    LedgerEntry,
    chain_entry,
    outcome_snapshot,
    verify_chain,
)
from zhijiao.domain.creditbank.model import LedgerAction

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


def append(
    uow: SqlUnitOfWork,
    *,
    account_id: int,
    action: LedgerAction,
    outcome_id: int | None,
    payload: str,
    actor: str,
    now: datetime,
    note: str | None = None,
) -> LedgerEntry:
    """Append one entry to an account's chain (inside the caller's unit of work)."""
    seq, prev = uow.ledger.heads([account_id]).get(account_id, (0, GENESIS_HASH))
    entry = chain_entry(
        account_id=account_id,
        seq=seq + 1,
        action=action,
        outcome_id=outcome_id,
        payload=payload,
        actor=actor,
        recorded_at=now,
        prev_hash=prev,
        note=note,
    )
    uow.ledger.append([entry])
    return entry


@dataclass(frozen=True, slots=True)
class LedgerReport:
    accounts: int
    entries: int
    breaks: list[ChainBreak]

    @property
    def intact(self) -> bool:
        return not self.breaks


def verify_ledger(uow: SqlUnitOfWork, progress: Callable[[int], None] | None = None) -> LedgerReport:
    """Check every account's chain, then that every outcome row equals its latest ledger snapshot."""
    breaks: list[ChainBreak] = []
    latest: dict[int, tuple[int, int, str]] = {}  # outcome id → (account, seq, payload)
    accounts = entries = 0
    with uow:
        for account_id, group in groupby(uow.ledger.iter_all(), key=lambda pair: pair[1].account_id):
            items = list(group)
            accounts += 1
            entries += len(items)
            if progress:
                progress(len(items))
            found = verify_chain(items)
            if found is not None:
                breaks.append(found)
            for _, e in items:
                if e.outcome_id is not None:
                    latest[e.outcome_id] = (account_id, e.seq, e.payload)
        for o in uow.outcomes.iter_all():
            assert o.id is not None
            recorded = latest.pop(o.id, None)
            if recorded is None:
                breaks.append(ChainBreak(o.account_id, 0, None, f"成果 {o.id} 没有台账记录"))
            elif recorded[2] != outcome_snapshot(o):
                breaks.append(
                    ChainBreak(
                        recorded[0],
                        recorded[1],
                        None,
                        f"成果 {o.id} 的当前数据与台账最新记录不符（可能被直接改动）",
                    )
                )
        for outcome_id, (account_id, seq, _) in latest.items():
            breaks.append(
                ChainBreak(account_id, seq, None, f"台账记录的成果 {outcome_id} 已不存在（可能被删除）")
            )
    breaks.sort(key=lambda b: (b.account_id, b.seq))
    return LedgerReport(accounts, entries, breaks)
