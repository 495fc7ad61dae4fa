"""The ledger as a transparency log: change-set entries, RFC 9162 leaf hashes, checkpoint history

Revision ID: 0004_tlog
Revises: 0003
Create Date: 2026-12-02 07:10:00

Re-records the existing history faithfully: the `record` entries one change set wrote for one
account (the same account, actor and time, one after another in that account's chain: one import
batch, or one recording through a page or the API) become one entry whose payload is the JSON array
of their snapshots, in outcome-id order; every other entry (opening, corrections, revocations,
exemptions, credential changes) is kept as it was. Entries are renumbered in log order (the order
of their first original entry), each account's `seq`/`prev_hash` chain is rebuilt and every hash is
recomputed as the RFC 9162 leaf hash SHA-256(0x00 ‖ entry bytes) (docs/ledger/entry-format.md). The
entry bytes are written out here, frozen, so that later code changes do not change this migration.
It prints what it did. A checkpoint is taken by the first write (or `zhijiao ledger checkpoint`).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from json.encoder import encode_basestring as _quote

import sqlalchemy as sa
from alembic import op

revision = "0004_tlog"
down_revision = "0003"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
_entries = sa.table(
    "ledger_entries",
    sa.column("id", sa.BigInteger), sa.column("account_id", sa.BigInteger), sa.column("seq", sa.Integer),
    sa.column("action", sa.String), sa.column("outcome_id", sa.BigInteger), sa.column("payload", sa.Text),
    sa.column("note", sa.Text), sa.column("actor", sa.String), sa.column("recorded_at", sa.DateTime(timezone=True)),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String),
)  # fmt: skip
COLUMNS = ("id", "account_id", "seq", "action", "outcome_id", "payload", "note", "actor", "recorded_at",
           "prev_hash", "hash")  # fmt: skip


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _bytes(e: dict) -> bytes:
    """Entry bytes, format 1 (docs/ledger/entry-format.md)."""
    oid = "null" if e["outcome_id"] is None else str(int(e["outcome_id"]))
    note = "null" if e["note"] is None else _quote(e["note"])
    header = (
        f'{{"account_id":{int(e["account_id"])},"action":{_quote(e["action"])},"actor":{_quote(e["actor"])},'
        f'"note":{note},"outcome_id":{oid},"prev_hash":{_quote(e["prev_hash"])},'
        f'"recorded_at":"{_stamp(e["recorded_at"])}","seq":{int(e["seq"])}}}'
    )
    return f"{header}\n{e['payload']}".encode()


def _old_hash(e: dict) -> str:
    return hashlib.sha256(_bytes(e)).hexdigest()


def _leaf(e: dict) -> str:
    return hashlib.sha256(b"\x00" + _bytes(e)).hexdigest()


def _triggers(enable: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        if enable:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER ledger_entries_no_{verb.lower()} BEFORE {verb} ON ledger_entries "
                    "BEGIN SELECT RAISE(ABORT, '台账只能追加，不能修改或删除'); END"
                )
        else:
            op.execute("DROP TRIGGER IF EXISTS ledger_entries_no_update")
            op.execute("DROP TRIGGER IF EXISTS ledger_entries_no_delete")
    else:
        op.execute(
            f"ALTER TABLE ledger_entries {'ENABLE' if enable else 'DISABLE'} TRIGGER ledger_entries_append_only"
        )


def _rewrite(transform) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    bind = op.get_bind()
    old = [dict(r._mapping) for r in bind.execute(sa.select(_entries).order_by(_entries.c.id))]
    new = transform(old)
    heads: dict[int, tuple[int, str]] = {}
    for i, e in enumerate(new, start=1):
        seq, prev = heads.get(e["account_id"], (0, GENESIS))
        e.update(id=i, seq=seq + 1, prev_hash=prev)
        e["hash"] = _HASH(e)
        heads[e["account_id"]] = (e["seq"], e["hash"])
    _triggers(False)
    bind.execute(sa.delete(_entries))
    for start in range(0, len(new), 5000):
        bind.execute(sa.insert(_entries), new[start : start + 5000])
    _triggers(True)
    return len(old), len(new), len(heads)


_HASH = _leaf


def _group(old: list[dict]) -> list[dict]:
    """Consecutive `record` entries of one account with the same actor and time → one entry."""
    out: list[dict] = []
    open_group: dict[int, dict] = {}  # account → its record entry being gathered
    for e in old:
        a = e["account_id"]
        g = open_group.get(a)
        if e["action"] == "record" and e["note"] is None:
            if g is not None and g["actor"] == e["actor"] and g["recorded_at"] == e["recorded_at"]:
                g["_snapshots"].append(e["payload"])
                continue
            g = {**e, "outcome_id": None, "_snapshots": [e["payload"]]}
            open_group[a] = g
            out.append(g)
        else:
            open_group.pop(a, None)
            out.append(dict(e))
    for e in out:
        snaps = e.pop("_snapshots", None)
        if snaps is not None:
            snaps.sort(key=lambda s: json.loads(s)["id"])
            e["payload"] = "[" + ",".join(snaps) + "]"
    return out


def _ungroup(old: list[dict]) -> list[dict]:
    out: list[dict] = []
    for e in old:
        if e["action"] == "record" and e["payload"].startswith("["):
            for snap in json.loads(e["payload"]):
                text = json.dumps(snap, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                out.append({**e, "outcome_id": snap["id"], "payload": text})
        else:
            out.append(dict(e))
    return out


def upgrade() -> None:
    global _HASH
    op.create_table(
        "ledger_checkpoints",
        sa.Column("tree_size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("frontier", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tree_size", name=op.f("pk_ledger_checkpoints")),
        comment="no_pii",
    )
    _HASH = _leaf
    before, after, accounts = _rewrite(_group)
    if before:
        print(
            f"台账迁移 0004_tlog：{before} 条记录按变更集重新记录为 {after} 条（{accounts} 个账号），"
            "哈希按 RFC 9162 叶哈希重新计算 / ledger re-recorded as change sets: "
            f"{before} entries → {after} ({accounts} accounts), hashes recomputed as RFC 9162 leaf hashes"
        )


def downgrade() -> None:
    global _HASH
    _HASH = _old_hash
    before, after, _ = _rewrite(_ungroup)
    if before:
        print(
            f"台账迁移 0004_tlog 回退：{before} 条 → {after} 条（每个成果一条） / ledger split back: {before} → {after}"
        )
    op.drop_table("ledger_checkpoints")
