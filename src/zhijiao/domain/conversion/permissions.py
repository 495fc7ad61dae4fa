"""Who may publish plans and rules, review applications and apply: pure rules over a `Principal`."""

from __future__ import annotations

from zhijiao.domain.access import Principal, Role
from zhijiao.domain.creditbank.model import Institution, LearningAccount
from zhijiao.domain.errors import Forbidden


def can_manage(p: Principal, institution: Institution) -> bool:
    """Publish plans, rules and agreements, and see cohort suggestions, for `institution`."""
    match p.role:
        case Role.national_admin:
            return True
        case Role.province_admin:
            return institution.province_code == p.province_code
        case Role.institution_staff:
            return p.institution_id == institution.id
    return False


def require_can_manage(p: Principal, institution: Institution) -> None:
    if not can_manage(p, institution):
        raise Forbidden(f"无权管理“{institution.name}”的培养方案与转换规则", code="conversion_forbidden")


def can_review(p: Principal, plan_institution_id: int) -> bool:
    """Applications are reviewed by the staff of the institution whose plan they concern."""
    return p.role is Role.institution_staff and p.institution_id == plan_institution_id


def require_can_review(p: Principal, plan_institution_id: int) -> None:
    if not can_review(p, plan_institution_id):
        raise Forbidden("只有培养方案所属院校的工作人员可以审核学分兑换申请", code="review_forbidden")


def require_can_apply(p: Principal, account: LearningAccount) -> None:
    """A learner applies for themself; the staff of the learner's school may apply on their behalf."""
    if p.role is Role.learner and account.id is not None and account.id == p.account_id:
        return
    if p.role is Role.institution_staff and account.institution_id == p.institution_id:
        return
    raise Forbidden("只有学习者本人或其所在院校的工作人员可以提交学分兑换申请", code="apply_forbidden")
