"""Who may see and change what. Pure rules over a `Principal`; services enforce them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from zhijiao.domain.creditbank.model import Institution, LearningAccount, Outcome
from zhijiao.domain.errors import Forbidden


class Role(StrEnum):
    learner = "learner"
    institution_staff = "institution_staff"
    certifier = "certifier"
    province_admin = "province_admin"
    national_admin = "national_admin"


ROLE_LABELS = {
    Role.learner: "学习者",
    Role.institution_staff: "院校工作人员",
    Role.certifier: "培训评价组织",
    Role.province_admin: "省级管理员",
    Role.national_admin: "国家级管理员",
}


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: int
    username: str
    role: Role
    institution_id: int | None = None
    province_code: str | None = None
    account_id: int | None = None

    @property
    def actor(self) -> str:
        """How the principal is named in the ledger."""
        return f"{self.role.value}:{self.username}"


SYSTEM = Principal(0, "system", Role.national_admin)


def account_relation(p: Principal, account: LearningAccount, issued_by_me: bool) -> str | None:
    """How `p` relates to `account`: 'full' (whole record), 'issued' (only outcomes p's institution
    issued), or None (no access). `issued_by_me`: the account holds an outcome p's institution issued."""
    match p.role:
        case Role.national_admin:
            return "full"
        case Role.province_admin:
            return "full" if account.province_code == p.province_code else None
        case Role.learner:
            return "full" if account.id is not None and account.id == p.account_id else None
        case Role.institution_staff:
            if p.institution_id is not None and account.institution_id == p.institution_id:
                return "full"
            return "issued" if issued_by_me else None
        case Role.certifier:
            return "issued" if issued_by_me else None
    return None


def visible_outcomes(p: Principal, relation: str, outcomes: list[Outcome]) -> list[Outcome]:
    if relation == "full":
        return outcomes
    return [o for o in outcomes if o.issuer_id == p.institution_id]


def require_can_record(p: Principal, issuer: Institution) -> None:
    """Outcomes are recorded in the issuer's name: only its own staff (or an admin over it) may."""
    if p.role is Role.national_admin:
        return
    if p.role is Role.province_admin and issuer.province_code == p.province_code:
        return
    if p.role in (Role.institution_staff, Role.certifier) and p.institution_id == issuer.id:
        return
    raise Forbidden(f"无权以“{issuer.name}”的名义记录学习成果", code="record_forbidden")


def require_role(p: Principal, *roles: Role) -> None:
    if p.role not in roles:
        raise Forbidden("当前角色无权执行此操作", code="role_forbidden")


def can_view_institution(p: Principal, inst: Institution) -> bool:
    match p.role:
        case Role.national_admin:
            return True
        case Role.province_admin:
            return inst.province_code == p.province_code
        case Role.institution_staff | Role.certifier:
            return inst.id == p.institution_id
    return False
