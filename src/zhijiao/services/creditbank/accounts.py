"""Learning accounts (个人学习账号): opening, finding, listing, with access scoped to the caller."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from zhijiao.domain.access import Principal, Role, account_relation
from zhijiao.domain.creditbank.ledger import canonical_json
from zhijiao.domain.creditbank.model import (
    SCHOOL_KINDS,
    Institution,
    LearnerType,
    LearningAccount,
    LedgerAction,
    Outcome,
)
from zhijiao.domain.errors import Forbidden, NotFound, ValidationFailed
from zhijiao.domain.identity import (
    IdType,
    NationalId,
    make_account_no,
    mask_id_number,
    parse_national_id,
    validate_account_no,
    validate_id_document,
)
from zhijiao.domain.text import clean
from zhijiao.services.clock import utcnow
from zhijiao.services.creditbank import ledger

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class NewAccount:
    """A validated person about to get an account (the number is still in clear, in memory only)."""

    name: str
    id_type: IdType
    number: str
    home: Institution | None
    fallback_province: str

    @property
    def learner_type(self) -> LearnerType:
        return LearnerType.enrolled if self.home and self.home.kind in SCHOOL_KINDS else LearnerType.adult

    @property
    def province_code(self) -> str:
        if self.home is not None:
            return self.home.province_code
        if self.id_type is IdType.national_id:
            return NationalId(self.number).province_code
        return self.fallback_province

    @property
    def birth_date(self) -> date | None:
        return NationalId(self.number).birth_date if self.id_type is IdType.national_id else None


def account_row(uow: SqlUnitOfWork, new: NewAccount, now: datetime) -> dict[str, Any]:
    return {
        "province_code": new.province_code,
        "name": new.name,
        "learner_type": new.learner_type.value,
        "id_type": new.id_type.value,
        "id_number_enc": uow.vault.encrypt(new.number),
        "id_number_hmac": uow.vault.index(new.id_type.value, new.number),
        "id_masked": mask_id_number(new.number),
        "birth_date": new.birth_date,
        "institution_id": new.home.id if new.home else None,
        "created_at": now,
    }


def open_snapshot(account_id: int, row: dict[str, Any]) -> str:
    """What the ledger's opening entry keeps of an account: never the identity number itself."""
    return canonical_json(
        {
            "account_no": make_account_no(row["province_code"], account_id),
            "name": row["name"],
            "learner_type": row["learner_type"],
            "id_type": row["id_type"],
            "id_masked": row["id_masked"],
            "institution_id": row["institution_id"],
        }
    )


def open_account(
    uow: SqlUnitOfWork,
    principal: Principal,
    *,
    name: str,
    id_type: IdType,
    id_number: str,
    institution_id: int | None = None,
) -> LearningAccount:
    """Open one learning account. One person, one account: a second attempt is a conflict."""
    if principal.role is Role.learner or (principal.role is Role.certifier and institution_id is not None):
        raise Forbidden("当前角色无权开设学习账号", code="role_forbidden")
    name = clean(name)
    if not name or len(name) > 50:
        raise ValidationFailed("姓名不能为空且不超过50个字符", field="name")
    number = validate_id_document(id_type, id_number)
    now = utcnow()
    with uow:
        home = None
        if institution_id is not None:
            home = uow.institutions.get(institution_id)
            if home is None:
                raise NotFound("所属院校不存在", code="institution_not_found")
        if principal.role is Role.institution_staff and institution_id != principal.institution_id:
            raise Forbidden("只能为本校学生开设账号", code="institution_scope")
        new = NewAccount(name, id_type, number, home, principal.province_code or "11")
        if principal.role is Role.province_admin and new.province_code != principal.province_code:
            raise Forbidden("只能开设本省的学习账号", code="province_scope")
        existing = uow.accounts.by_index(uow.vault.index(id_type.value, number))
        if existing is not None:
            # decision 0016: no answer may tell someone outside the learner's scope that the person
            # has an account. The same name and number: the caller proved it knows the person, and
            # gets the account as it would see it after recording into it (no home school unless in
            # scope); a different name: the one neutral answer, whoever asks.
            if clean(existing.name) != clean(name):
                raise name_mismatch()
            return existing if _relation(uow, principal, existing) == "full" else issued_view(existing)
        row = account_row(uow, new, now)
        (account_id,) = uow.accounts.add_many([row])
        ledger.append(
            uow,
            account_id=account_id,
            action=LedgerAction.open,
            outcome_id=None,
            payload=open_snapshot(account_id, row),
            actor=principal.actor,
            now=now,
        )
        uow.commit()
        account = uow.accounts.get(account_id)
    assert account is not None
    return account


def account_not_found() -> NotFound:
    """The one answer for an account that does not exist, is malformed or may not be seen: no
    probing for who has an account."""
    return NotFound("学习账号不存在或无权查看", code="account_not_found")



def name_mismatch() -> ValidationFailed:
    """The one answer for a name that does not go with an identity number — whether or not anyone
    holds an account under that number, and whoever asks (decision 0016)."""
    return ValidationFailed("姓名与证件号码不符", field="name")


def issued_view(account: LearningAccount) -> LearningAccount:
    """What a school or certifier that sees the account only through outcomes it issued may read of
    it: the account number, the name and masked number it proved it knew — not the learner's home
    school or birth date (decision 0016)."""
    return dataclasses.replace(account, institution_id=None, birth_date=None)


@dataclass(frozen=True, slots=True)
class PersonProof:
    """The name and identity number a recorder gives to show it knows the person (as an import does)."""

    name: str
    id_number: str
    id_type: IdType = IdType.national_id


