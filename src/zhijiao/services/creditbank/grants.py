"""Access grants (decision 0016): a learner lets an institution record into their account, and may
take it back. A grant lets the institution record; it does not let it read more than the outcomes it
issued itself (writing does not grant reading)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role, require_role
from zhijiao.domain.errors import NotFound
from zhijiao.services.clock import utcnow
from zhijiao.services.creditbank.accounts import account_not_found

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class Grant:
    institution_id: int
    institution_name: str
    granted_at: datetime


def _own_account(principal: Principal) -> int:
    require_role(principal, Role.learner)
    if principal.account_id is None:
        raise account_not_found()
    return principal.account_id


def grant_access(uow: SqlUnitOfWork, principal: Principal, institution_id: int) -> Grant:
    """The learner lets `institution_id` (a school, certifier, enterprise…) record into their account."""
    account_id = _own_account(principal)
    now = utcnow()
    with uow:
        institution = uow.institutions.get(institution_id)
        if institution is None:
            raise NotFound("机构不存在", code="institution_not_found")
        uow.grants.grant(account_id, institution_id, now)
        uow.commit()
    return Grant(institution_id, institution.name, now)


def revoke_access(uow: SqlUnitOfWork, principal: Principal, institution_id: int) -> None:
    """Take a grant back; what the institution already recorded stays (the ledger keeps it)."""
    account_id = _own_account(principal)
    with uow:
        if not uow.grants.revoke(account_id, institution_id, utcnow()):
            raise NotFound("没有对该机构的授权", code="grant_not_found")
        uow.commit()


def list_grants(uow: SqlUnitOfWork, principal: Principal) -> list[Grant]:
    account_id = _own_account(principal)
    with uow.read():
        return [Grant(*g) for g in uow.grants.for_account(account_id)]
