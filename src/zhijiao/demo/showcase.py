"""Conversion and credentials in the demo, written through the real services.

For each demo school with a demo learner: the 人才培养方案 of that learner's major and cohort and
its 学习成果转换办法 (`demo.curriculum`); the cohort suggestion run once; 学分兑换申请 in every
state (learner1's approved, with its exemption and ledger entry; one rejected with a reason);
and for learner1 verifiable credentials: skill certificates, the exemption and a transcript.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from zhijiao.bootstrap import Platform
from zhijiao.demo.curriculum import plan_document, rules_document
from zhijiao.demo.province import InstitutionSpec, LearnerSpec, ProvinceGenerator
from zhijiao.domain.access import Principal
from zhijiao.domain.conversion.application import ApplicationState
from zhijiao.domain.conversion.plan import CourseCategory, PlanKey, parse_plan
from zhijiao.domain.creditbank.model import OutcomeKind
from zhijiao.services import credentials
from zhijiao.services.conversion import applications, awards, cohort, plans, rules
from zhijiao.services.issuers import IssuingSite

REJECT_REASON = "所引用的课程成绩与申请免修的课程不对应，转换办法中无此项，不予免修；请选修该课程或以相应的职业技能等级证书申请"


@dataclass(frozen=True, slots=True)
class DemoClass:
    """A demo learner at a demo school: the school's staff member publishes and reviews."""

    school: InstitutionSpec
    institution_id: int
    staff: Principal
    learner: LearnerSpec
    user: Principal  # the learner's own sign-in
    account_no: str


@dataclass(frozen=True, slots=True)
class Showcase:
    plans: int = 0
    rules: int = 0
    suggestions: int = 0
    applications: Counter[ApplicationState] = field(default_factory=Counter)
    exemptions: int = 0
    credentials: int = 0

    def describe(self) -> str:
        states = "、".join(
            f"{label}{self.applications[s]}"
            for s, label in (
                (ApplicationState.submitted, "已提交"),
                (ApplicationState.under_review, "审核中"),
                (ApplicationState.approved, "已批准"),
                (ApplicationState.rejected, "已驳回"),
            )
        )
        return (
            f"学分转换与凭证：{self.plans} 个人才培养方案及转换办法（{self.rules} 条规则），"
            f"批量预审发现 {self.suggestions} 项可免修，{sum(self.applications.values())} 件学分兑换申请"
            f"（{states}），{self.exemptions} 项免修，{self.credentials} 份可验证凭证"
        )


def _publish(
    platform: Platform, gen: ProvinceGenerator, c: DemoClass, seed: int, registered: dict[str, int]
) -> tuple[PlanKey, int]:
    major, cohort = c.learner.major, c.learner.cohort
    assert major is not None and cohort is not None
    plan = parse_plan(plan_document(c.institution_id, c.school.name, major, cohort, seed))
    plans.publish_plan(platform.uow(), c.staff, plan)
    certifiers = {name: registered[spec.uscc] for name, spec in gen.certifier_of.items()}
    doc = rules_document(c.institution_id, major, cohort, certifiers, seed)
    rules.import_rules(platform.uow(), c.staff, json.dumps(doc, ensure_ascii=False), "json", plan=plan.key)
    return plan.key, len(doc["rules"])


