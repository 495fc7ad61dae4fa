"""RFC 9457 problem+json for every error: a Chinese `title`, a machine `type`, never a stack trace.

Language: Chinese unless the request's `Accept-Language` prefers English (`en`, `en-US`,
`en;q=0.9,zh;q=0.5`); then `title`, `detail` and every `errors[].message` / `problems[].message` are
rendered by `i18n.to_english`. The `type` never changes. Problem responses carry `Content-Language`
and `Vary: Accept-Language`.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from zhijiao.domain.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from zhijiao.i18n import to_english

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


# Pydantic's per-field messages are English; each error type it reports on requests, in Chinese.
_FIELD_MESSAGES = {
    "missing": "必填",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_max_digits": "数字位数过多（最多 {max_digits} 位）",
    "decimal_max_places": "小数位过多（最多 {decimal_places} 位）",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "datetime_type": "应为日期时间（ISO 8601，带时区）",
    "datetime_parsing": "应为日期时间（ISO 8601，带时区）",
    "timezone_aware": "日期时间须带时区",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不得小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不得大于 {le}",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
    "uuid_parsing": "应为 UUID",
    "url_parsing": "应为网址",
}


def field_message(error: dict[str, Any], lang: str = "zh") -> str:
    """One request-validation error in Chinese, or in English (the template translated, then filled)."""
    say = to_english if lang == "en" else str
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return say(str(ctx["error"]))
    template = _FIELD_MESSAGES.get(kind)
    if template is None:
        return say("取值不正确")
    if "expected" in ctx and lang != "en":  # "'csv' or 'xlsx'" → "'csv'、'xlsx'"
        ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", "、").replace(", ", "、")}
    template = say(template)
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split("{", 1)[0].rstrip() or say("取值不正确")


# The language of the request being answered (set by `LanguageMiddleware` from Accept-Language).
problem_language: ContextVar[str] = ContextVar("problem_language", default="zh")


def negotiate(accept_language: str | None) -> str:
    """"en" when Accept-Language prefers English to Chinese (RFC 9110 q-values; on equal q the one
    listed first); "zh" otherwise, and when neither is named."""
    best: tuple[float, int, str] | None = None
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-", 1)[0]
        if primary not in ("zh", "en"):
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and (best is None or q > best[0]):
            best = (q, position, primary)
    return best[2] if best else "zh"


class LanguageMiddleware:
    """Pure ASGI: the request's problem language, visible to every handler (and threadpool) below."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"accept-language"), None)
        token = problem_language.set(negotiate(header))
        try:
            await self.app(scope, receive, send)
        finally:
            problem_language.reset(token)


def _english_body(body: dict[str, Any]) -> dict[str, Any]:
    out = dict(body)
    for key in ("title", "detail"):
        if isinstance(out.get(key), str):
            out[key] = to_english(out[key])
    for key in ("errors", "problems"):
        if isinstance(out.get(key), list):
            out[key] = [
                {**item, "message": to_english(item["message"])}
                if isinstance(item, dict) and isinstance(item.get("message"), str) else item
                for item in out[key]
            ]  # fmt: skip
    return out


def problem(
    status: int, title: str, type_: str, detail: str | None = None, headers: dict[str, str] | None = None,
    *, lang: str | None = None, **extra: Any,
) -> JSONResponse:  # fmt: skip
    """A problem response in `lang` (default: the request's, see `LanguageMiddleware`)."""
    body: dict[str, Any] = {"type": TYPE_BASE + type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    lang = lang or problem_language.get()
    if lang == "en":
        body = _english_body(body)
    headers = {
        **(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {}),
        "Content-Language": "en" if lang == "en" else "zh-CN", "Vary": "Accept-Language",
    }  # fmt: skip
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allow_header(request: Request, exc: StarletteHTTPException) -> dict[str, str]:
    """`exc`'s headers; for 405 an `Allow` listing every method some route of the path answers
    (Starlette names only the first matching route's methods)."""
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        routes = [r for r in request.app.router.routes if isinstance(r, BaseRoute)]
        allowed = [
            m for m in _METHODS
            if any(r.matches({**request.scope, "method": m})[0] is Match.FULL for r in routes)
        ]  # fmt: skip
        if allowed:
            headers["Allow"] = ", ".join(allowed)
    return headers


def request_language(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


def install(app: FastAPI) -> None:
    app.add_middleware(LanguageMiddleware)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 400)
        extra = {"field": exc.field} if exc.field else {}
        return problem(status, exc.message, exc.code, lang=request_language(request), **extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = request_language(request)
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "message": field_message(e, lang)}
            for e in exc.errors()
        ]
        return problem(422, "提交的数据不正确", "validation_failed", lang=lang, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = (
            exc.detail if isinstance(exc.detail, str) and exc.detail and not exc.detail.isascii() else None
        )
        return problem(
            exc.status_code, title or _HTTP_TITLES.get(exc.status_code, "请求失败"), f"http_{exc.status_code}",
            headers=allow_header(request, exc), lang=request_language(request),
        )  # fmt: skip

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return problem(500, "服务器内部错误，请稍后重试", "internal_error", lang=request_language(request))
