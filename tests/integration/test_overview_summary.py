"""The overview summaries stay equal to a computation from scratch through every kind of change.

Outcomes recorded, imported in bulk, corrected (credits, date) and revoked; accounts opened one by
one and in bulk, and given a cohort; a summary rebuilt from scratch (the migration's back-fill)
equals the one maintained. Both read sides (summary and from scratch) give the same rows.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.e2e.page_world import build_page_world
from tests.factories import World, national_id
from zhijiao.adapters.analytics.creditbank_overview import CreditbankOverview, CreditbankOverviewFromScratch
from zhijiao.adapters.db import overview_summary
from zhijiao.adapters.db.overview_tables import overview_learners, overview_outcomes
from zhijiao.domain.creditbank.model import OutcomeDraft, OutcomeKind
from zhijiao.domain.identity import IdType
from zhijiao.services.creditbank import accounts, outcomes, province_overview


def read_sides(world: World, province: str | None) -> tuple[tuple[object, ...], tuple[object, ...]]:
    engine = world.platform.engine
    with engine.connect() as conn:
        got = []
        for side in (CreditbankOverview(conn), CreditbankOverviewFromScratch(conn)):
            got.append((
                side.institutions(province), side.outcome_groups(province), side.learner_groups(province),
                side.application_states(province),
            ))  # fmt: skip
    return got[0], got[1]


def summary_rows(world: World) -> tuple[list[object], list[object]]:
    with world.platform.engine.connect() as conn:
        o = sorted(tuple(r) for r in conn.execute(overview_outcomes.select()) if r.outcomes)
        lr = sorted(tuple(r) for r in conn.execute(overview_learners.select()) if r.learners)
    return o, lr


@pytest.mark.parametrize("province", [None, "44", "43"])
def test_summary_equals_from_scratch_after_every_kind_of_change(world: World, province: str | None) -> None:
    pw = build_page_world(world)  # accounts in two provinces, outcomes across the border, one revoked
    uow, staff = world.platform.uow, world.p("school_staff")
    no = world.learner_account.account_no
    o = outcomes.record_outcome(uow(), staff, no, OutcomeDraft(
        kind=OutcomeKind.training, title="安全培训", issuer_id=world.school.id or 0, obtained_on=date(2021, 3, 1),
        hours=Decimal(40),
    ))  # fmt: skip
    outcomes.correct_outcome(
        uow(), staff, o.id or 0, {"obtained_on": "2022-04-02", "hours": "56"}, "录入错误"
    )
    extra = accounts.open_account(
        uow(), staff, name="周喆", id_type=IdType.national_id, id_number=national_id(77), institution_id=world.school.id,
    )  # fmt: skip
    victim = outcomes.record_outcome(uow(), staff, extra.account_no, OutcomeDraft(
        kind=OutcomeKind.course, title="机械基础", issuer_id=world.school.id or 0, obtained_on=date(2024, 1, 9),
        hours=Decimal(32),
    ))  # fmt: skip
    outcomes.revoke_outcome(uow(), staff, victim.id or 0, "重复录入")
    assert pw is not None
    summary, scratch = read_sides(world, province)
    assert summary == scratch
    maintained = summary_rows(world)
    with world.platform.engine.begin() as conn:
        overview_summary.rebuild(conn)
    assert summary_rows(world) == maintained


def test_the_province_page_reconciles_held_and_issued(world: World) -> None:
    build_page_world(world)
    o = province_overview.province_overview(world.platform.uow(), world.p("gd_admin"), None)
    assert o.total.outcomes - o.held_from_other_provinces == o.issued - o.issued_to_other_provinces
    everything = province_overview.province_overview(world.platform.uow(), world.p("national"), None)
    assert everything.issued == everything.total.outcomes
    assert everything.issued_to_other_provinces == everything.held_from_other_provinces == 0
