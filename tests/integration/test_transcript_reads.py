"""The transcript's read path: one statement outside a transaction, same answers as before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event

from tests.factories import World
from zhijiao.domain.creditbank.model import OutcomeDraft, OutcomeKind
from zhijiao.domain.errors import NotFound
from zhijiao.domain.identity import make_account_no
from zhijiao.services.creditbank import outcomes, transcripts


def _record(world: World, title: str, on: date, issuer: str = "school") -> None:
    inst = getattr(world, issuer)
    who = "certifier" if issuer == "certifier" else "school_staff"
    kind = OutcomeKind.skill_certificate if issuer == "certifier" else OutcomeKind.course
    outcomes.record_outcome(
        world.platform.uow(), world.p(who), world.learner_account.account_no,
        OutcomeDraft(kind, title, inst.id, on, hours=Decimal(32), level=1 if issuer == "certifier" else None),
        world.knows_learner(),
    )  # fmt: skip


def test_account_with_outcomes_gives_home_outcomes_by_date_and_their_issuers(world: World) -> None:
    account_id = world.learner_account.id
    assert account_id is not None
    with world.platform.uow().read(autocommit=True) as uow:
        account, home, none, issuers, _ = uow.accounts.with_outcomes(account_id) or pytest.fail("no account")
        assert uow.accounts.with_outcomes(account_id + 999) is None
    assert (account, home, none, issuers) == (world.learner_account, world.school, [], {})

    _record(world, "电工基础", date(2024, 6, 30))
    _record(world, "Web前端开发", date(2023, 12, 1), issuer="certifier")
    _record(world, "高等数学", date(2024, 1, 15))
    with world.platform.uow().read(autocommit=True) as uow:
        _, _, found, issuers, _ = uow.accounts.with_outcomes(account_id) or pytest.fail("no account")
        assert found == uow.outcomes.for_account(account_id)
    assert [o.title for o in found] == ["Web前端开发", "高等数学", "电工基础"]
    assert issuers == {world.school.id: world.school, world.certifier.id: world.certifier}


def test_a_transcript_is_one_statement_and_never_opens_a_transaction(world: World) -> None:
    _record(world, "电工基础", date(2024, 6, 30))
    _record(world, "Web前端开发", date(2023, 12, 1), issuer="certifier")
    p = world.platform
    # once per process and checkpoint, the ledger proof reads the published checkpoint and tree
    transcripts.transcript(p.uow(), world.p("national"), world.learner_account.account_no)
    engine = p.autocommit_engine or p.engine
    statements: list[str] = []
    in_transaction: list[bool] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)
        if conn.dialect.name == "postgresql":  # the driver's own view, not SQLAlchemy's
            in_transaction.append(conn.connection.driver_connection.info.transaction_status != 0)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        full = transcripts.transcript(p.uow(), world.p("national"), world.learner_account.account_no)
        partial = transcripts.transcript(p.uow(), world.p("certifier"), world.learner_account.account_no)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    queries = [s for s in statements if s.startswith("SELECT")]  # (SQLite's reads also say BEGIN)
    assert len(queries) == 2  # one per transcript: account, home, outcomes and issuers together
    assert not any(in_transaction)
    assert [o.title for o in full.outcomes] == ["Web前端开发", "电工基础"] and full.complete
    assert full.home == world.school and set(full.issuers) == {world.school.id, world.certifier.id}
    # the certifier sees what it issued, and only its own name among the issuers
    assert [o.title for o in partial.outcomes] == ["Web前端开发"] and not partial.complete
    assert set(partial.issuers) == {world.certifier.id}
    assert partial.accumulation.total.count == 1


def test_transcript_denials_look_like_missing_accounts(world: World) -> None:
    p, no = world.platform, world.learner_account.account_no
    for who in ("far_staff", "hn_admin", "certifier"):  # nothing issued, another province, no relation
        with pytest.raises(NotFound):
            transcripts.transcript(p.uow(), world.p(who), no)
    wrong_check_digit = no[:-1] + ("0" if no[-1] != "0" else "1")
    for number in (wrong_check_digit, "not-a-number", make_account_no("44", 987654)):
        with pytest.raises(NotFound):
            transcripts.transcript(p.uow(), world.p("national"), number)
