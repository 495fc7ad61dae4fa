"""FastAPI dependencies: the platform, the unit of work, and the authenticated principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from zhijiao.adapters.db.uow import SqlUnitOfWork
from zhijiao.adapters.tokens import TokenService
from zhijiao.api.principal_cache import PrincipalCache
from zhijiao.bootstrap import Platform
from zhijiao.domain.access import Principal

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


def get_tokens(request: Request) -> TokenService:
    tokens: TokenService = request.app.state.tokens
    return tokens


def get_principals(request: Request) -> PrincipalCache:
    principals: PrincipalCache = request.app.state.principals
    return principals


# The per-request dependencies are `async def`: they do not block (a cache hit needs no database),
# and a sync dependency would cost a hop to the threadpool on every call.
async def get_uow(request: Request) -> SqlUnitOfWork:
    return get_platform(request).uow()


def principal_from_token(request: Request, token: str | None) -> Principal | None:
    """The principal a bearer token or session cookie stands for (from a sync caller)."""
    user_id = get_tokens(request).user_id(token) if token else None
    return get_principals(request).get(user_id) if user_id is not None else None


async def current_principal(request: Request, token: Annotated[str | None, Depends(oauth2)]) -> Principal:
    """The token is verified on every request; the user row behind it comes from `PrincipalCache`."""
    user_id = get_tokens(request).user_id(token) if token else None
    principal = None
    if user_id is not None:
        principals = get_principals(request)
        principal = principals.cached(user_id) or await run_in_threadpool(principals.load, user_id)
    if principal is None:
        raise HTTPException(401, "未登录或登录已过期")
    return principal


UoW = Annotated[SqlUnitOfWork, Depends(get_uow)]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
