"""RFC 9457 problem+json for every error: a Chinese `title`, a machine `type`, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from zhijiao.domain.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed

log = logging.getLogger("zhijiao.api")
PROBLEM = "application/problem+json"
TYPE_BASE = "https://zhijiao.example/problems/"

_STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, ValidationFailed: 422}
_HTTP_TITLES = {
    400: "请求有误",
    401: "未登录或登录已过期",
    403: "无权访问",
    404: "资源不存在",
    405: "不支持该请求方法",
    409: "与现有数据冲突",
    413: "上传的文件过大",
    415: "不支持的文件类型",
    422: "提交的数据不正确",
    429: "请求过于频繁",
}


def problem(status: int, title: str, type_: str, detail: str | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_BASE + type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 400)
        extra = {"field": exc.field} if exc.field else {}
        return problem(status, exc.message, exc.code, **extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return problem(422, "提交的数据不正确", "validation_failed", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = (
            exc.detail if isinstance(exc.detail, str) and exc.detail and not exc.detail.isascii() else None
        )
        return problem(
            exc.status_code, title or _HTTP_TITLES.get(exc.status_code, "请求失败"), f"http_{exc.status_code}"
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return problem(500, "服务器内部错误，请稍后重试", "internal_error")
