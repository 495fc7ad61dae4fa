"""Writing to and verifying the ledger (台账), a transparency log: checkpoints and proofs.

Every entry is a leaf of one Merkle tree (RFC 9162) in log order; signed checkpoints of that tree
are taken after every import, on a write when the last one is older than the configured interval
(hourly by default) and by `zhijiao ledger checkpoint`, and kept in an append-only history that a
witness fetches. `verify_ledger` proves the database's log extends each checkpoint it is given.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from zhijiao.domain.creditbank.checkpoint import Checkpoint, NoteVerifier, parse_checkpoint
from zhijiao.domain.creditbank.ledger import (
    GENESIS_HASH,
    ChainBreak,
    LedgerEntry,
    chain_entry,
    entry_bytes,
    outcome_snapshot,
    recorded_snapshots,
)
from zhijiao.domain.creditbank.merkle import Frontier, Tree, leaf_hash, verify_consistency
from zhijiao.domain.creditbank.model import LedgerAction
from zhijiao.domain.errors import ValidationFailed
from zhijiao.services.clock import utcnow

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
    """Append one entry (one change set) to an account's chain (inside the caller's unit of work)."""
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
    append_entries(uow, [entry], now)
    return entry


def append_entries(uow: SqlUnitOfWork, entries: Sequence[LedgerEntry], now: datetime) -> None:
    uow.ledger.append(entries)
    after_append(uow, now)


def after_append(uow: SqlUnitOfWork, now: datetime) -> None:
    """Take a checkpoint in the writing transaction when the last one is older than the interval:
    while the log grows it is checkpointed at least that often (and the checkpoint commits or rolls
    back with the entries it covers)."""
    last = uow.ledger.latest_checkpoint()
    if last is None or _aware(last.created_at) <= now - timedelta(seconds=uow.checkpoint_seconds):
        take_checkpoint(uow, now)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# --- checkpoints ---


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    tree_size: int
    root_hash: str  # hex
    note: str
    created_at: datetime


def _stored(row: Any) -> StoredCheckpoint:
    return StoredCheckpoint(row.tree_size, row.root_hash, row.note, _aware(row.created_at))


def take_checkpoint(uow: SqlUnitOfWork, now: datetime | None = None) -> StoredCheckpoint:
    """Sign the current tree head and add it to the history, unless the newest checkpoint already
    covers the whole log (inside an open unit of work; the caller commits)."""
    assert uow.log_signer is not None, "the unit of work has no log key"
    uow.ledger.lock()
    now = now or utcnow()
    last = uow.ledger.latest_checkpoint()
    size = uow.ledger.size()
    if last is not None and last.tree_size >= size:
        return _stored(last)
    frontier = Frontier.decode(last.tree_size, last.frontier) if last is not None else Frontier(0)
    while frontier.size < size:  # in slices, so memory stays bounded however long the log
        frontier = frontier.extend(uow.ledger.leaf_hashes(frontier.size, min(size, frontier.size + 100_000)))
    root = frontier.root()
    note = Checkpoint(uow.log_signer.name, size, root).signed(uow.log_signer)
    uow.ledger.add_checkpoint(
        tree_size=size, root_hash=root.hex(), frontier=frontier.encode(), note=note, now=now
    )
    return StoredCheckpoint(size, root.hex(), note, now)


def checkpoint_now(uow: SqlUnitOfWork) -> StoredCheckpoint:
    """`zhijiao ledger checkpoint` (cron-able): a checkpoint of the log as it is, committed."""
    with uow:
        found = take_checkpoint(uow)
        uow.commit()
    return found


def latest_checkpoint(uow: SqlUnitOfWork, covering: int = 1) -> StoredCheckpoint:
    """The newest published checkpoint holding at least `covering` entries (taken now if there is none)."""
    with uow.read():
        found = uow.ledger.checkpoint_covering(covering)
    if found is not None:
        return _stored(found)
    return checkpoint_now(uow)


def checkpoint_history(uow: SqlUnitOfWork, since: int = 0, limit: int = 1000) -> list[StoredCheckpoint]:
    with uow.read():
        return [_stored(r) for r in uow.ledger.checkpoints(since=since, limit=limit)]


def log_verifier(uow: SqlUnitOfWork) -> NoteVerifier:
    assert uow.log_signer is not None
    return uow.log_signer.verifier


# --- proofs (from a per-process cache of the tree: entries never change, the log only grows) ---


class _TreeCache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.trees: dict[int, tuple[list[bytes], Tree | None]] = {}

    def cached(self, uow: SqlUnitOfWork, size: int, root: str) -> Tree | None:
        """The cached tree of exactly `size` entries with this root, without reading anything."""
        with self.lock:
            _, tree = self.trees.get(id(uow.engine), ([], None))
        return tree if tree is not None and tree.size == size and tree.root().hex() == root else None

    def tree(self, uow: SqlUnitOfWork, size: int, root: str | None = None) -> Tree:
        """The tree of the first `size` entries; `root` (hex), when known, is checked, and a cache that
        disagrees with it (the database was changed under it) is read again."""
        key = id(uow.engine)
        with self.lock:
            for fresh in (False, True):
                leaves, tree = ([], None) if fresh else self.trees.get(key, ([], None))
                if len(leaves) < size:
                    leaves = leaves + uow.ledger.leaf_hashes(len(leaves), size)
                    if len(leaves) < size:
                        raise ValidationFailed("树大小超出台账记录数", field="size")
                    tree = None
                if tree is None or tree.size != size:
                    tree = Tree(leaves[:size])
                self.trees[key] = (leaves, tree)
                if root is None or tree.root().hex() == root:
                    break
            assert tree is not None
            return tree


_trees = _TreeCache()


def consistency_proof(uow: SqlUnitOfWork, old: int, new: int) -> list[bytes]:
    if not 0 < old <= new:
        raise ValidationFailed("须满足 0 < from ≤ to", field="from")
    with uow.read():
        if new > uow.ledger.size():
            raise ValidationFailed("树大小超出台账记录数", field="to")
        published = uow.ledger.checkpoint_at(new)
        return _trees.tree(uow, new, published.root_hash if published else None).consistency_proof(old, new)


@dataclass(frozen=True, slots=True)
class InclusionProof:
    log_index: int
    tree_size: int
    leaf_hash: bytes
    proof: list[bytes]
    checkpoint: str

    def as_json(self) -> dict[str, Any]:
        return {
            "log_index": self.log_index,
            "tree_size": self.tree_size,
            "leaf_hash": base64.b64encode(self.leaf_hash).decode(),
            "inclusion_proof": [base64.b64encode(h).decode() for h in self.proof],
            "checkpoint": self.checkpoint,
        }


def inclusion_proof(uow: SqlUnitOfWork, entry_id: int, leaf_hex: str) -> InclusionProof:
    """The proof that entry `entry_id` is in the newest published checkpoint (one is taken if none covers it)."""
    with uow.read():
        found = _proof_in_published(uow, entry_id, leaf_hex)
    if found is not None:
        return found
    checkpoint_now(uow)
    with uow.read():
        found = _proof_in_published(uow, entry_id, leaf_hex)
    assert found is not None
    return found


def _proof_in_published(uow: SqlUnitOfWork, entry_id: int, leaf_hex: str) -> InclusionProof | None:
    published = uow.ledger.checkpoint_covering(entry_id)
    if published is None:
        return None
    _published[id(uow.engine)] = published
    size = published.tree_size
    tree = _trees.tree(uow, size, published.root_hash)
    return InclusionProof(
        entry_id - 1, size, bytes.fromhex(leaf_hex), tree.inclusion_proof(entry_id - 1, size), published.note
    )


_published: dict[int, Any] = {}  # engine → the newest checkpoint row this process has seen


def entry_inclusion(uow: SqlUnitOfWork, entry_id: int, leaf_hex: str) -> InclusionProof:
    """`inclusion_proof` for the hot read path: against the newest checkpoint this process has seen
    (any published checkpoint holding the entry proves it), so that in the steady state it needs no
    statement at all; a newer checkpoint is read only when that one does not hold the entry."""
    known = _published.get(id(uow.engine))
    if known is not None and known.tree_size >= entry_id:
        size = known.tree_size
        cached = _trees.cached(uow, size, known.root_hash)
        if cached is not None:
            path = cached.inclusion_proof(entry_id - 1, size)
            return InclusionProof(entry_id - 1, size, bytes.fromhex(leaf_hex), path, known.note)
    return inclusion_proof(uow, entry_id, leaf_hex)


def latest_entry_proof(uow: SqlUnitOfWork, account_id: int) -> InclusionProof | None:
    """The inclusion proof of the account's newest entry (None for an account without entries): in one
    read when a published checkpoint covers it and this process's tree cache is current."""
    with uow.read():
        latest = uow.ledger.latest_of(account_id)
        if latest is None:
            return None
        found = _proof_in_published(uow, latest[0], latest[2])
    return found if found is not None else inclusion_proof(uow, latest[0], latest[2])


