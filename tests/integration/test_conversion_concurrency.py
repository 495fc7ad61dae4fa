"""Approvals racing at the same moment (threads released by a barrier): exactly one wins.

On PostgreSQL the account row lock and the conditional UPDATE decide; on SQLite writers are serial.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest

from tests.conversion_world import ConversionWorld, build
from tests.factories import World
from zhijiao.domain.creditbank.model import LedgerAction
from zhijiao.domain.errors import Conflict, DomainError, ValidationFailed
from zhijiao.services.conversion import applications
from zhijiao.services.creditbank import ledger, transcripts


@pytest.fixture
def cw(world: World) -> ConversionWorld:
    return build(world)


def _race(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads released together; return each result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except DomainError as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _exempt_entries(cw: ConversionWorld) -> int:
    history = transcripts.account_history(cw.world.platform.uow(), cw.world.p("school_staff"), cw.account_no)
    return sum(e.action is LedgerAction.exempt for e in history)


def test_two_reviewers_approve_the_same_application_at_once(cw: ConversionWorld) -> None:
    uow, staff = cw.world.platform.uow, cw.world.p("school_staff")
    app = applications.submit(uow(), cw.world.p("learner"), cw.account_no, [cw.certificate.id or 0], ["H01"])
    applications.start_review(uow(), staff, app.id)
    results = _race([lambda: applications.approve(uow(), staff, app.id) for _ in range(4)])
    wins = [r for r in results if isinstance(r, applications.ApplicationView)]
    assert len(wins) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r not in wins)
    assert _exempt_entries(cw) == 1
    assert len(applications.get_application(uow(), staff, app.id).exemptions) == 1
    assert ledger.verify_ledger(uow()).intact


def test_applications_of_one_learner_racing_for_a_cap_never_exceed_it(cw: ConversionWorld) -> None:
    uow, staff, learner = cw.world.platform.uow, cw.world.p("school_staff"), cw.world.p("learner")
    web = applications.submit(uow(), learner, cw.account_no, [cw.certificate.id or 0], ["H01"])
    db = applications.submit(uow(), learner, cw.account_no, [cw.db_course.id or 0], ["H02"])
    again = applications.submit(uow(), learner, cw.account_no, [cw.certificate.id or 0], ["H01"])
    for a in (web, db, again):
        applications.start_review(uow(), staff, a.id)
    results = _race([lambda a=a: applications.approve(uow(), staff, a.id) for a in (web, db, again)])
    wins = [r for r in results if isinstance(r, applications.ApplicationView)]
    assert len(wins) == 1, results  # 专业核心 cap 6: H01 (4) and H02 (3.5) cannot both pass; H01 only once
    assert all(isinstance(r, ValidationFailed) for r in results if r not in wins)
    with uow().read() as u:
        granted = u.conversion.exemptions(cw.world.learner_account.id or 0)
    assert sum((e.exemption.credits for e in granted), Decimal(0)) <= 6
    assert len({e.exemption.course_code for e in granted}) == len(granted) == 1
    assert _exempt_entries(cw) == 1
