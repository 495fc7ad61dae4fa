"""What one AchievementCredential attests, built from an outcome, an exemption (免修) or a
qualification (资历: all requirements of a curriculum plan met, per the graduation audit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from zhijiao.domain.conversion.audit import AuditResult
from zhijiao.domain.conversion.plan import CurriculumPlan
from zhijiao.domain.credentials.vocab import AchievementKind
from zhijiao.domain.creditbank.model import LEVEL_LABELS, Institution, Outcome

if TYPE_CHECKING:
    from zhijiao.adapters.db.conversion_repository import StoredExemption
    from zhijiao.adapters.db.uow import SqlUnitOfWork


def exemption_ref(exemption_id: int) -> str:
    return f"exemption:{exemption_id}"


def qualification_ref(plan_id: int) -> str:
    return f"qualification:{plan_id}"


@dataclass(frozen=True, slots=True)
class AchievementSource:
    """The fields of one AchievementCredential. Outcomes carry `outcome_id`; exemptions and
    qualifications a `source_ref` (`exemption:<id>`, `qualification:<plan id>`)."""

    account_id: int
    issuer: Institution
    kind: AchievementKind
    title: str
    code: str | None
    credits: Decimal
    framework_level: int
    obtained_on: date
    result: str | None
    level_label: str | None
    outcome_id: int | None = None
    source_ref: str | None = None
    narrative: str | None = None  # the achievement's criteria, when not the credit-bank default

    @classmethod
    def of_outcome(cls, outcome: Outcome, issuer: Institution) -> AchievementSource:
        result = (
            str(outcome.score)
            if outcome.score is not None
            else (outcome.grade.value if outcome.grade else None)
        )
        return cls(
            account_id=outcome.account_id, issuer=issuer, kind=AchievementKind.of_outcome(outcome.kind),
            title=outcome.title, code=outcome.code, credits=outcome.credits,
            framework_level=outcome.framework_level, obtained_on=outcome.obtained_on, result=result,
            level_label=LEVEL_LABELS[outcome.level] if outcome.level else None, outcome_id=outcome.id,
        )  # fmt: skip

    @classmethod
    def of_exemption(
        cls, stored: StoredExemption, plan: CurriculumPlan, issuer: Institution, sources: list[Outcome]
    ) -> AchievementSource:
        """免修: the plan's course, at the highest framework level of the outcomes it rests on."""
        e = stored.exemption
        course = next((c for c in plan.courses if c.code == e.course_code), None)
        name = course.name if course else e.course_code
        rested_on = "、".join(o.title for o in sources) or "、".join(f"#{i}" for i in e.outcome_ids)
        return cls(
            account_id=stored.account_id, issuer=issuer, kind=AchievementKind.exemption, title=f"{name}（免修）",
            code=e.course_code, credits=e.credits,
            framework_level=max((o.framework_level for o in sources), default=0), obtained_on=e.granted_on,
            result=None, level_label=None, source_ref=exemption_ref(stored.id),
            narrative=(
                f"{issuer.name}依据学分转换规则 {e.rule_id} 第 {e.rule_version} 版，"
                f"认定学习成果（{rested_on}）免修人才培养方案 {plan.key} 的课程“{name}”，计 {e.credits} 学分。"
            ),
        )  # fmt: skip

    @classmethod
    def of_qualification(
        cls, account_id: int, plan_id: int, plan: CurriculumPlan, audit: AuditResult, issuer: Institution,
        framework_level: int, on: date,
    ) -> AchievementSource:  # fmt: skip
        """资历: every graduation requirement of the plan met (the audit's explanations are the criteria)."""
        title = plan.name or f"{plan.major_code} 专业 {plan.cohort_year} 级"
        return cls(
            account_id=account_id, issuer=issuer, kind=AchievementKind.qualification, title=title,
            code=plan.major_code, credits=audit.credits, framework_level=framework_level, obtained_on=on,
            result=None, level_label=None, source_ref=qualification_ref(plan_id),
            narrative=f"{issuer.name}审核确认满足人才培养方案 {plan.key} 的全部毕业要求：" + "；".join(
                c.explanation for c in audit.checks
            ),
        )  # fmt: skip


def exemption_sources(uow: SqlUnitOfWork, stored: list[StoredExemption]) -> list[AchievementSource]:
    """Inside an open unit of work: sources for these exemptions, each in the name of its plan's school."""
    plans = {i: uow.conversion.plan(i) for i in {s.plan_id for s in stored}}  # a cohort shares a few plans
    issuers = uow.institutions.get_many(p.plan.institution_id for p in plans.values() if p is not None)
    cited = uow.outcomes.get_many(i for s in stored for i in s.exemption.outcome_ids)
    found = []
    for s in stored:
        plan = plans[s.plan_id]
        assert plan is not None
        outcomes = [cited[i] for i in s.exemption.outcome_ids if i in cited]
        found.append(
            AchievementSource.of_exemption(s, plan.plan, issuers[plan.plan.institution_id], outcomes)
        )
    return found
