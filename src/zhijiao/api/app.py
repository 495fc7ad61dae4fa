"""The FastAPI application: /api/v1, the OpenAPI document, and the server-rendered pages."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from zhijiao.adapters.tokens import TokenService
from zhijiao.api import problems
from zhijiao.api.principal_cache import PrincipalCache
from zhijiao.api.routes import (
    accounts,
    admissions,
    auth,
    credentials,
    grants,
    imports,
    institutions,
    ledger,
    outcomes,
    quality,
    recording_rules,
    transcript_pdf,
)
from zhijiao.api.routes import conversion as conversion_routes
from zhijiao.bootstrap import Platform, platform
from zhijiao.services.users import load_principal


def create_app(p: Platform | None = None) -> FastAPI:
    p = p or platform()
    app = FastAPI(
        title="职教平台 zhijiao API",
        version="1.0",
        description="职业教育提质培优行动计划信息平台：学分银行等。所有接口须登录（OAuth2 密码模式获取令牌）。",
        openapi_url="/openapi.json",
        docs_url=None,  # served by the web layer with vendored Swagger UI
        redoc_url=None,
    )
    app.state.platform = p
    app.state.tokens = TokenService(
        p.settings.secret_key.get_secret_value(), p.settings.token_ttl_minutes * 60
    )
    app.state.principals = PrincipalCache(
        lambda user_id: load_principal(p.uow(), user_id), p.settings.principal_cache_seconds
    )
    problems.install(app)
    app.add_exception_handler(auth._BadLogin, auth.bad_login_handler)  # type: ignore[arg-type]
    for module in (
        auth,
        institutions,
        accounts,
        grants,
        outcomes,
        ledger,
        recording_rules,
        imports,
        transcript_pdf,
        conversion_routes,
        credentials,
        admissions,
        quality,
    ):
        app.include_router(module.router)
    app.include_router(credentials.public)
    from zhijiao.web import pages  # the web UI mounts itself beside the API

    pages.install(app)
    return app


def serve_app() -> FastAPI:
    """The app as a server process runs it (`uvicorn zhijiao.api.app:serve_app --factory`): after
    start-up, the ~160,000 objects of the loaded modules and the app are moved out of the cyclic
    garbage collector's reach (`gc.freeze`), so that a full collection no longer scans them; on the
    2-core reference machine one took ~100 ms, stalling every request the process held."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app
