"""Credit-bank pages: a learner's account and transcript, an institution's learners, a province's overview.

Every page only reads its query, calls a service, and renders; the services decide who sees what
(a denied account answers exactly like an unknown one: a 404 page).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from zhijiao.api.deps import get_platform
from zhijiao.domain.access import ROLE_LABELS, Role
from zhijiao.domain.creditbank.model import (
    INSTITUTION_KIND_LABELS,
    LEARNER_TYPE_LABELS,
    LEDGER_ACTION_LABELS,
    LEVEL_LABELS,
    OUTCOME_KIND_LABELS,
)
from zhijiao.domain.identity import PROVINCE_CODES
from zhijiao.i18n import translator
from zhijiao.services.creditbank import province_overview, rosters, transcripts
from zhijiao.web.overview_charts import overview_charts
from zhijiao.web.pages import PagePrincipal, lang_of, render, templates

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
BEIJING = timezone(timedelta(hours=8))

Page = Annotated[int, Query(ge=1, le=100_000)]


def num(value: Decimal | int | None) -> str:
    """12.0 → 12, 4.50 → 4.5, 1344275.5 → 1,344,275.5 (thousands separated, as on every page), None → —."""
    if value is None:
        return "—"
    text = format(Decimal(value).normalize(), ",f")
    return "0" if text == "-0" else text


def beijing_time(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite gives naive UTC back
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


templates.env.filters["num"] = num
templates.env.filters["beijing_time"] = beijing_time
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
    return render(request, "creditbank/account.html", principal=principal, t=t, history=history, own=False)


@router.get("/institution", response_class=HTMLResponse)
def institution_page(
    request: Request,
    principal: PagePrincipal,
    institution_id: Annotated[int | None, Query(ge=1)] = None,
    q: Annotated[str, Query(max_length=50)] = "",
    view: Annotated[str, Query(pattern="^(learners|issued)$")] = "learners",
    page: Page = 1,
) -> HTMLResponse:
    uow = get_platform(request).uow()
    offset = (page - 1) * PAGE_SIZE
    if principal.role is Role.certifier or view == "issued":
        issued = rosters.issued_outcomes(
            uow, principal, institution_id=institution_id, offset=offset, limit=PAGE_SIZE
        )
        return render(
            request, "creditbank/issued.html", principal=principal, issued=issued, page=page,
            pages=max(1, -(-issued.total // PAGE_SIZE)),
        )  # fmt: skip
    roster = rosters.institution_roster(
        uow, principal, institution_id=institution_id, name_prefix=q, offset=offset, limit=PAGE_SIZE
    )
    return render(
        request, "creditbank/institution.html", principal=principal, roster=roster, q=q, page=page,
        pages=max(1, -(-roster.page.total // PAGE_SIZE)),
    )  # fmt: skip


@router.get("/province", response_class=HTMLResponse)
def province_page(
    request: Request, principal: PagePrincipal, province: Annotated[str, Query(max_length=2)] = ""
) -> HTMLResponse:
    overview = province_overview.province_overview(get_platform(request).uow(), principal, province or None)
    charts = overview_charts(overview, translator(lang_of(request)))
    return render(request, "creditbank/province.html", principal=principal, o=overview, charts=charts)
