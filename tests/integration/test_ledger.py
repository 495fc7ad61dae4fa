"""`zhijiao ledger verify`: 0 when every chain is intact; otherwise non-zero, naming the first bad entry."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

from sqlalchemy import text

from tests.conftest import TEST_SECRET
from tests.factories import World
from zhijiao.domain.creditbank.model import OutcomeDraft, OutcomeKind
from zhijiao.services.creditbank import outcomes
from zhijiao.services.creditbank.ledger import verify_ledger


def _record(world: World, title: str, hours: int = 32) -> int:
    o = outcomes.record_outcome(
        world.platform.uow(), world.p("school_staff"), world.learner_account.account_no,
        OutcomeDraft(OutcomeKind.course, title, world.school.id or 0, date(2024, 6, 30), hours=Decimal(hours)),
    )  # fmt: skip
    assert o.id is not None
    return o.id


def _verify_cli(database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZHIJIAO_DATABASE_URL": database_url, "ZHIJIAO_SECRET_KEY": TEST_SECRET}
    return subprocess.run(
        [sys.executable, "-m", "zhijiao.cli", "ledger", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _bypass_triggers(conn: object, dialect: str) -> None:
    if dialect == "sqlite":
        conn.execute(text("DROP TRIGGER ledger_entries_no_update"))  # type: ignore[attr-defined]
    else:
        conn.execute(text("ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only"))  # type: ignore[attr-defined]


def test_intact_ledger_verifies(world: World, database_url: str) -> None:
    first = _record(world, "机械制图")
    _record(world, "电工基础")
    outcomes.revoke_outcome(world.platform.uow(), world.p("school_staff"), first, "登记错误")
    report = verify_ledger(world.platform.uow())
    assert report.intact and report.entries == 4  # open, record, record, revoke
    done = _verify_cli(database_url)
    assert done.returncode == 0, done.stderr
    assert "台账完好" in done.stdout


def test_an_outcome_edited_in_the_database_is_caught(world: World, database_url: str) -> None:
    oid = _record(world, "机械制图")
    with world.platform.engine.begin() as c:
        c.execute(text("update outcomes set credits = 9 where id = :i"), {"i": oid})
    report = verify_ledger(world.platform.uow())
    assert not report.intact
    assert f"成果 {oid}" in report.breaks[0].reason
    done = _verify_cli(database_url)
    assert done.returncode == 1
    assert "台账校验失败" in done.stderr


def test_a_ledger_entry_edited_behind_the_trigger_is_caught_at_that_entry(
    world: World, database_url: str
) -> None:
    _record(world, "机械制图")
    _record(world, "电工基础")
    with world.platform.engine.begin() as c:
        _bypass_triggers(c, world.platform.engine.dialect.name)
        c.execute(
            text(
                "update ledger_entries set payload = replace(payload, '电工基础', '高等数学') where seq = 3 and account_id = :a"
            ),
            {"a": world.learner_account.id},
        )
    report = verify_ledger(world.platform.uow())
    assert not report.intact
    first = report.breaks[0]
    assert (first.account_id, first.seq) == (world.learner_account.id, 3)
    done = _verify_cli(database_url)
    assert done.returncode == 1
    assert f"账号 {world.learner_account.id} 第 3 条" in done.stderr
