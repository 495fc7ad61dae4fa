"""Property: whatever applications are approved or rejected, in any order, no outcome is counted
twice and no cap is exceeded (checked on the stored exemptions, on both databases)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conversion_world import ConversionWorld, build, rules_yaml
from tests.factories import World, national_id
from zhijiao.domain.conversion.plan import CourseCategory
from zhijiao.domain.creditbank.model import Level, OutcomeDraft, OutcomeKind
from zhijiao.domain.errors import ValidationFailed
from zhijiao.domain.identity import IdType
from zhijiao.services.conversion import applications, plans, rules
from zhijiao.services.creditbank import accounts, outcomes
from zhijiao.services.creditbank.accounts import PersonProof

# one more rule on the same certificate, so that two rules compete for one outcome
EXTRA_RULE = """\
  - id: R-ALT
    version: 1
    effective_from: 2020-01-01
    sources: [{kind: skill_certificate, code: X-WEB}]
    targets: [B01]
"""
TARGETS = ("H01", "H02", "B01", "E01")
counter = itertools.count(100)

step = st.tuples(
    st.sets(st.integers(0, 2), min_size=1),  # which of the learner's three outcomes are cited
    st.sets(st.sampled_from(TARGETS), min_size=1),  # which courses are asked for
    st.booleans(),  # approve (True) or reject
)


@pytest.fixture
def cw(world: World) -> ConversionWorld:
    cw = build(world)
    text = rules_yaml(world).replace("agreements:", EXTRA_RULE + "agreements:")
    rules.import_rules(world.platform.uow(), world.p("school_staff"), text)
    return cw


def _learner(cw: ConversionWorld) -> tuple[str, int, list[int]]:
    world, uow = cw.world, cw.world.platform.uow
    n = next(counter)
    account = accounts.open_account(
        uow(), world.p("school_staff"), name=f"学生{n}", id_type=IdType.national_id, id_number=national_id(n),
        institution_id=world.school.id,
    )  # fmt: skip
    plans.enrol_on_plan(uow(), world.p("school_staff"), account.account_no, cw.key)
    made = [
        outcomes.record_outcome(
            uow(),
            world.p("certifier"),
            account.account_no,
            OutcomeDraft(
                OutcomeKind.skill_certificate,
                f"Web前端证书{i}",
                world.certifier.id or 0,
                date(2024, 3, 1 + i),
                code="X-WEB",
                level=Level.senior,
            ),
            PersonProof(f"学生{n}", national_id(n)),
        )
        for i in range(2)
    ]
    made.append(
        outcomes.record_outcome(
            uow(),
            world.p("other_staff"),
            account.account_no,
            OutcomeDraft(
                OutcomeKind.course,
                "数据库原理",
                world.other_school.id or 0,
                date(2024, 1, 15),
                code="DB100",
                hours=Decimal(48),
                score=Decimal(90),
            ),
            PersonProof(f"学生{n}", national_id(n)),
        )
    )
    return account.account_no, account.id or 0, [o.id or 0 for o in made]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=4))
def test_no_outcome_counts_twice_and_caps_hold(
    cw: ConversionWorld, steps: list[tuple[set[int], set[str], bool]]
) -> None:
    uow, staff = cw.world.platform.uow, cw.world.p("school_staff")
    account_no, account_id, outcome_ids = _learner(cw)
    for cited, targets, approve in steps:
        app = applications.submit(
            uow(), staff, account_no, [outcome_ids[i] for i in sorted(cited)], sorted(targets)
        )
        applications.start_review(uow(), staff, app.id)
        if approve:
            try:
                applications.approve(uow(), staff, app.id)
            except ValidationFailed:
                applications.reject(uow(), staff, app.id, "无可批准的免修")
        else:
            applications.reject(uow(), staff, app.id, "材料不全")
    with uow().read() as u:
        granted = [s.exemption for s in u.conversion.exemptions(account_id)]
    courses = [e.course_code for e in granted]
    assert len(courses) == len(set(courses))
    claims = defaultdict(set)  # (rule, version, outcomes) → the courses one claim exempted
    for e in granted:
        if not e.reuse_sources:
            claims[(e.rule_id, e.rule_version, e.outcome_ids)].add(e.course_code)
    used = [o for key in claims for o in key[2]]
    assert len(used) == len(set(used)), f"an outcome counted twice: {claims}"
    assert sum((e.credits for e in granted), Decimal(0)) <= Decimal("7.5")  # 1/3 of 22.5
    core = sum((e.credits for e in granted if e.category is CourseCategory.professional_core), Decimal(0))
    assert core <= 6
