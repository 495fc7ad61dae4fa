"""Users and sign-in: password hashing (argon2id) and the principal a signed-in user acts as."""

from __future__ import annotations

from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from zhijiao.domain.access import Principal, Role
from zhijiao.domain.errors import Conflict, ValidationFailed
from zhijiao.domain.text import clean
from zhijiao.services.clock import utcnow

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

# OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY_HASH = _hasher.hash("timing-equaliser")


def create_user(
    uow: SqlUnitOfWork,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str,
    institution_id: int | None = None,
    province_code: str | None = None,
    account_id: int | None = None,
) -> int:
    username = clean(username)  # "ｓｔａｆｆ１" and "staff1" are one user name
    if not username:
        raise ValidationFailed("用户名不能为空", field="username")
    if len(password) < 8:
        raise ValidationFailed("密码至少8个字符", field="password")
    if role in (Role.institution_staff, Role.certifier) and institution_id is None:
        raise ValidationFailed("院校或培训评价组织用户须指定所属机构", field="institution_id")
    if role is Role.province_admin and not province_code:
        raise ValidationFailed("省级管理员须指定省份", field="province_code")
    if role is Role.learner and account_id is None:
        raise ValidationFailed("学习者用户须关联学习账号", field="account_id")
    with uow:
        if uow.users.by_username(username) is not None:
            raise Conflict(f"用户名“{username}”已存在", code="user_exists")
        user_id = uow.users.add(
            {
                "username": username,
                "display_name": display_name,
                "password_hash": _hasher.hash(password),
                "role": role.value,
                "institution_id": institution_id,
                "province_code": province_code,
                "account_id": account_id,
                "is_active": True,
                "created_at": utcnow(),
            }
        )
        uow.commit()
    return user_id


def authenticate(uow: SqlUnitOfWork, username: str, password: str) -> Principal | None:
    """The principal for these credentials, or None (same time either way)."""
    with uow.read():
        row = uow.users.by_username(clean(username))
    if row is None or not row.is_active:
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(row.password_hash, password):
        return None
    return principal_of(row)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def load_principal(uow: SqlUnitOfWork, user_id: int) -> Principal | None:
    with uow.read():
        row = uow.users.get(user_id)
    return principal_of(row) if row is not None and row.is_active else None


def principal_of(row: object) -> Principal:
    r = row  # a users-table row
    return Principal(
        user_id=r.id,  # type: ignore[attr-defined]
        username=r.username,  # type: ignore[attr-defined]
        role=Role(r.role),  # type: ignore[attr-defined]
        institution_id=r.institution_id,  # type: ignore[attr-defined]
        province_code=r.province_code,  # type: ignore[attr-defined]
        account_id=r.account_id,  # type: ignore[attr-defined]
    )


def principal_by_username(uow: SqlUnitOfWork, username: str) -> Principal | None:
    """The principal an operator acts as on the command line (`--as USERNAME`)."""
    with uow.read():
        row = uow.users.by_username(clean(username))
    return principal_of(row) if row is not None and row.is_active else None
