"""Recording majors and cohorts on accounts: grants, denials and validation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import World, national_id
from zhijiao.adapters.db.tables import learning_accounts
from zhijiao.domain.errors import Forbidden, NotFound, ValidationFailed
from zhijiao.services.creditbank.enrolments import Enrolment, record_enrolments


def _major(world: World) -> tuple[str | None, int | None]:
    with world.platform.engine.connect() as c:
        c_ = learning_accounts.c
        row = c.execute(select(c_.major_code, c_.cohort_year).where(c_.id == world.learner_account.id)).one()
    return row.major_code, row.cohort_year


def test_school_records_its_learners_major(world: World) -> None:
    item = Enrolment(national_id(1), "510201", 2023)
    assert record_enrolments(world.platform.uow(), world.p("school_staff"), [item]) == 1
    assert _major(world) == ("510201", 2023)
    record_enrolments(world.platform.uow(), world.p("gd_admin"), [Enrolment(national_id(1), "460104K", 2024)])
    assert _major(world) == ("460104K", 2024)


@pytest.mark.parametrize("who", ["certifier", "learner"])
def test_others_may_not(world: World, who: str) -> None:
    with pytest.raises(Forbidden):
        record_enrolments(world.platform.uow(), world.p(who), [Enrolment(national_id(1), "510201", 2023)])
    assert _major(world) == (None, None)


@pytest.mark.parametrize("who", ["other_staff", "hn_admin"])
def test_out_of_scope_is_answered_as_no_account(world: World, who: str) -> None:
    """Issue 8 item 2: another school's (province's) learner gets the very answer of a number
    without an account, so the endpoint tells nobody that a person they cannot see exists."""
    with pytest.raises(NotFound) as outside:
        record_enrolments(world.platform.uow(), world.p(who), [Enrolment(national_id(1), "510201", 2023)])
    with pytest.raises(NotFound) as nobody:
        record_enrolments(world.platform.uow(), world.p(who), [Enrolment(national_id(99), "510201", 2023)])
    assert (str(outside.value), outside.value.code) == (str(nobody.value), nobody.value.code)
    assert _major(world) == (None, None)


def test_bad_input_is_refused(world: World) -> None:
    staff = world.p("school_staff")
    with pytest.raises(ValidationFailed):
        record_enrolments(world.platform.uow(), staff, [Enrolment(national_id(1), "51-02", 2023)])
    with pytest.raises(ValidationFailed):
        record_enrolments(world.platform.uow(), staff, [Enrolment(national_id(1), "510201", 1900)])
    with pytest.raises(NotFound):
        record_enrolments(world.platform.uow(), staff, [Enrolment(national_id(99), "510201", 2023)])
    assert _major(world) == (None, None)
