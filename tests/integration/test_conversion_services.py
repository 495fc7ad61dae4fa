"""Conversion end to end through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.conversion_world import ConversionWorld, build, plan_data, rules_yaml
from tests.factories import World
from zhijiao.adapters.analytics.conversion_batch import outcome_from_row, suggest_for_learner
from zhijiao.adapters.rules_io import RuleSetInvalid
from zhijiao.adapters.spreadsheets.plan_workbook import plan_workbook
from zhijiao.domain.conversion.application import ApplicationState
from zhijiao.domain.conversion.plan import PlanKey, parse_plan
from zhijiao.domain.creditbank.model import LedgerAction
from zhijiao.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from zhijiao.services import clock
from zhijiao.services.conversion import applications, cohort, exemptions, plans, rules
from zhijiao.services.creditbank import ledger, outcomes, transcripts


@pytest.fixture
def cw(world: World) -> ConversionWorld:
    return build(world)


def test_plans_are_public_and_import_from_json_and_excel(world: World) -> None:
    uow = world.platform.uow
    staff = world.p("school_staff")
    with pytest.raises(Forbidden):
        plans.import_plan_file(uow(), world.p("other_staff"), "p.json", json.dumps(plan_data(world)).encode())
    plan = parse_plan(plan_data(world))
    done = plans.import_plan_file(uow(), staff, "方案.xlsx", plan_workbook(plan))
    assert done.created and done.plan == plan
    assert plans.get_plan(uow(), plan.key).plan == plan
    assert [p.plan.key for p in plans.list_plans(uow())] == [plan.key]
    again = plans.import_plan_file(uow(), staff, "p.json", json.dumps(plan_data(world)).encode())
    assert not again.created and again.id == done.id
    bad = plan_data(world)
    bad["courses"][1]["credits"] = "四"
    with pytest.raises(ValidationFailed, match=r"p\.json：courses\[1\]\.credits"):
        plans.import_plan_file(uow(), staff, "p.json", json.dumps(bad).encode())


def test_excel_errors_name_the_sheet_row_and_column(world: World) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(plan_workbook(parse_plan(plan_data(world)))))
    wb["课程"]["C3"] = "四学分"  # the second course's credits
    out = BytesIO()
    wb.save(out)
    with pytest.raises(ValidationFailed) as err:
        plans.import_plan_file(world.platform.uow(), world.p("school_staff"), "方案.xlsx", out.getvalue())
    assert err.value.message.startswith("方案.xlsx：「课程」表第3行「学分」列：不是有效的数值")
    with pytest.raises(ValidationFailed, match="只支持"):
        plans.import_plan_file(world.platform.uow(), world.p("school_staff"), "方案.csv", b"x")


def test_rules_are_versioned_and_judged_by_the_version_in_force(cw: ConversionWorld) -> None:
    world, uow = cw.world, cw.world.platform.uow
    staff = world.p("school_staff")
    again = rules.import_rules(uow(), staff, rules_yaml(world))
    assert again.added == [] and again.unchanged == 4
    changed = rules_yaml(world).replace('min_score: "60"', 'min_score: "70"')
    with pytest.raises(Conflict, match="R-DB 第1版已发布"):
        rules.import_rules(uow(), staff, changed)
    with pytest.raises(RuleSetInvalid, match=r"rules\[0\]：缺少必填字段 version"):
        rules.import_rules(uow(), staff, rules_yaml(world).replace("    version: 1\n    name:", "    name:"))
    with pytest.raises(Forbidden):
        rules.import_rules(uow(), world.p("other_staff"), rules_yaml(world))
    old = rules.publication(uow(), cw.key, datetime(2023, 6, 1).date())
    new = rules.publication(uow(), cw.key, datetime(2024, 6, 1).date())
    assert {"id": "R-DB", "version": 1} in old["in_force"]
    assert {"id": "R-DB", "version": 2} in new["in_force"]
    assert len(new["rule_set"]["rules"]) == 4 and new["rule_set"]["agreements"][0]["id"] == "GD-2023-01"
    assert rules.published_rules(uow(), cw.key).caps.per_category


def test_rule_files_name_institutions_by_code_and_refuse_internal_ids(cw: ConversionWorld) -> None:
    """Issue 8 item 15: the school by its 学校标识码, the partner and the certifier by their 统一社会信用代码
    (normalised before the look-up); stored documents keep ids; a file with ids is refused; export →
    import adds nothing."""
    world, uow = cw.world, cw.world.platform.uow
    staff = world.p("school_staff")
    certifier = world.certifier.uscc or ""
    by_code = rules_yaml(world).replace("agreements:", f"""\
  - id: R-ISSUER
    version: 1
    effective_from: 2020-01-01
    sources: [{{kind: 职业技能等级证书, code: X-WEB, issuers: [" {certifier.lower()}\u200b"]}}]
    targets: [E01]
