"""Issue 13: the pre-check, `zhijiao convert suggest`, approval and the graduation audit use the same
allocation and agree — on both worked examples of the issue, which must give 8 credits everywhere
(greedy gave 5 and 6). Runs on SQLite and PostgreSQL (the `world` fixture)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.factories import World
from zhijiao.bootstrap import Platform
from zhijiao.cli import main
from zhijiao.domain.conversion.plan import PlanKey
from zhijiao.domain.creditbank.model import Level, OutcomeDraft, OutcomeKind
from zhijiao.services.conversion import applications, cohort, exemptions, plans, rules
from zhijiao.services.creditbank import outcomes

COURSES = {
    # cap: the plan cap leaves 8 credits; separate exemptions of 5, 4 and 4 credits
    "cap": [
        ("A5", "网络基础", 5, "专业基础"),
        ("B4", "数据库", 4, "专业核心"),
        ("C4", "前端开发", 4, "专业核心"),
    ],
    # shared: a many-to-one rule worth 6 on certificates A and B, or 4 + 4 on A and B apart
    "shared": [
        ("D6", "综合实训", 6, "实习实训"),
        ("B4", "数据库", 4, "专业核心"),
        ("C4", "前端开发", 4, "专业核心"),
    ],
}
RULES = {
    "cap": """
caps: {{plan_credits: "8"}}
rules:
  - {{id: R-A, version: 1, effective_from: 2020-01-01, sources: [{{kind: skill_certificate, code: X-A}}], targets: [A5]}}
  - {{id: R-B, version: 1, effective_from: 2020-01-01, sources: [{{kind: skill_certificate, code: X-B}}], targets: [B4]}}
  - {{id: R-C, version: 1, effective_from: 2020-01-01, sources: [{{kind: skill_certificate, code: X-C}}], targets: [C4]}}
""",
    "shared": """
rules:
  - id: R-AB
    version: 1
    effective_from: 2020-01-01
    sources: [{{kind: skill_certificate, code: X-A}}, {{kind: skill_certificate, code: X-B}}]
    targets: [D6]
  - {{id: R-A, version: 1, effective_from: 2020-01-01, sources: [{{kind: skill_certificate, code: X-A}}], targets: [B4]}}
  - {{id: R-B, version: 1, effective_from: 2020-01-01, sources: [{{kind: skill_certificate, code: X-B}}], targets: [C4]}}
