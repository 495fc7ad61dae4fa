"""Credit-bank pages: a learner's account and transcript, an institution's learners, a province's overview.

Every page only reads its query, calls a service, and renders; the services decide who sees what
(a denied account answers exactly like an unknown one: a 404 page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Annotated, TypeVar

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zhijiao.api.deps import get_platform
from zhijiao.domain.access import ROLE_LABELS, Principal, Role
from zhijiao.domain.creditbank.model import (
    INSTITUTION_KIND_LABELS,
    LEARNER_TYPE_LABELS,
    LEDGER_ACTION_LABELS,
    LEVEL_LABELS,
    OUTCOME_KIND_LABELS,
    LearnerType,
    LearningAccount,
    Outcome,
)
from zhijiao.domain.errors import NotFound, ValidationFailed
from zhijiao.domain.identity import PROVINCE_CODES
from zhijiao.i18n import translator
from zhijiao.services.clock import today
from zhijiao.services.creditbank import province_overview, rosters, transcripts
from zhijiao.timefmt import LABEL as BEIJING_LABEL
from zhijiao.timefmt import beijing_time
from zhijiao.web.overview_charts import overview_charts
from zhijiao.web.pages import PagePrincipal, export_response, lang_of, render, templates

T = TypeVar("T")

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20

Page = Annotated[int, Query(ge=1, le=100_000)]


def num(value: Decimal | int | None) -> str:
    """12.0 → 12, 4.50 → 4.5, 1344275.5 → 1,344,275.5 (thousands separated, as on every page), None → —."""
    if value is None:
        return "—"
    text = format(Decimal(value).normalize(), ",f")
    return "0" if text == "-0" else text


templates.env.filters["num"] = num
templates.env.globals.update(
    outcome_kind_labels=OUTCOME_KIND_LABELS,
    institution_kind_labels=INSTITUTION_KIND_LABELS,
    learner_type_labels=LEARNER_TYPE_LABELS,
    ledger_action_labels=LEDGER_ACTION_LABELS,
    level_labels=LEVEL_LABELS,
    province_names=PROVINCE_CODES,
)


def actor_parts(actor: str) -> tuple[str, str]:
    """`institution_staff:school_staff` → ("院校工作人员", "school_staff") as the ledger names actors."""
    role, sep, name = actor.partition(":")
    if sep and role in Role.__members__:
        return ROLE_LABELS[Role(role)], name
    return "", actor


templates.env.globals["actor_parts"] = actor_parts


@router.get("/me", response_class=HTMLResponse)
def my_account(request: Request, principal: PagePrincipal) -> HTMLResponse:
    t = transcripts.own_transcript(get_platform(request).uow(), principal)
    history = transcripts.account_history(get_platform(request).uow(), principal, t.account.account_no)
    return render(request, "creditbank/account.html", principal=principal, t=t, history=history, own=True)


@router.get("/accounts/{account_no}", response_class=HTMLResponse)
def account_page(request: Request, account_no: str, principal: PagePrincipal) -> HTMLResponse:
    platform = get_platform(request)
    t = transcripts.transcript(platform.uow(), principal, account_no)
    history = transcripts.account_history(platform.uow(), principal, account_no) if t.complete else None
    return render(request, "creditbank/account.html", principal=principal, t=t, history=history, own=False,
                  may_change=_may_change(principal))  # fmt: skip


def _may_change(principal: Principal) -> Callable[[Outcome], bool] | None:
    """Which outcomes the page offers 更正/撤销 for (the service decides: others answer 404):
    a school or certifier those it issued; an authority any in its scope."""
    match principal.role:
        case Role.institution_staff | Role.certifier:
            return lambda o: o.issuer_id == principal.institution_id
        case Role.province_admin | Role.national_admin:
            return lambda o: True
    return None


EXPORT_LIMIT = 100_000  # rows of a list export from a page (the CLI and API export everything)


def _all_pages(fetch: Callable[[int, int], tuple[list[T], int]]) -> Iterator[T]:
    offset = 0
    while offset < EXPORT_LIMIT:
        items, total = fetch(offset, 500)
        yield from items
        offset += 500
        if offset >= total or not items:
            return


@router.get("/institution", response_class=HTMLResponse)
def institution_page(
    request: Request,
    principal: PagePrincipal,
    institution: Annotated[str, Query(alias="institution_id", pattern=r"^\d{0,12}$")] = "",
    q: Annotated[str, Query(max_length=50)] = "",
    view: Annotated[str, Query(pattern="^(learners|issued)$")] = "learners",
    learner_type: Annotated[str, Query(max_length=20)] = "",
    opened: Annotated[str, Query(alias="year", pattern=r"^(|19\d\d|20\d\d)$")] = "",
    format: Annotated[str, Query(pattern="^(|csv|xlsx)$")] = "",
    page: Page = 1,
) -> Response:
    uow = get_platform(request).uow
    offset = (page - 1) * PAGE_SIZE
    institution_id = int(institution) if institution else None  # "" is the filter's 全部学校
    year = int(opened) if opened else None
    if principal.role is Role.certifier or view == "issued":

        def issued_page(off: int, n: int) -> rosters.IssuedPage:
            return rosters.issued_outcomes(
                uow(), principal, institution_id=institution_id, offset=off, limit=n
            )

        if format:
            rows = _all_pages(lambda off, n: (lambda p: (p.items, p.total))(issued_page(off, n)))
            return export_response(format, "颁发记录", ISSUED_HEADERS, (_issued_row(i) for i in rows))
        issued = issued_page(offset, PAGE_SIZE)
        return render(
            request, "creditbank/issued.html", principal=principal, issued=issued, page=page,
            pages=max(1, -(-issued.total // PAGE_SIZE)),
        )  # fmt: skip
    kind = learner_type if learner_type in LearnerType.__members__ else None

    def roster_page(off: int, n: int) -> rosters.Roster:
        return rosters.institution_roster(
            uow(), principal, institution_id=institution_id, name_prefix=q, learner_type=kind, opened_year=year,
            offset=off, limit=n,
        )  # fmt: skip

    admin = principal.role in (Role.province_admin, Role.national_admin)
    if format:
        accounts = list(
            _all_pages(lambda off, n: (lambda r: (r.page.items, r.page.total))(roster_page(off, n)))
        )
        schools = rosters.institution_names(uow(), {a.institution_id for a in accounts if a.institution_id})
        return export_response(
            format, "学习者名册", ROSTER_HEADERS, (_roster_row(a, schools) for a in accounts)
        )
    roster = roster_page(offset, PAGE_SIZE)
    schools = rosters.institution_names(
        uow(), {a.institution_id for a in roster.page.items if a.institution_id}
    )
    return render(
        request, "creditbank/institution.html", principal=principal, roster=roster, q=q, page=page,
        pages=max(1, -(-roster.page.total // PAGE_SIZE)), admin=admin, school_names=schools,
        school_choices=rosters.schools_in_scope(uow(), principal) if admin else [],
        filters={"institution_id": institution_id, "learner_type": kind or "", "year": year},
        years=list(range(today().year, today().year - 8, -1)),
    )  # fmt: skip


ROSTER_HEADERS = (
    "学习账号",
    "姓名",
    "证件号码（脱敏）",
    "学习者类型",
    "所属院校",
    f"开户时间（{BEIJING_LABEL}）",
)
ISSUED_HEADERS = (
    "获得日期", "成果类型", "成果名称", "等级", "学分", "学习账号", "姓名", "证件号码（脱敏）", "状态",
)  # fmt: skip


def _roster_row(a: LearningAccount, schools: dict[int, str]) -> tuple[object, ...]:
    return (
        a.account_no, a.name, a.id_masked, LEARNER_TYPE_LABELS[a.learner_type],
        schools.get(a.institution_id or 0, ""), beijing_time(a.created_at),
    )  # fmt: skip


def _issued_row(item: rosters.IssuedOutcome) -> tuple[object, ...]:
    o, a = item.outcome, item.account
    return (
        o.obtained_on, OUTCOME_KIND_LABELS[o.kind], o.title, LEVEL_LABELS[o.level] if o.level else "",
        o.credits, a.account_no, a.name, a.id_masked, "已撤销" if o.status.value == "revoked" else "有效",
    )  # fmt: skip


@router.post("/learners/find", response_class=HTMLResponse)
def find_learner(
    request: Request, principal: PagePrincipal, q: Annotated[str, Form(max_length=40)] = ""
) -> Response:
    """Look a learner up by account number or ID number: the number comes in the form body, and the
    answer is a redirect to the account page (whose address carries only the account number)."""
    try:
        account = rosters.find_learner(get_platform(request).uow(), principal, q)
    except NotFound:
        return render(request, "error.html", status_code=404, principal=principal, status=404,
                      title="页面不存在", message="没有找到该学习者")  # fmt: skip
    except ValidationFailed as e:
        return render(request, "error.html", status_code=400, principal=principal, status=400,
                      title="请求有误", message=e.message)  # fmt: skip
    return RedirectResponse(f"/accounts/{account.account_no}", status_code=303)


@router.get("/province", response_class=HTMLResponse)
def province_page(
    request: Request, principal: PagePrincipal, province: Annotated[str, Query(max_length=2)] = ""
) -> HTMLResponse:
    overview = province_overview.province_overview(get_platform(request).uow(), principal, province or None)
    lang = lang_of(request)
    charts = overview_charts(overview, translator(lang), "：" if lang == "zh" else ": ")
    return render(request, "creditbank/province.html", principal=principal, o=overview, charts=charts)
