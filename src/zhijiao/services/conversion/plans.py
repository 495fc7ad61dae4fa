"""人才培养方案: publishing (JSON or Excel), public reading, and putting learners on a plan."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from zhijiao.adapters.spreadsheets.plan_workbook import read_plan_workbook
from zhijiao.domain.access import Principal
from zhijiao.domain.conversion.permissions import require_can_manage
from zhijiao.domain.conversion.plan import CurriculumPlan, PlanKey, parse_plan
from zhijiao.domain.errors import NotFound, ValidationFailed
from zhijiao.services import clock
from zhijiao.services.creditbank.accounts import account_not_found, load_account

if TYPE_CHECKING:
    from zhijiao.adapters.db.conversion_repository import StoredPlan
    from zhijiao.adapters.db.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class PublishedPlan:
    id: int
    plan: CurriculumPlan
    institution_name: str
    published_at: datetime
    created: bool = False


def parse_plan_key(text: str, cohort_year: int | None = None) -> PlanKey:
    """'院校编号/专业代码/年级' (or '院校编号/专业代码' with `cohort_year`)."""
    parts = [p.strip() for p in text.strip().split("/")]
    if len(parts) == 2 and cohort_year is not None:
        parts.append(str(cohort_year))
    if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit():
        raise ValidationFailed(
            f"培养方案应写作“院校编号/专业代码/年级”，如 1/510201/2023：{text!r}", field="plan"
        )
    return PlanKey(int(parts[0]), parts[1], int(parts[2]))


def _institution_name(uow: SqlUnitOfWork, institution_id: int) -> str:
    inst = uow.institutions.get(institution_id)
    return inst.name if inst else ""


def publish_plan(uow: SqlUnitOfWork, principal: Principal, plan: CurriculumPlan) -> PublishedPlan:
    """Publish (or republish) a plan; it is public from then on (人才培养方案公开制度)."""
    now = clock.utcnow()
    with uow:
        institution = uow.institutions.get(plan.institution_id)
        if institution is None:
            raise ValidationFailed(f"院校编号 {plan.institution_id} 不存在", field="institution_id")
        require_can_manage(principal, institution)
        plan_id, created = uow.conversion.save_plan(plan, principal.actor, now)
        uow.commit()
    return PublishedPlan(plan_id, plan, institution.name, now, created)


def import_plan_file(
    uow: SqlUnitOfWork, principal: Principal, filename: str, content: bytes
) -> PublishedPlan:
    """A plan from a .json or .xlsx file; errors name the file (and for Excel the sheet, row and column)."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        plan = read_plan_workbook(content, filename)
    elif lower.endswith(".json"):
        try:
            data = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValidationFailed(f"{filename}：无法解析 JSON：{exc}", field="file") from exc
        try:
            plan = parse_plan(data)
        except ValidationFailed as exc:
            raise ValidationFailed(f"{filename}：{exc.message}", field=exc.field) from exc
    else:
        raise ValidationFailed(f"{filename}：只支持 .json 或 .xlsx 文件", field="file")
    return publish_plan(uow, principal, plan)


def load_plan(uow: SqlUnitOfWork, key: PlanKey) -> StoredPlan:
    """The published plan with this key (inside an open unit of work)."""
    plan_id = uow.conversion.plan_id(key)
    stored = None if plan_id is None else uow.conversion.plan(plan_id)
    if stored is None:
        raise NotFound(f"培养方案 {key} 不存在或未发布", code="plan_not_found")
    return stored


def get_plan(uow: SqlUnitOfWork, key: PlanKey) -> PublishedPlan:
    """Public: a published plan."""
    with uow.read():
        stored = load_plan(uow, key)
        name = _institution_name(uow, key.institution_id)
    return PublishedPlan(stored.id, stored.plan, name, stored.published_at)


def list_plans(
    uow: SqlUnitOfWork, *, institution_id: int | None = None, major_code: str | None = None
) -> list[PublishedPlan]:
    """Public: every published plan (optionally of one institution or major)."""
    with uow.read():
        found = uow.conversion.plans(institution_id=institution_id, major_code=major_code)
    return [PublishedPlan(s.id, s.plan, name, s.published_at) for s, name in found]


def enrol_on_plan(uow: SqlUnitOfWork, principal: Principal, account_no: str, key: PlanKey) -> None:
    """Put a learner on a plan (institution, major, cohort): by the staff (or admins) of the plan's school."""
    with uow:
        account, relation = load_account(uow, principal, account_no)
        stored = load_plan(uow, key)
        institution = uow.institutions.get(key.institution_id)
        assert institution is not None and account.id is not None
        require_can_manage(principal, institution)
        if relation != "full":
            raise account_not_found()
        uow.conversion.set_membership(account.id, stored.plan.key)
        uow.commit()


def plan_of_learner(uow: SqlUnitOfWork, account_id: int) -> StoredPlan:
    """The plan a learner is on (inside an open unit of work)."""
    key = uow.conversion.membership(account_id)
    if key is None:
        raise ValidationFailed("该学习者尚未加入人才培养方案（院校、专业、年级）", field="plan")
    return load_plan(uow, key)