agreements:""")
    done = rules.import_rules(uow(), staff, by_code)
    assert done.added == [("R-ISSUER", 1)] and done.unchanged == 4
    rule_set = rules.published_rules(uow(), cw.key)
    assert rule_set.institution_id == world.school.id and rule_set.agreements[0].partner_id == world.other_school.id
    (issuer_rule,) = [r for r in rule_set.rules if r.rule_id == "R-ISSUER"]
    assert issuer_rule.sources[0].issuer_ids == {world.certifier.id}
    exported, count = rules.export_rules(uow(), cw.key, "yaml")
    assert count == 5 and f"institution: '{world.school.moe_code}'" in exported
    # export names each institution by its 学校标识码 where it has one, else by its 统一社会信用代码
    assert f"partner: '{world.other_school.moe_code}'" in exported and f"- {certifier}" in exported
    assert "institution_id" not in exported and "partner_id" not in exported and "issuer_ids" not in exported
    for fmt in ("yaml", "json"):
        text, _ = rules.export_rules(uow(), cw.key, fmt)  # type: ignore[arg-type]
        again = rules.import_rules(uow(), staff, text, fmt)  # type: ignore[arg-type]
        assert again.added == [] and again.unchanged == 5
    publication = rules.publication(uow(), cw.key)["rule_set"]
    assert publication["institution"] == world.school.moe_code
    with_ids = by_code.replace(f'institution: "{world.school.moe_code}"\n', f"institution_id: {world.school.id}\n")
    with pytest.raises(RuleSetInvalid, match=r"institution_id：规则文件不再接受内部编号.*zhijiao rules export"):
        rules.import_rules(uow(), staff, with_ids)
    unknown = by_code.replace(f"partner: {world.other_school.uscc}", "partner: 4199999999")
    with pytest.raises(ValidationFailed, match=r"^agreements\[0\]\.partner：找不到学校标识码或统一社会信用代码为 4199999999"):
        rules.import_rules(uow(), staff, unknown)
    as_id = by_code.replace(f"partner: {world.other_school.uscc}", f"partner: {world.other_school.id}")
    with pytest.raises(ValidationFailed, match=r"agreements\[0\]\.partner：找不到"):  # an id is not a code
        rules.import_rules(uow(), staff, as_id)


def test_application_lifecycle_writes_exemptions_and_ledger_once(cw: ConversionWorld) -> None:
    world, uow = cw.world, cw.world.platform.uow
    learner, staff = world.p("learner"), world.p("school_staff")
    ids = [cw.certificate.id or 0, cw.db_course.id or 0]
    verdicts = applications.precheck(uow(), learner, cw.account_no, ids, ["H01", "H02"])
    assert all(v.eligible for v in verdicts)
    assert "证书等级 中级 ≥ 要求 中级：满足" in verdicts[0].explanation
    view = applications.submit(uow(), learner, cw.account_no, ids, ["H01", "H02"])
    assert view.application.state is ApplicationState.submitted and view.precheck[0]["eligible"]
    with pytest.raises(NotFound):  # another school does not even see it
        applications.start_review(uow(), world.p("other_staff"), view.id)
    with pytest.raises(Forbidden):
        applications.approve(uow(), learner, view.id)
    with pytest.raises(Conflict):  # not under review yet
        applications.approve(uow(), staff, view.id)
    applications.start_review(uow(), staff, view.id)
    with pytest.raises(ValidationFailed, match="驳回申请必须填写理由"):
        applications.reject(uow(), staff, view.id, "  ")
    done = applications.approve(uow(), staff, view.id)
    assert done.application.state is ApplicationState.approved
    assert [s.to_state for s in done.application.history] == [
        ApplicationState.submitted,
        ApplicationState.under_review,
        ApplicationState.approved,
    ]
    assert done.actors == (
        "learner:liming",
        "institution_staff:school_staff",
        "institution_staff:school_staff",
    )
    # the category cap (专业核心 6 credits) allows H01 (4) but not H02 (3.5) as well
    assert [e.exemption.course_code for e in done.exemptions] == ["H01"]
    with pytest.raises(Conflict):
        applications.approve(uow(), staff, view.id)
    entries = transcripts.account_history(uow(), staff, cw.account_no)
    exempt = [e for e in entries if e.action is LedgerAction.exempt]
    assert len(exempt) == 1 and '"course_code":"H01"' in exempt[0].payload
    assert ledger.verify_ledger(uow()).intact
    audit = exemptions.audit_learner(uow(), learner, cw.account_no)
    assert audit.result.exempted_credits == 4 and not audit.result.met
    assert "总学分 4 ≥ 要求 22.5：不满足" in audit.result.summary


def test_withdraw_and_reject(cw: ConversionWorld) -> None:
    world, uow = cw.world, cw.world.platform.uow
    learner, staff = world.p("learner"), world.p("school_staff")
    first = applications.submit(uow(), staff, cw.account_no, [cw.certificate.id or 0], ["H01"])  # on behalf
    with pytest.raises(Forbidden, match="只有申请人本人"):
        applications.withdraw(uow(), staff, first.id)
    assert applications.withdraw(uow(), learner, first.id).application.state is ApplicationState.withdrawn
    second = applications.submit(uow(), learner, cw.account_no, [cw.certificate.id or 0], ["H01"])
    applications.start_review(uow(), staff, second.id)
    rejected = applications.reject(uow(), staff, second.id, "证书与课程内容不对应")
    assert rejected.application.reason == "证书与课程内容不对应"
    with pytest.raises(NotFound):  # a learner sees only their own
        applications.get_application(uow(), world.p("certifier"), second.id)
    mine = applications.list_applications(uow(), learner)
    assert {a.application.state for a in mine} == {ApplicationState.withdrawn, ApplicationState.rejected}
    assert applications.list_applications(uow(), world.p("other_staff")) == []


def test_review_deadline_and_overdue_list(cw: ConversionWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    world, uow = cw.world, cw.world.platform.uow
    monday = datetime(2026, 3, 2, 9, tzinfo=UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: monday)
    view = applications.submit(uow(), world.p("learner"), cw.account_no, [cw.certificate.id or 0], ["H01"])
    assert view.application.review_deadline == datetime(2026, 3, 23).date()  # 15 working days
    staff = world.p("school_staff")
    assert applications.overdue_applications(uow(), staff) == []
    monkeypatch.setattr(clock, "utcnow", lambda: monday + timedelta(days=22))
    late = applications.overdue_applications(uow(), staff)
    assert [a.id for a in late] == [view.id] and late[0].overdue
    queue = applications.list_applications(uow(), staff, state=ApplicationState.submitted, course_code="H01")
    assert [a.id for a in queue] == [view.id]
    assert applications.list_applications(uow(), staff, course_code="H02") == []


def test_revoking_a_source_outcome_flags_its_exemptions(cw: ConversionWorld) -> None:
    world, uow = cw.world, cw.world.platform.uow
    staff = world.p("school_staff")
    view = applications.submit(
        uow(), world.p("learner"), cw.account_no, [cw.certificate.id or 0], ["H01", "E01"]
    )
    applications.start_review(uow(), staff, view.id)
    assert len(applications.approve(uow(), staff, view.id).exemptions) == 2
    outcomes.revoke_outcome(uow(), world.p("certifier"), cw.certificate.id or 0, "证书被注销")
    found = exemptions.account_exemptions(uow(), staff, cw.account_no)
    assert {e.status for e in found} == {"flagged"}
    assert "来源学习成果" in (found[0].flagged_reason or "") and "证书被注销" in (
        found[0].flagged_reason or ""
    )
    history = transcripts.account_history(uow(), staff, cw.account_no)
    assert [e.action for e in history].count(LedgerAction.flag_exemption) == 2
    audit = exemptions.audit_learner(uow(), staff, cw.account_no)
    assert audit.result.exempted_credits == 0 and len(audit.flagged) == 2
    assert ledger.verify_ledger(uow()).intact


def test_caps_hold_across_applications(cw: ConversionWorld) -> None:
    world, uow = cw.world, cw.world.platform.uow
    staff, learner = world.p("school_staff"), world.p("learner")
    a = applications.submit(uow(), learner, cw.account_no, [cw.certificate.id or 0], ["H01"])
    b = applications.submit(uow(), learner, cw.account_no, [cw.db_course.id or 0], ["H02"])
    for app in (a, b):
        applications.start_review(uow(), staff, app.id)
    applications.approve(uow(), staff, a.id)
    with pytest.raises(ValidationFailed, match="超出专业核心类免修学分上限"):
        applications.approve(uow(), staff, b.id)
    assert applications.get_application(uow(), staff, b.id).application.state is ApplicationState.under_review


def test_cohort_suggestions_equal_the_domain_loop(cw: ConversionWorld) -> None:
    world, uow = cw.world, cw.world.platform.uow
    with pytest.raises(Forbidden):
        cohort.suggest_for_cohort(uow(), world.p("other_staff"), cw.key)
    found = cohort.suggest_for_cohort(uow(), world.p("school_staff"), cw.key)
    assert found.learners == 1
    with uow().read() as u:
        rows = u.conversion.cohort_outcome_rows(cw.key)
        stored = plans.load_plan(u, cw.key)
        rule_set = rules.rule_set_of(u, stored.id, stored.plan)
    account_id = world.learner_account.id or 0
    loop = suggest_for_learner(
        account_id, [outcome_from_row(r) for r in rows], stored.plan, rule_set, found.on
    )
    assert found.suggestions == sorted(loop)
    assert {s.course_code for s in found.suggestions} == {"H01", "E01"}  # H02 blocked by the category cap
    assert found.accounts[account_id][0] == cw.account_no


def test_learners_join_plans_only_through_their_school(cw: ConversionWorld) -> None:
    world = cw.world
    with pytest.raises(Forbidden):
        plans.enrol_on_plan(world.platform.uow(), world.p("other_staff"), cw.account_no, cw.key)
    with pytest.raises(NotFound):
        plans.enrol_on_plan(
            world.platform.uow(), world.p("school_staff"), cw.account_no, PlanKey(1, "999999", 2020)
        )
