"""Migration 0004_tlog re-records a per-outcome ledger as change sets, faithfully, and back."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import create_engine, text

from tests.factories import World
from tests.spreadsheets import csv_bytes, outcome_row
from zhijiao.adapters.db import migrate
from zhijiao.adapters.spreadsheets.reading import read_outcome_file
from zhijiao.domain.access import SYSTEM
from zhijiao.domain.creditbank.ledger import entry_bytes
from zhijiao.services.creditbank import outcomes
from zhijiao.services.creditbank.ledger import verify_ledger
from zhijiao.services.creditbank.outcome_files import import_file


def _entries(url: str) -> list[dict[str, object]]:
    eng = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with eng.connect() as c:
        rows = [dict(r) for r in c.execute(text("SELECT * FROM ledger_entries ORDER BY id")).mappings()]
    eng.dispose()
    return rows


def test_change_sets_are_re_recorded_both_ways(world: World, database_url: str) -> None:
    rows = [
        outcome_row(world, 1),
        outcome_row(world, 1, 成果名称="课程甲", 成果代码="C9001"),
        outcome_row(world, 2),
    ]
    assert import_file(world.platform.uow(), SYSTEM, read_outcome_file("a.csv", csv_bytes(rows))).ok
    first = world.platform.uow()
    with first.read() as uow:
        (oid,) = [o.id for o in uow.outcomes.iter_all() if o.title == "课程甲"]
    outcomes.revoke_outcome(world.platform.uow(), SYSTEM, oid or 0, "登记错误")
    before = _entries(database_url)
    # open ×3 (learner of the world + 2 imported), the import's 2 change sets, the revocation
    assert [e["action"] for e in before] == ["open", "open", "open", "record", "record", "revoke"]
    world.platform.dispose()

    migrate.command.downgrade(migrate.alembic_config(database_url), "0003")
    old = _entries(database_url)
    assert [e["action"] for e in old] == ["open", "open", "open", "record", "record", "record", "revoke"]
    assert all(e["outcome_id"] is not None for e in old if e["action"] == "record")
    for e in old:  # the old per-outcome entries, hashed as before: SHA-256 of header ‖ "\n" ‖ payload
        fields = {
            k: e[k]
            for k in ("account_id", "seq", "action", "outcome_id", "payload", "actor", "prev_hash", "note")
        }
        at = e["recorded_at"]
        fields["recorded_at"] = datetime.fromisoformat(at) if isinstance(at, str) else at
        assert hashlib.sha256(entry_bytes(**fields)).hexdigest() == e["hash"]  # type: ignore[arg-type]

    migrate.upgrade(database_url)
    after = _entries(database_url)
    assert [(e["action"], e["payload"], e["account_id"], e["seq"]) for e in after] == [
        (e["action"], e["payload"], e["account_id"], e["seq"]) for e in before
    ]
    assert [e["hash"] for e in after] == [e["hash"] for e in before]
    assert len(json.loads(str(after[3]["payload"]))) == 2
    assert verify_ledger(world.platform.uow()).intact
