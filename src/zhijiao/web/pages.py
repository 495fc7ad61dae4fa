"""Server-rendered pages (Jinja2): sign-in and the frame every page shares.

Pages authenticate with the same token as the API, kept in an HttpOnly, SameSite=Strict cookie,
and call the same services as the API routes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from zhijiao.api.deps import get_platform, get_tokens, principal_from_token
from zhijiao.api.problems import allow_header
from zhijiao.domain.access import ROLE_LABELS, Principal, Role
from zhijiao.domain.errors import DomainError, Forbidden, NotFound
from zhijiao.i18n import LANGS, translate_reason, translator
from zhijiao.services.users import authenticate
from zhijiao.timefmt import LABEL as BEIJING_LABEL
from zhijiao.timefmt import beijing_time, to_beijing

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
COOKIE = "zhijiao_session"
LANG_COOKIE = "zhijiao_lang"

router = APIRouter(include_in_schema=False)

LEARNER, STAFF, CERTIFIER = Role.learner, Role.institution_staff, Role.certifier
PROVINCE, NATION = Role.province_admin, Role.national_admin
ADMINS = (PROVINCE, NATION)


@dataclass(frozen=True, slots=True)
class NavLink:
    """One link of the header: where it goes, its (Chinese) label, who sees it, and the paths
    under which it is the current page (`aria-current`)."""

    href: str
    label: str
    roles: tuple[Role, ...]
    current: tuple[str, ...] = ()

    def matches(self, path: str) -> bool:
        return any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.current or (self.href,))


# The one navigation of every page: each role sees only links it may use (none answers 403).
# Pillars add their pages here (quality: 质量监测), in the order a person of that role works.
NAV: tuple[NavLink, ...] = (
    NavLink("/me", "我的账号", (LEARNER,), ("/me",)),
    NavLink("/me/credentials", "我的凭证", (LEARNER,)),
    NavLink("/province", "省级概况", (PROVINCE,)),
    NavLink("/province", "全国概况", (NATION,)),
    NavLink("/institution", "本校学习者", (STAFF,), ("/institution", "/accounts", "/learners")),
    NavLink("/institution", "已颁发", (CERTIFIER,), ("/institution", "/accounts", "/outcomes")),
    NavLink("/institution", "学习者", ADMINS, ("/institution", "/accounts", "/learners")),
    NavLink("/institution?view=issued", "颁发记录", (STAFF,)),
    NavLink("/institution/import", "导入", (STAFF, CERTIFIER, PROVINCE, NATION), ("/institution/import", "/imports")),
    NavLink("/plans", "人才培养方案", (LEARNER, STAFF, PROVINCE, NATION), ("/plans",)),
    NavLink("/conversion/applications", "学分兑换申请", (LEARNER,), ("/conversion/apply", "/conversion/applications")),
    NavLink("/conversion/applications", "审核队列", (STAFF, PROVINCE, NATION), ("/conversion/apply", "/conversion/applications")),
    NavLink("/conversion/audit", "毕业审核", (LEARNER, STAFF, PROVINCE, NATION)),
    NavLink("/credentials", "凭证", (STAFF, CERTIFIER, PROVINCE, NATION), ("/credentials",)),
    NavLink("/quality", "质量监测", (STAFF, PROVINCE, NATION), ("/quality",)),
    NavLink("/admissions/runs", "招生录取", (STAFF, PROVINCE, NATION), ("/admissions",)),
)  # fmt: skip
PUBLIC_NAV: tuple[NavLink, ...] = (
    NavLink("/plans", "人才培养方案", ()),
    NavLink("/verify", "凭证核验", ()),
    NavLink("/admissions/lookup", "录取结果查询", ()),
)


def nav_for(principal: Principal | None) -> list[NavLink]:
    if principal is None:
        return list(PUBLIC_NAV)
    return [link for link in NAV if principal.role in link.roles]


def current_link(links: list[NavLink], path: str, query: str) -> NavLink | None:
    """The link of the page being shown: an exact match with its query first, then by path."""
    here = f"{path}?{query}" if query else path
    exact = [link for link in links if "?" in link.href and here.startswith(link.href)]
    return exact[0] if exact else next((link for link in links if link.matches(path)), None)


templates.env.filters["beijing_time"] = beijing_time
templates.env.globals["beijing_label"] = BEIJING_LABEL


class SignInRequired(Exception):
    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def lang_of(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh"
    return lang if lang in LANGS else "zh"


def optional_principal(request: Request) -> Principal | None:
    return principal_from_token(request, request.cookies.get(COOKIE))


def page_principal(request: Request) -> Principal:
    principal = optional_principal(request)
    if principal is None:
        raise SignInRequired(str(request.url.path))
    return principal


PagePrincipal = Annotated[Principal, Depends(page_principal)]


def paren_for(lang: str) -> Any:
    """`（x）` in Chinese, ` (x)` in English: no full-width punctuation in English text."""
    return (lambda text: f"（{text}）") if lang == "zh" else (lambda text: f" ({text})")


def export_response(fmt: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """A list as Excel or CSV: the CLI export's writer (formula injection neutralised; the rows
    given carry masked ID numbers only). The file name says the day, 北京时间."""
    import io

    from zhijiao.adapters.spreadsheets.writing import write_table
    from zhijiao.api.routes.imports import download
    from zhijiao.services.creditbank.exports import TableExport

    buf = io.BytesIO()
    write_table(buf, fmt, TableExport(title, headers, (tuple(r) for r in rows)))
    stamp = to_beijing(datetime.now(UTC)).strftime("%Y%m%d")
    return download(buf.getvalue(), f"{title}-{stamp}.{'xlsx' if fmt == 'xlsx' else 'csv'}")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    principal = context.pop("principal", None) or optional_principal(request)
    nav = nav_for(principal)
    response = templates.TemplateResponse(
        request,
        template,
        {
            "_": translator(lang),
            "lang": lang,
            "principal": principal,
            "role_labels": ROLE_LABELS,
            "paren": paren_for(lang),
            "sep": "、" if lang == "zh" else ", ",
            "colon": "：" if lang == "zh" else ": ",
            "tr_reason": lambda text: translate_reason(text, lang),
            "nav": nav,
            "nav_current": current_link(nav, request.url.path, request.url.query),
            **context,
        },
        status_code=status_code,
    )
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


_MACHINE_PATH = re.compile(
    r"^/(api/|openapi\.json$|static/|\.well-known/|credentials/status/|issuers/[^/]+/did\.json$)"
)


def is_page(request: Request) -> bool:
    """Pages answer errors in HTML; the API, the static files and the documents verifiers fetch
    (DID documents, status lists) keep problem+json."""
    return _MACHINE_PATH.match(request.url.path) is None


ERROR_TITLES = {403: "无权访问", 404: "页面不存在", 405: "不支持该请求方法"}


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    title = ERROR_TITLES.get(status, "请求有误")
    return render(request, "error.html", status_code=status, status=status, title=title, message=message)


def home_for(principal: Principal) -> str:
    match principal.role:
        case Role.learner:
            return "/me"
        case Role.institution_staff | Role.certifier:
            return "/institution"
        case _:
            return "/province"


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> Response:
    """The public landing page: what the platform is, sign-in, and verification for employers.
    A signed-in person goes on to their own start page."""
    principal = optional_principal(request)
    if principal is not None:
        return RedirectResponse(home_for(principal), status_code=303)
    return render(request, "landing.html")


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "signin.html", next=next if next.startswith("/") else "/")


@router.post("/signin", response_class=HTMLResponse)
def signin(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    platform = get_platform(request)
    principal = authenticate(platform.uow(), username, password)
    if principal is None:
        return render(
            request, "signin.html", status_code=401, error="用户名或密码错误", next=next, username=username
        )
    tokens = get_tokens(request)
    target = (
        next if next.startswith("/") and not next.startswith("//") and next != "/" else home_for(principal)
    )
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        tokens.issue(principal.user_id),
        max_age=tokens.ttl,
        httponly=True,
        samesite="strict",
        path="/",
    )
    return response


@router.post("/signout")
def signout() -> Response:
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="职教平台 API 文档",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )

    api_handlers = dict(app.exception_handlers)

    async def _domain(request: Request, exc: Exception) -> Response:
        if not is_page(request):
            return await api_handlers[DomainError](request, exc)  # type: ignore[no-any-return]
        assert isinstance(exc, DomainError)
        status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, Forbidden) else 400
        return error_page(request, status, exc.message)

    async def _http(request: Request, exc: Exception) -> Response:
        if not is_page(request):
            return await api_handlers[StarletteHTTPException](request, exc)  # type: ignore[no-any-return]
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code if exc.status_code in ERROR_TITLES else 400
        page = error_page(request, status, ERROR_TITLES.get(status, "请求有误"))
        page.headers.update(allow_header(request, exc))
        return page

    async def _invalid(request: Request, exc: Exception) -> Response:
        if not is_page(request):
            return await api_handlers[RequestValidationError](request, exc)  # type: ignore[no-any-return]
        return error_page(request, 400, "网址中的参数不正确")

    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _invalid)

    @app.exception_handler(SignInRequired)
    async def _signin(_: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/signin?next={exc.next_url}", status_code=303)

    app.include_router(router)
    from zhijiao.web import (
        admissions_pages,
        conversion_pages,
        credential_pages,
        creditbank_pages,
        import_pages,
        outcome_pages,
        quality_pages,
        transcript_pdf_pages,
    )

    for module in (
        creditbank_pages, import_pages, transcript_pdf_pages, conversion_pages, credential_pages, quality_pages,
        outcome_pages, admissions_pages,
    ):  # fmt: skip
        app.include_router(module.router)
