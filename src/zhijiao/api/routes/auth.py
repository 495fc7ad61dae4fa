from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from zhijiao.adapters.tokens import TokenService
from zhijiao.api.deps import CurrentPrincipal, UoW, get_tokens
from zhijiao.api.problems import problem
from zhijiao.api.schemas import MeRead, TokenRead
from zhijiao.domain.identity import make_account_no
from zhijiao.services.users import authenticate

router = APIRouter(prefix="/api/v1", tags=["认证 auth"])


@router.post("/auth/token", response_model=TokenRead, operation_id="issue_token")
def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    uow: UoW,
    tokens: Annotated[TokenService, Depends(get_tokens)],
) -> TokenRead:
    principal = authenticate(uow, form.username, form.password)
    if principal is None:
        raise _BadLogin()
    return TokenRead(access_token=tokens.issue(principal.user_id), expires_in=tokens.ttl)


class _BadLogin(Exception):
    pass


def bad_login_handler(_: object, __: Exception) -> object:
    return problem(401, "用户名或密码错误", "bad_credentials")


@router.get("/me", response_model=MeRead, operation_id="who_am_i")
def who_am_i(principal: CurrentPrincipal, uow: UoW) -> MeRead:
    account_no = None
    if principal.account_id is not None:
        with uow.read():
            acc = uow.accounts.get(principal.account_id)
        account_no = make_account_no(acc.province_code, principal.account_id) if acc else None
    return MeRead(
        username=principal.username, role=principal.role, institution_id=principal.institution_id,
        province_code=principal.province_code, account_no=account_no,
    )  # fmt: skip
