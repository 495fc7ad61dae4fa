"""A published plan, rules and a learner with outcomes, on top of `tests.factories.World`."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tests.factories import World, national_id
from tests.unit.conversion.factories import PLAN_DATA
from zhijiao.domain.conversion.plan import PlanKey
from zhijiao.domain.creditbank.model import Level, Outcome, OutcomeDraft, OutcomeKind
from zhijiao.domain.identity import IdType
from zhijiao.services.conversion import plans, rules
from zhijiao.services.creditbank import accounts, outcomes

RULES_YAML = """\
institution: "{school}"
plan: {{institution: "{school}", major_code: "510201", cohort_year: 2023}}
caps: {{plan_ratio: "1/3", per_category: {{professional_core: "6"}}}}
rules:
  - id: R-WEB
    version: 1
    name: Web前端证书免修
    effective_from: 2020-01-01
    sources: [{{kind: skill_certificate, code: X-WEB, min_level: 2}}]
    targets: [H01]
  - id: R-DB
    version: 1
    effective_from: 2020-01-01
    effective_to: 2023-12-31
    sources: [{{kind: course, code: DB100, min_score: "60", issuer_scope: partner}}]
    targets: [H02]
  - id: R-DB
    version: 2
    effective_from: 2024-01-01
    sources: [{{kind: course, code: DB100, min_score: "80", issuer_scope: partner}}]
    targets: [H02]
  - id: R-CLOUD
    version: 1
    effective_from: 2020-01-01
    sources: [{{kind: skill_certificate, code: X-WEB}}]
    targets: [E01]
    reuse_sources: true
agreements:
  - {{id: GD-2023-01, partner: {other}, effective_from: 2020-01-01}}
"""


def plan_data(world: World) -> dict[str, Any]:
    data = copy.deepcopy(PLAN_DATA)
    data["institution_id"] = world.school.id
    return data


@dataclass
class ConversionWorld:
    world: World
    key: PlanKey
    account_no: str
    certificate: Outcome  # X-WEB 中级, from the certifier: exempts H01 (and E01 by R-CLOUD)
    db_course: Outcome  # DB100, 85 points, from the partner school: exempts H02 under R-DB v2


def rules_yaml(world: World) -> str:
    """The school named by its 学校标识码, the partner school by its 统一社会信用代码 (never by database id)."""
    return RULES_YAML.format(school=world.school.moe_code, other=world.other_school.uscc)


def build(world: World) -> ConversionWorld:
    uow = world.platform.uow
    staff = world.p("school_staff")
    plans.import_plan_file(uow(), staff, "plan.json", json.dumps(plan_data(world)).encode())
    key = PlanKey(world.school.id or 0, "510201", 2023)
    rules.import_rules(uow(), staff, rules_yaml(world), "yaml")
    account_no = world.learner_account.account_no
    plans.enrol_on_plan(uow(), staff, account_no, key)
    certificate = outcomes.record_outcome(
        uow(), world.p("certifier"), account_no,
        OutcomeDraft(OutcomeKind.skill_certificate, "Web前端开发职业技能等级证书（中级）", world.certifier.id or 0,
                     date(2024, 3, 1), code="X-WEB", level=Level.intermediate), world.knows_learner(),
    )  # fmt: skip
    db_course = outcomes.record_outcome(
        uow(), world.p("other_staff"), account_no,
        OutcomeDraft(OutcomeKind.course, "数据库原理", world.other_school.id or 0, date(2024, 1, 15), code="DB100",
                     hours=Decimal(48), score=Decimal(85)), world.knows_learner(),
    )  # fmt: skip
    return ConversionWorld(world, key, account_no, certificate, db_course)


def second_learner(world: World, n: int = 2) -> str:
    """Another learner of the school (account number)."""
    account = accounts.open_account(
        world.platform.uow(), world.p("school_staff"), name=f"学生{n}", id_type=IdType.national_id,
        id_number=national_id(n), institution_id=world.school.id,
    )  # fmt: skip
    return account.account_no