""",
}
CERTIFICATES = {"cap": ["X-A", "X-B", "X-C"], "shared": ["X-A", "X-B"]}
LEFT_OUT = {
    "cap": ("A5", "本方案已免修 8 学分，达到上限；若改选本课程只能免修 5 学分"),
    "shared": ("D6", "已用于免修"),
}


@dataclass
class Example:
    world: World
    key: PlanKey
    account_no: str
    ids: list[int]
    targets: list[str]


def _example(world: World, name: str) -> Example:
    uow, staff = world.platform.uow, world.p("school_staff")
    school = world.school.id or 0
    plan = {
        "name": f"例题 {name}", "institution_id": school, "major_code": "510201", "cohort_year": 2023,
        "courses": [{"code": c, "name": n, "credits": k, "category": cat} for c, n, k, cat in COURSES[name]]
        + [{"code": "G01", "name": "思想道德与法治", "credits": 10, "category": "公共基础"}],
        "requirements": {"total_credits": "23"},
    }  # fmt: skip
    plans.import_plan_file(uow(), staff, "plan.json", json.dumps(plan).encode())
    key = PlanKey(school, "510201", 2023)
    code = world.school.moe_code  # a rule file names the school by its 学校标识码
    head = f'institution: "{code}"\nplan: {{institution: "{code}", major_code: "510201", cohort_year: 2023}}'
    rules.import_rules(uow(), staff, head + RULES[name].format(), "yaml")
    account_no = world.learner_account.account_no
    plans.enrol_on_plan(uow(), staff, account_no, key)
    ids = [
        outcomes.record_outcome(
            uow(), world.p("certifier"), account_no,
            OutcomeDraft(OutcomeKind.skill_certificate, f"证书 {code}", world.certifier.id or 0,
                         date(2024, 3, 1), code=code, level=Level.intermediate), world.knows_learner(),
        ).id or 0
        for code in CERTIFICATES[name]
    ]  # fmt: skip
    return Example(world, key, account_no, ids, [c for c, *_ in COURSES[name]])


def _credits(name: str, codes: set[str]) -> Decimal:
    return sum((Decimal(k) for c, _, k, _ in COURSES[name] if c in codes), Decimal(0))


@pytest.mark.parametrize("name", ["cap", "shared"])
def test_precheck_suggest_approval_and_audit_agree(
    world: World, platform: Platform, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    ex = _example(world, name)
    uow, learner, staff = world.platform.uow, world.p("learner"), world.p("school_staff")
    expected = {"B4", "C4"}  # 4 + 4 = 8, where greedy took the 5 or the 6

    # 1. the pre-check
    verdicts = applications.precheck(uow(), learner, ex.account_no, ex.ids, ex.targets)
    granted = {v.course_code for v in verdicts if v.granted}
    assert granted == expected and _credits(name, granted) == 8
    code, figures = LEFT_OUT[name]
    left = next(v for v in verdicts if v.course_code == code)
    assert left.eligible and not left.granted and figures in (left.left_out_reason or "")
    assert left.left_out_reason_en and "credits" in left.left_out_reason_en
    assert "本次不能免修" in left.explanation

    # 2. the cohort suggestion, through the service and through `zhijiao convert suggest`
    found = cohort.suggest_for_cohort(uow(), staff, ex.key)
    assert {s.course_code for s in found.suggestions} == expected
    assert sum((s.credits for s in found.suggestions), Decimal(0)) == 8
    monkeypatch.setattr(main, "platform", lambda: platform)
    out = tmp_path / "s.csv"
    done = CliRunner().invoke(main.app, ["convert", "suggest", "--plan", str(ex.key), "-o", str(out)])
    assert done.exit_code == 0, done.output
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))[1:]
    assert {r[2] for r in rows} == expected and sum((Decimal(r[4]) for r in rows), Decimal(0)) == 8

    # 3. approval grants what the pre-check said, and records why the other course was left out
    view = applications.submit(uow(), learner, ex.account_no, ex.ids, ex.targets)
    applications.start_review(uow(), staff, view.id)
    approved = applications.approve(uow(), staff, view.id)
    assert {e.exemption.course_code for e in approved.exemptions} == expected
    assert figures in approved.application.reason

    # 4. the audit counts the same 8 credits
    audit = exemptions.audit_learner(uow(), staff, ex.account_no)
    assert audit.result.exempted_credits == 8
    assert {c.course.code for c in audit.result.completed} == expected


def test_preference_is_kept_through_submission_and_approval(world: World) -> None:
    """The learner prefers the 5-credit course: it is kept (5 credits), the 4-credit courses do not fit
    beside it, and approval follows the preference stored with the application."""
    ex = _example(world, "cap")
    uow, learner, staff = world.platform.uow, world.p("learner"), world.p("school_staff")
    verdicts = applications.precheck(uow(), learner, ex.account_no, ex.ids, ex.targets, ["A5"])
    assert {v.course_code for v in verdicts if v.granted} == {"A5"}
    # preferring B4 then A5: B4 is kept, A5 cannot join it within the cap
    verdicts = applications.precheck(uow(), learner, ex.account_no, ex.ids, ex.targets, ["B4", "A5"])
    assert {v.course_code for v in verdicts if v.granted} == {"B4", "C4"}
    a5 = next(v for v in verdicts if v.course_code == "A5")
    assert a5.preference_reason and a5.preference_reason.startswith(
        "与更优先的课程「数据库（B4）」不能同时免修"
    )
    assert a5.preference_reason_en and "preferred before it" in a5.preference_reason_en
    with pytest.raises(Exception, match="优先免修的课程须是申请免修的课程"):
        applications.precheck(uow(), learner, ex.account_no, ex.ids, ["B4"], ["A5"])
    view = applications.submit(uow(), learner, ex.account_no, ex.ids, ex.targets, preferred=["A5"])
    assert view.application.preferred_courses == ("A5",)
    applications.start_review(uow(), staff, view.id)
    approved = applications.approve(uow(), staff, view.id)
    assert {e.exemption.course_code for e in approved.exemptions} == {"A5"}
    assert exemptions.audit_learner(uow(), staff, ex.account_no).result.exempted_credits == 5
