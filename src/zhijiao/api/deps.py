"""FastAPI dependencies: the platform, the unit of work, and the authenticated principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer

from zhijiao.adapters.db.uow import SqlUnitOfWork
from zhijiao.adapters.tokens import TokenService
from zhijiao.bootstrap import Platform
from zhijiao.domain.access import Principal
from zhijiao.services.users import load_principal

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


def get_tokens(request: Request) -> TokenService:
    tokens: TokenService = request.app.state.tokens
    return tokens


def get_uow(platform: Annotated[Platform, Depends(get_platform)]) -> SqlUnitOfWork:
    return platform.uow()


def principal_from_token(platform: Platform, tokens: TokenService, token: str | None) -> Principal | None:
    if not token:
        return None
    user_id = tokens.user_id(token)
    return load_principal(platform.uow(), user_id) if user_id is not None else None


def current_principal(
    platform: Annotated[Platform, Depends(get_platform)],
    tokens: Annotated[TokenService, Depends(get_tokens)],
    token: Annotated[str | None, Depends(oauth2)],
) -> Principal:
    principal = principal_from_token(platform, tokens, token)
    if principal is None:
        raise HTTPException(401, "未登录或登录已过期")
    return principal


UoW = Annotated[SqlUnitOfWork, Depends(get_uow)]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