def bytes_of(e: LedgerEntry) -> bytes:
    return entry_bytes(
        account_id=e.account_id, seq=e.seq, action=e.action, outcome_id=e.outcome_id, payload=e.payload,
        actor=e.actor, recorded_at=e.recorded_at, prev_hash=e.prev_hash, note=e.note,
    )  # fmt: skip


# --- verification ---


@dataclass(frozen=True, slots=True)
class LedgerProblem:
    """One problem found; `kind` names it (truncated, entry_missing, entry_rewritten, chain_broken,
    not_extension, fork, bad_checkpoint, outcome_mismatch, outcome_unrecorded, outcome_deleted)."""

    kind: str
    reason: str
    account_id: int | None = None
    seq: int | None = None
    entry_id: int | None = None


@dataclass(slots=True)
class LedgerReport:
    accounts: int = 0
    entries: int = 0
    checkpoints: int = 0
    problems: list[LedgerProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def breaks(self) -> list[ChainBreak]:
        """The per-account chain problems, in the older shape."""
        return [
            ChainBreak(p.account_id or 0, p.seq or 0, p.entry_id, p.reason)
            for p in self.problems
            if p.account_id is not None
        ]


def _digest(snapshot: str) -> bytes:
    return hashlib.blake2b(snapshot.encode(), digest_size=16).digest()


def verify_ledger(
    uow: SqlUnitOfWork,
    checkpoints: Sequence[Checkpoint] = (),
    *,
    verifier: NoteVerifier | None = None,
    progress: Callable[[int], None] | None = None,
) -> LedgerReport:
    """Recompute every entry's leaf hash and each account's chain, the tree over all entries; prove
    it extends each of `checkpoints` (signed by `verifier`, by default this log's key); then check that
    every outcome row equals its latest ledger snapshot. Problems in log order, the first one first."""
    report = LedgerReport(checkpoints=len(checkpoints))
    problems = report.problems
    leaves: list[bytes] = []
    heads: dict[int, tuple[int, str]] = {}
    latest: dict[int, tuple[int, int, bytes]] = {}  # outcome id → (account, seq, snapshot digest)
    verifier = verifier or log_verifier(uow)
    with uow.read():
        expected_id = 1
        for entry_id, e in uow.ledger.iter_log():
            if entry_id != expected_id:
                problems.append(LedgerProblem(
                    "entry_missing",
                    f"台账缺少日志第 {expected_id}—{entry_id - 1} 号记录（记录或整个账号被删除）",
                    entry_id=expected_id,
                ))  # fmt: skip
                leaves.extend(b"" for _ in range(expected_id, entry_id))
            expected_id = entry_id + 1
            report.entries += 1
            if progress and report.entries % 1000 == 0:
                progress(1000)
            leaf = leaf_hash(bytes_of(e))
            leaves.append(leaf)
            where = {"account_id": e.account_id, "seq": e.seq, "entry_id": entry_id}
            seq, prev = heads.get(e.account_id, (0, GENESIS_HASH))
            if e.seq != seq + 1:
                problems.append(LedgerProblem(
                    "chain_broken", f"序号不连续：应为 {seq + 1}，实为 {e.seq}（此前的记录被删除）", **where
                ))  # fmt: skip
            elif e.prev_hash != prev:
                problems.append(LedgerProblem("chain_broken", "前序哈希与上一条记录不符", **where))
            if leaf.hex() != e.hash:
                problems.append(
                    LedgerProblem("entry_rewritten", "记录内容与哈希不符（可能被直接改动）", **where)
                )
            heads[e.account_id] = (e.seq, e.hash)
            try:
                for outcome_id, snapshot in recorded_snapshots(e.action, e.outcome_id, e.payload):
                    latest[outcome_id] = (e.account_id, e.seq, _digest(snapshot))
            except (ValueError, KeyError, TypeError):
                problems.append(
                    LedgerProblem("entry_rewritten", "记录内容无法读取（可能被直接改动）", **where)
                )
        report.accounts = len(heads)
        if progress:
            progress(report.entries % 1000)
        stored = uow.ledger.checkpoints(limit=1_000_000)
        given = {(c.size, c.root) for c in checkpoints}
        kept = [parse_checkpoint(r.note) for r in stored]  # the database's own history is checked too
        _check_against_checkpoints(
            report,
            leaves,
            [*checkpoints, *(c for c in kept if (c.size, c.root) not in given)],
            verifier,
            stored,
        )
        for o in uow.outcomes.iter_all():
            assert o.id is not None
            recorded = latest.pop(o.id, None)
            if recorded is None:
                problems.append(LedgerProblem(
                    "outcome_unrecorded", f"成果 {o.id} 没有台账记录", account_id=o.account_id, seq=0
                ))  # fmt: skip
            elif recorded[2] != _digest(outcome_snapshot(o)):
                problems.append(LedgerProblem(
                    "outcome_mismatch", f"成果 {o.id} 的当前数据与台账最新记录不符（可能被直接改动）",
                    account_id=recorded[0], seq=recorded[1],
                ))  # fmt: skip
        for outcome_id, (account_id, seq, _) in latest.items():
            problems.append(LedgerProblem(
                "outcome_deleted", f"台账记录的成果 {outcome_id} 已不存在（可能被删除）", account_id=account_id, seq=seq
            ))  # fmt: skip
    return report


def _check_against_checkpoints(
    report: LedgerReport,
    leaves: list[bytes],
    checkpoints: Sequence[Checkpoint],
    verifier: NoteVerifier,
    stored: list[Any],
) -> None:
    """Consistency of the database's tree with each given checkpoint, naming what happened."""
    size = len(leaves)
    tree = Tree(leaves) if checkpoints else None
    matched: list[Checkpoint] = []
    failed: list[tuple[Checkpoint, str, str]] = []
    for cp in sorted(checkpoints, key=lambda c: c.size):
        if cp.origin != verifier.name or not cp.signed_by(verifier):
            report.problems.append(LedgerProblem(
                "bad_checkpoint", f"检查点（树大小 {cp.size}）不是本台账的密钥 {verifier.name} 签发的，或签名无效"
            ))  # fmt: skip
            continue
        assert tree is not None
        if cp.size > size:
            failed.append((cp, "truncated",
                f"台账被截断：检查点记录了 {cp.size} 条，数据库中只有 {size} 条（最新的记录或账号被删除）"))  # fmt: skip
            continue
        root = tree.root()
        proof = tree.consistency_proof(cp.size, size) if cp.size else []
        if cp.size == 0 or verify_consistency(cp.size, size, cp.root, root, proof):
            matched.append(cp)
            continue
        failed.append((cp, "not_extension", _locate(tree, cp, stored)))
    for cp, kind, reason in failed:
        if kind == "not_extension" and any(m.size >= cp.size for m in matched):
            kind = "fork"
            reason = (f"分叉：数据库的台账与树大小 {cp.size} 的检查点不一致，却与更新的检查点一致——"
                      "两个已签名的检查点互不相容（同一密钥签发了两种历史）")  # fmt: skip
        report.problems.insert(0, LedgerProblem(kind, reason))


def _locate(tree: Tree, cp: Checkpoint, stored: list[Any]) -> str:
    """Where the database's first `cp.size` entries stop agreeing with `cp`, as closely as the
    checkpoint history stored in the database allows (a history an insider may also have rewritten)."""
    lo = 0
    for row in stored:
        if row.tree_size >= cp.size:
            break
        if tree.root(row.tree_size).hex() == row.root_hash:
            lo = row.tree_size
    return (
        f"台账不是检查点（树大小 {cp.size}）的追加延伸：日志第 {lo + 1}—{cp.size} 号记录中有记录被改写、删除或替换"
        "（哈希已重新计算，或历史被分叉）"
    )
