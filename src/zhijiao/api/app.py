"""The FastAPI application: /api/v1, the OpenAPI document, and the server-rendered pages."""

from __future__ import annotations

from fastapi import FastAPI

from zhijiao.adapters.tokens import TokenService
from zhijiao.api import problems
from zhijiao.api.routes import (
    accounts,
    auth,
    credentials,
    imports,
    institutions,
    outcomes,
    recording_rules,
    transcript_pdf,
)
from zhijiao.api.routes import conversion as conversion_routes
from zhijiao.bootstrap import Platform, platform


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
    problems.install(app)
    app.add_exception_handler(auth._BadLogin, auth.bad_login_handler)  # type: ignore[arg-type]
    for module in (
        auth,
        institutions,
        accounts,
        outcomes,
        recording_rules,
        imports,
        transcript_pdf,
        conversion_routes,
        credentials,
    ):
        app.include_router(module.router)
    app.include_router(credentials.public)
    from zhijiao.web import pages  # the web UI mounts itself beside the API

    pages.install(app)
    return app
