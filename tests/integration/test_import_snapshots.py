"""The ledger snapshots an import writes (one entry per account) equals the snapshot of the outcome read back from the database."""

from __future__ import annotations

import json

from tests.factories import World
from tests.spreadsheets import csv_bytes, outcome_row
from zhijiao.adapters.spreadsheets.reading import read_outcome_file
from zhijiao.domain.access import SYSTEM
from zhijiao.domain.creditbank.ledger import GENESIS_HASH, canonical_json, entry_hash, outcome_snapshot
from zhijiao.services.creditbank.ledger import verify_ledger
from zhijiao.services.creditbank.outcome_files import import_file


def test_imported_snapshots_survive_the_round_trip(world: World) -> None:
    rows = [
        outcome_row(world, 1, 成果名称='带"引号"\\反斜杠\t制表', 成果代码="", 学时="12.5", 成绩="优"),
        outcome_row(
            world, 1, 成果名称="证书 \u2028 😀", 成果类型="职业资格证书", 学时="", 等级="技师", 成绩=""
        ),
        outcome_row(world, 2, 学时="0", 学分="0.5", 成绩="59.9"),
        outcome_row(world, 2, 成果名称="在线", 成果类型="在线课程", 学时="7", 成绩="100"),
    ]
    result = import_file(world.platform.uow(), SYSTEM, read_outcome_file("快照.csv", csv_bytes(rows)))
    assert result.ok, result.problems
    assert result.outcomes_created == 4
    with world.platform.uow().read() as uow:
        stored = list(uow.outcomes.iter_all())
        records = {
            o.account_id: [e for e in uow.ledger.for_account(o.account_id) if e.action == "record"]
            for o in stored
        }
    assert len(stored) == 4
    assert all(len(found) == 1 for found in records.values())  # one entry per account for this change set
    for o in stored:
        (entry,) = records[o.account_id]
        mine = [s for s in json.loads(entry.payload) if s["id"] == o.id]
        assert len(mine) == 1 and outcome_snapshot(o) in entry.payload
        # the f-string texts are the canonical JSON, byte for byte
        assert canonical_json(mine[0]) == outcome_snapshot(o) == canonical_json(
            {"id": o.id, "kind": o.kind, "title": o.title, "code": o.code, "issuer_id": o.issuer_id,
             "obtained_on": o.obtained_on, "hours": o.hours, "credits": o.credits, "score": o.score,
             "grade": o.grade, "level": int(o.level) if o.level is not None else None,
             "framework_level": o.framework_level, "evidence_ref": o.evidence_ref, "status": o.status}
        )  # fmt: skip
        assert entry.hash == entry_hash(
            account_id=entry.account_id, seq=entry.seq, action=entry.action, outcome_id=entry.outcome_id,
            payload=entry.payload, actor=entry.actor, recorded_at=entry.recorded_at, prev_hash=entry.prev_hash,
        )  # fmt: skip
        assert entry.prev_hash != GENESIS_HASH  # the opening entry comes first
    assert verify_ledger(world.platform.uow()).intact