def build_showcase(
    platform: Platform,
    gen: ProvinceGenerator,
    classes: list[DemoClass],
    seed: int,
    registered: dict[str, int],
) -> Showcase:
    """Plans, rules, applications and credentials for the demo classes (learner1's first)."""
    if not classes:
        return Showcase()
    published: dict[PlanKey, DemoClass] = {}
    rule_count = 0
    for c in classes:
        key = PlanKey(
            c.institution_id, c.learner.major.code if c.learner.major else "", c.learner.cohort or 0
        )
        if key not in published:
            _, n = _publish(platform, gen, c, seed, registered)
            published[key] = c
            rule_count += n
    found = [
        (c, s)
        for key, c in published.items()
        for s in cohort.suggest_for_cohort(platform.uow(), c.staff, key).suggestions
    ]
    states: Counter[ApplicationState] = Counter()
    exemptions = issued = 0
    first = classes[0]
    own_account = first.user.account_id
    earned = {o.code for o in applications.apply_context(platform.uow(), first.user).outcomes}
    theirs = [s for c, s in found if c is first and s.learner_id == own_account]
    theirs.sort(key=lambda s: s.course_code in earned)  # a course still ahead of them first
    mine = theirs[0] if theirs else None
    if mine is not None:  # learner1 applies, staff1 reviews and approves
        view = applications.submit(
            platform.uow(), first.user, first.account_no, mine.outcome_ids, [mine.course_code]
        )
        applications.start_review(platform.uow(), first.staff, view.id)
        view = applications.approve(platform.uow(), first.staff, view.id)
        states[ApplicationState.approved] += 1
        exemptions += len(view.exemptions)
        site = IssuingSite.of(platform.settings)
        for e in view.exemptions:
            awards.issue_for_exemption(platform.uow(), first.user, site, e.id)
            issued += 1
    # classmates' applications, filed by their school's staff: one left submitted, one under review
    others = [(c, s) for c, s in found if s.learner_id != own_account]
    seen: set[int] = set()
    for c, s in others:
        if s.learner_id in seen or len(seen) == 2:
            continue
        seen.add(s.learner_id)
        view = applications.submit(
            platform.uow(), c.staff, _account_no(platform, c, s.learner_id), s.outcome_ids, [s.course_code]
        )
        if len(seen) == 2:
            applications.start_review(platform.uow(), c.staff, view.id)
            states[ApplicationState.under_review] += 1
        else:
            states[ApplicationState.submitted] += 1
    states[ApplicationState.rejected] += _rejected(platform, classes)
    issued += _credentials(platform, first)
    return Showcase(len(published), rule_count, len(found), states, exemptions, issued)


def _account_no(platform: Platform, c: DemoClass, account_id: int) -> str:
    with platform.uow().read() as uow:
        account = uow.accounts.get(account_id)
    assert account is not None
    return account.account_no


REJECT_ORDER = (CourseCategory.professional_core, CourseCategory.practice, CourseCategory.elective)


def _rejected(platform: Platform, classes: list[DemoClass]) -> int:
    """A learner (the last demo learner who can) cites a course outcome for a course it does not
    correspond to; the school's staff reject it with a reason."""
    for c in reversed(classes):
        context = applications.apply_context(platform.uow(), c.user)
        done = {o.code for o in context.outcomes}
        course = next((o.id for o in context.outcomes if o.kind is OutcomeKind.course and o.id), None)
        open_courses = [t for t in context.plan.courses if t.code not in done]
        open_courses.sort(key=lambda t: REJECT_ORDER.index(t.category) if t.category in REJECT_ORDER else 9)
        if course is None or not open_courses:
            continue
        view = applications.submit(platform.uow(), c.user, c.account_no, [course], [open_courses[0].code])
        applications.start_review(platform.uow(), c.staff, view.id)
        applications.reject(platform.uow(), c.staff, view.id, REJECT_REASON)
        return 1
    return 0


def _credentials(platform: Platform, c: DemoClass) -> int:
    """The learner's skill certificates and a transcript of the whole account, as the learner asks."""
    site = IssuingSite.of(platform.settings)
    context = applications.apply_context(platform.uow(), c.user)
    issued = 0
    for o in context.outcomes:
        if o.kind is OutcomeKind.skill_certificate and o.id is not None:
            credentials.issue_for_outcome(platform.uow(), c.user, site, o.id)
            issued += 1
    credentials.issue_transcript(platform.uow(), c.user, site, c.account_no)
    return issued + 1