def proves_person(uow: SqlUnitOfWork, account: LearningAccount, proof: PersonProof) -> bool:
    """True when `proof` names exactly the holder of `account` (through the HMAC index)."""
    try:
        number = validate_id_document(proof.id_type, proof.id_number)
    except ValidationFailed:
        return False
    holder = uow.accounts.by_index(uow.vault.index(proof.id_type.value, number))
    return (
        holder is not None and holder.id == account.id and clean(holder.name) == clean(proof.name)
    )


def require_can_record_into(
    uow: SqlUnitOfWork, principal: Principal, account: LearningAccount, proof: PersonProof | None
) -> None:
    """Decision 0016 — writing does not grant reading. Someone may record into an account only when
    it may already read the whole account (the learner's own school, the learner's province, the
    ministry; a learner only their own), or — a school or certifier — it proves it knows the person
    (the identity number together with the name, as an import does), or the learner has granted it
    access (services/creditbank/grants.py). Anything else answers exactly as
    an account that does not exist (404). A province never writes outside its province."""
    if _relation(uow, principal, account) == "full":
        return
    if principal.role in (Role.institution_staff, Role.certifier) and principal.institution_id is not None:
        assert account.id is not None
        if proof is not None and proves_person(uow, account, proof):
            return
        if uow.grants.is_granted(account.id, principal.institution_id):  # the learner let it (grants.py)
            return
    raise account_not_found()


def _relation(uow: SqlUnitOfWork, principal: Principal, account: LearningAccount) -> str | None:
    try:
        return relation_to(uow, principal, account)
    except NotFound:
        return None


def relation_to(
    uow: SqlUnitOfWork, principal: Principal, account: LearningAccount, outcomes: list[Outcome] | None = None
) -> str:
    """Raise NotFound unless `principal` may see `account`; return 'full' or 'issued'.
    `outcomes`: all of the account's outcomes, when the caller has them (saves a query)."""
    issued_by_me = False
    mine = principal.institution_id
    if principal.role in (Role.institution_staff, Role.certifier) and mine is not None:
        assert account.id is not None
        issued_by_me = (
            uow.outcomes.has_issued(account.id, mine)
            if outcomes is None
            else any(o.issuer_id == mine for o in outcomes)
        )
    relation = account_relation(principal, account, issued_by_me)
    if relation is None:
        raise account_not_found()
    return relation


def account_number(account_no: str) -> str:
    """The well-formed account number; NotFound (not a validation error) for a malformed one."""
    try:
        return validate_account_no(account_no)
    except ValidationFailed:
        raise account_not_found() from None


def account_id_in(number: str) -> int:
    """The account id inside a well-formed account number (province code, id, check digit)."""
    return int(number[2:12])


def find_account(uow: SqlUnitOfWork, account_no: str) -> LearningAccount:
    """The account with this exact number (inside an open unit of work), before any access check."""
    number = account_number(account_no)
    account = uow.accounts.get(account_id_in(number))
    if account is None or account.account_no != number:
        raise account_not_found()
    return account


def load_account(uow: SqlUnitOfWork, principal: Principal, account_no: str) -> tuple[LearningAccount, str]:
    """Find an account by number and check that `principal` may see it."""
    account = find_account(uow, account_no)
    return account, relation_to(uow, principal, account)


def get_account(uow: SqlUnitOfWork, principal: Principal, account_no: str) -> LearningAccount:
    with uow.read():
        account, relation = load_account(uow, principal, account_no)
    return account if relation == "full" else issued_view(account)


def find_account_by_id_number(
    uow: SqlUnitOfWork, principal: Principal, id_type: IdType, id_number: str
) -> LearningAccount:
    """Look an account up by identity number, through the HMAC index (the number is never stored in clear)."""
    number = (
        parse_national_id(id_number).value
        if id_type is IdType.national_id
        else validate_id_document(id_type, id_number)
    )
    with uow.read():
        account = uow.accounts.by_index(uow.vault.index(id_type.value, number))
        if account is None:
            raise account_not_found()
        relation = relation_to(uow, principal, account)
        return account if relation == "full" else issued_view(account)


@dataclass(frozen=True, slots=True)
class AccountPage:
    items: list[LearningAccount]
    total: int
    offset: int
    limit: int


def list_accounts(
    uow: SqlUnitOfWork,
    principal: Principal,
    *,
    institution_id: int | None = None,
    name_prefix: str | None = None,
    learner_type: str | None = None,
    opened_year: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> AccountPage:
    """Accounts the caller may see in full: a school its own learners, a province its own;
    optionally only learners of one type, or whose account was opened in one year."""
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    filters: dict[str, Any] = {
        "name_prefix": name_prefix, "offset": offset, "limit": limit, "learner_type": learner_type,
        "opened_year": opened_year,
    }  # fmt: skip
    match principal.role:
        case Role.national_admin:
            filters["institution_id"] = institution_id
        case Role.province_admin:
            filters["province_code"] = principal.province_code
            filters["institution_id"] = institution_id
        case Role.institution_staff:
            if institution_id not in (None, principal.institution_id):
                raise Forbidden("只能查看本校学习者", code="institution_scope")
            filters["institution_id"] = principal.institution_id
        case Role.learner:
            filters["account_ids"] = [principal.account_id] if principal.account_id else []
        case Role.certifier:
            raise Forbidden("培训评价组织请按证书查询学习者", code="role_forbidden")
    with uow.read():
        items, total = uow.accounts.list(**filters)
    return AccountPage(items, total, offset, limit)
