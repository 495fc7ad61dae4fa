"""Who an institution serves: its own learners (名册), and the outcomes it issued to anyone."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role, can_view_institution, require_role
from zhijiao.domain.creditbank.model import Institution, LearningAccount, Outcome
from zhijiao.domain.errors import NotFound, ValidationFailed
from zhijiao.domain.identity import IdType, normalize_id_number
from zhijiao.services.creditbank.accounts import (
    AccountPage,
    find_account_by_id_number,
    get_account,
    list_accounts,
)

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

STAFF_ROLES = (Role.institution_staff, Role.certifier, Role.province_admin, Role.national_admin)


def _institution(uow: SqlUnitOfWork, principal: Principal, institution_id: int | None) -> Institution | None:
    """The institution in question: the caller's own, or (for admins) the one asked for, if in scope."""
    require_role(principal, *STAFF_ROLES)
    if principal.role in (Role.institution_staff, Role.certifier):
        if institution_id not in (None, principal.institution_id):
            raise NotFound("机构不存在或无权查看", code="institution_not_found")
        institution_id = principal.institution_id
    if institution_id is None:
        return None
    with uow.read():
        inst = uow.institutions.get(institution_id)
    if inst is None or not can_view_institution(principal, inst):
        raise NotFound("机构不存在或无权查看", code="institution_not_found")
    return inst


@dataclass(frozen=True, slots=True)
class Roster:
    institution: Institution | None  # None: every institution in the admin's scope
    page: AccountPage


def institution_roster(
    uow: SqlUnitOfWork,
    principal: Principal,
    *,
    institution_id: int | None = None,
    name_prefix: str | None = None,
    learner_type: str | None = None,
    opened_year: int | None = None,
    offset: int = 0,
    limit: int = 20,
) -> Roster:
    """An institution's own learners (a school's staff: their school; admins: any in scope)."""
    require_role(principal, Role.institution_staff, Role.province_admin, Role.national_admin)
    inst = _institution(uow, principal, institution_id)
    page = list_accounts(
        uow,
        principal,
        institution_id=inst.id if inst else None,
        name_prefix=(name_prefix or "").strip() or None,
        learner_type=learner_type,
        opened_year=opened_year,
        offset=offset,
        limit=limit,
    )
    return Roster(inst, page)


def schools_in_scope(uow: SqlUnitOfWork, principal: Principal) -> list[Institution]:
    """The institutions an admin may pick in a filter (a province: its own; the nation: all)."""
    require_role(principal, Role.province_admin, Role.national_admin)
    with uow.read():
        found = uow.institutions.list(
            province_code=principal.province_code if principal.role is Role.province_admin else None
        )
    return [i for i in found if can_view_institution(principal, i)]


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def find_learner(uow: SqlUnitOfWork, principal: Principal, query: str) -> LearningAccount:
    """A learner by account number or national ID number (through the HMAC index); out of scope
    answers like unknown (404). The ID number arrives in a form body, never in a URL."""
    text = unicodedata.normalize("NFKC", query).translate(_ZERO_WIDTH)
    text = normalize_id_number(text)
    if not text:
        raise ValidationFailed("请填写学习账号或证件号码", field="q")
    if len(text) == 18 or (len(text) == 15 and not text.isdigit()):
        return find_account_by_id_number(uow, principal, IdType.national_id, text)
    return get_account(uow, principal, text)


@dataclass(frozen=True, slots=True)
class IssuedOutcome:
    outcome: Outcome
    account: LearningAccount


@dataclass(frozen=True, slots=True)
class IssuedPage:
    institution: Institution
    items: list[IssuedOutcome]
    total: int
    offset: int
    limit: int


def issued_outcomes(
    uow: SqlUnitOfWork,
    principal: Principal,
    *,
    institution_id: int | None = None,
    offset: int = 0,
    limit: int = 20,
) -> IssuedPage:
    """The outcomes an institution issued (certificates of a certifier, courses of a school), newest first."""
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    inst = _institution(uow, principal, institution_id)
    if inst is None:
        raise NotFound("请选择机构", code="institution_required")
    assert inst.id is not None
    with uow.read():
        found, total = uow.outcomes.issued_by(inst.id, offset=offset, limit=limit)
        ids = sorted({o.account_id for o in found})
        holders = {a.id: a for a in uow.accounts.list(account_ids=ids, limit=max(1, len(ids)))[0]}
    return IssuedPage(inst, [IssuedOutcome(o, holders[o.account_id]) for o in found], total, offset, limit)


def institution_names(uow: SqlUnitOfWork, ids: Iterable[int]) -> dict[int, str]:
    """Names of registered institutions (public facts, as on published plans), to show people names
    where records carry ids."""
    wanted = set(ids)
    if not wanted:
        return {}
    with uow.read():
        found = (uow.institutions.get(i) for i in sorted(wanted))
        return {i.id: i.name for i in found if i is not None and i.id is not None}
