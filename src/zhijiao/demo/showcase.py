"""Conversion and credentials in the demo, written through the real services.

For each demo school with a demo learner: the 人才培养方案 of that learner's major and cohort and
its 学习成果转换办法 (`demo.curriculum`); the cohort suggestion run once; 学分兑换申请 in every
state (learner1's approved, with its exemption and ledger entry; one rejected with a reason);
and for learner1 verifiable credentials: skill certificates, the exemption and a transcript.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from zhijiao.bootstrap import Platform
from zhijiao.demo.curriculum import plan_document, rules_document
from zhijiao.demo.province import InstitutionSpec, LearnerSpec, ProvinceGenerator
from zhijiao.domain.access import Principal
from zhijiao.domain.conversion.application import STATE_LABELS, ApplicationState
from zhijiao.domain.conversion.plan import CourseCategory, PlanKey, parse_plan
from zhijiao.domain.creditbank.model import OutcomeKind
from zhijiao.services.conversion import applications, awards, cohort, plans, rules
from zhijiao.services.credentials import issuance as credentials
from zhijiao.services.credentials.issuers import IssuingSite

if TYPE_CHECKING:
    from zhijiao.adapters.analytics.conversion_batch import SuggestedExemption

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

    def rows(self, _: Callable[[str], str] = str) -> list[tuple[str, str]]:
        """(what, how many) for the demo summary table, short enough not to wrap at 80 columns."""
        states = "、".join(
            f"{_(STATE_LABELS[s])} {self.applications[s]}"
            for s in (
                ApplicationState.submitted,
                ApplicationState.under_review,
                ApplicationState.approved,
                ApplicationState.rejected,
            )
        )
        return [
            (_("人才培养方案及转换办法"), f"{self.plans}（{self.rules} {_('条规则')}）"),
            (_("批量预审可免修"), f"{self.suggestions:,}"),
            (_("学分兑换申请数"), f"{sum(self.applications.values())}（{states}）"),
            (_("免修项数"), f"{self.exemptions}"),
            (_("learner1 的可验证凭证"), f"{self.credentials}"),
        ]

    def describe(self, _: Callable[[str], str] = str) -> str:
        """The summary as text (Chinese; `_` translates the words), one item a line."""
        return f"{_('学分转换与凭证')}\n" + "\n".join(f"  {k}：{v}" for k, v in self.rows(_))


def _publish(platform: Platform, c: DemoClass, seed: int, certifiers: dict[str, str]) -> int:
    """The class's plan and its rule set, published by the school's staff; the number of rules."""
    major, cohort = c.learner.major, c.learner.cohort
    assert major is not None and cohort is not None
    plan = parse_plan(plan_document(c.institution_id, c.school.name, major, cohort, seed))
    plans.publish_plan(platform.uow(), c.staff, plan)
    doc = rules_document(c.school.moe_code or c.school.uscc, major, cohort, certifiers, seed)
    rules.import_rules(platform.uow(), c.staff, json.dumps(doc, ensure_ascii=False), "json", plan=plan.key)
    return len(doc["rules"])


def _key(c: DemoClass) -> PlanKey:
    return PlanKey(c.institution_id, c.learner.major.code if c.learner.major else "", c.learner.cohort or 0)


Suggested = tuple[DemoClass, "SuggestedExemption", str]  # (class, suggestion, account number)


def build_showcase(
    platform: Platform,
    gen: ProvinceGenerator,
    classes: list[DemoClass],
    seed: int,
) -> Showcase:
    """Plans, rules, applications and credentials for the demo classes; the first class's learner
    (learner1) gets the approved application and the credentials."""
    if not classes:
        return Showcase()
    certifiers = {name: spec.uscc for name, spec in gen.certifier_of.items()}  # rule files name codes
    published: dict[PlanKey, DemoClass] = {}
    rule_count = 0
    for c in classes:
        if _key(c) not in published:
            rule_count += _publish(platform, c, seed, certifiers)
            published[_key(c)] = c
    found: list[Suggested] = []
    for key, c in published.items():
        batch = cohort.suggest_for_cohort(platform.uow(), c.staff, key)
        found.extend((c, s, batch.accounts[s.learner_id][0]) for s in batch.suggestions)
    first = classes[0]
    states: Counter[ApplicationState] = Counter()
    exemptions = _approved(platform, first, [s for c, s, _ in found if c is first])
    states[ApplicationState.approved] += exemptions > 0
    states.update(_pending(platform, [f for f in found if f[1].learner_id != first.user.account_id]))
    states[ApplicationState.rejected] += _rejected(platform, classes)
    _credentials(platform, first)
    # counted from the data: the approval issues one credential per exempted course, besides these
    issued = len(credentials.list_credentials(platform.uow(), first.user, first.account_no))
    return Showcase(len(published), rule_count, len(found), states, exemptions, issued)


def _approved(platform: Platform, c: DemoClass, suggested: list[SuggestedExemption]) -> int:
    """The learner applies for what the cohort run suggested them (a course still ahead of them
    first), the staff review and approve, the learner asks for each exemption's credential.
    Returns the number of exemptions granted (each with its credential)."""
    earned = {o.code for o in applications.apply_context(platform.uow(), c.user).outcomes}
    theirs = sorted(
        (s for s in suggested if s.learner_id == c.user.account_id), key=lambda s: s.course_code in earned
    )
    if not theirs:
        return 0
    view = applications.submit(
        platform.uow(), c.user, c.account_no, theirs[0].outcome_ids, [theirs[0].course_code]
    )
    applications.start_review(platform.uow(), c.staff, view.id)
    view = applications.approve(platform.uow(), c.staff, view.id)
    site = IssuingSite.of(platform.settings)
    for e in view.exemptions:
        awards.issue_for_exemption(platform.uow(), c.user, site, e.id)
    return len(view.exemptions)


def _pending(platform: Platform, found: list[Suggested]) -> list[ApplicationState]:
    """Classmates' applications, filed by their school's staff: one left submitted, one under review."""
    made: list[ApplicationState] = []
    seen: set[int] = set()
    for c, s, account_no in found:
        if s.learner_id in seen:
            continue
        seen.add(s.learner_id)
        view = applications.submit(platform.uow(), c.staff, account_no, s.outcome_ids, [s.course_code])
        if made:
            applications.start_review(platform.uow(), c.staff, view.id)
            return [*made, ApplicationState.under_review]
        made.append(ApplicationState.submitted)
    return made


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


def _credentials(platform: Platform, c: DemoClass) -> None:
    """The learner's skill certificates and a transcript of the whole account, as the learner asks."""
    site = IssuingSite.of(platform.settings)
    context = applications.apply_context(platform.uow(), c.user)
    for o in context.outcomes:
        if o.kind is OutcomeKind.skill_certificate and o.id is not None:
            credentials.issue_for_outcome(platform.uow(), c.user, site, o.id)
    credentials.issue_transcript(platform.uow(), c.user, site, c.account_no)
