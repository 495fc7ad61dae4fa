"""Quality monitoring pages: the school's data officer (form, upload, problems, submit, indicators
against the standards with last year beside them), the province (schools with cards and outliers,
review, export, provenance) and the nation (completion and cards per province). The same services
as the API and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from zhijiao.adapters.spreadsheets.quality_form import read_quality_file
from zhijiao.adapters.spreadsheets.reading import SpreadsheetError, read_limited
from zhijiao.api.deps import get_platform
from zhijiao.api.routes.imports import download
from zhijiao.domain.access import Principal, Role
from zhijiao.domain.errors import DomainError, NotFound
from zhijiao.domain.quality.elements import DISCIPLINE_LABELS, SCHOOL_LEVEL_LABELS
from zhijiao.domain.quality.indicators import INDICATOR_BY_CODE
from zhijiao.domain.quality.values import Where
from zhijiao.domain.quality.verdicts import CARD_LABELS, VERDICT_LABELS
from zhijiao.domain.quality.workflow import DECLARATION, STATUS_LABELS, Action
from zhijiao.i18n import translator
from zhijiao.services.clock import today
from zhijiao.services.quality import collection, forms, verdicts
from zhijiao.web.pages import PagePrincipal, lang_of
from zhijiao.web.pages import render as _render

router = APIRouter(include_in_schema=False)


def _where_for(lang: str) -> Callable[..., Markup]:
    """A value's place (a form's sheet and cell, or a file's row and column) in the page's language;
    in English the sheet's own (Chinese) name is marked as data (Where.describe_en)."""

    def where(place: Any, column: str | None = None) -> Markup:
        row = getattr(place, "row", None) or getattr(place, "row_no", None)
        w = Where(place.sheet, place.cell, row)
        if lang != "en":
            return Markup.escape(w.describe(column))
        text = Markup.escape(w.describe_en(column))
        if w.sheet:
            quoted = Markup.escape(f"“{w.sheet}”")
            text = text.replace(
                quoted, Markup('“<span translate="no" lang="zh-CN">{}</span>”').format(w.sheet), 1
            )
        return Markup(text)

    return where


def _explained_for(lang: str) -> Callable[[Any], Markup]:
    """A verdict's explanation; in English, a province's or school's own citation (their document,
    typed in Chinese) is marked as data, as names are."""

    def explained(item: Any) -> Markup:
        text = item.explain(lang)
        standard = getattr(item, "standard", None)
        if lang == "en" and standard is not None and standard.scope != "national":
            cite = standard.source.cite_en()
            if cite in text:
                before, after = text.split(cite, 1)
                return Markup('{}<span translate="no">{}</span>{}').format(before, cite, after)
        return Markup.escape(text)

    return explained


def _indicator_name_for(lang: str) -> Callable[[str], str]:
    def name(code: str) -> str:
        ind = INDICATOR_BY_CODE.get(code)
        if ind is None:
            return code
        return ind.name_en if lang == "en" else ind.name

    return name


LABELS = {
    "card_labels": CARD_LABELS, "verdict_labels": VERDICT_LABELS, "status_labels": STATUS_LABELS,
    "level_labels": SCHOOL_LEVEL_LABELS, "discipline_labels": DISCIPLINE_LABELS,
}  # fmt: skip


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """pages.render, with the quality pages' helpers in the page's language."""
    lang = lang_of(request)
    context.setdefault("where", _where_for(lang))
    context.setdefault("indicator_name", _indicator_name_for(lang))
    context.setdefault("explained", _explained_for(lang))
    return _render(request, template, status_code=status_code, **context)


def default_year(
    request: Request | None = None, principal: Principal | None = None, code: str | None = None
) -> int:
    """The latest year with data in the page's scope, else the latest academic year that has ended."""
    if request is not None and principal is not None:
        found = collection.latest_year(get_platform(request).uow(), principal, code)
        if found is not None:
            return found
    d = today()
    return d.year if d.month >= 9 else d.year - 1


def _own_code(request: Request, principal: Principal) -> str:
    schools = collection.schools_in_scope(get_platform(request).uow(), principal)
    if principal.role is not Role.institution_staff or not schools:
        raise NotFound("学校不存在或无权查看", code="quality_school_not_found")
    return schools[0].code


@router.get("/quality", response_class=HTMLResponse)
def quality_home(request: Request, principal: PagePrincipal) -> Response:
    match principal.role:
        case Role.institution_staff:
            return RedirectResponse("/quality/school", status_code=303)
        case Role.province_admin:
            return RedirectResponse("/quality/province", status_code=303)
        case Role.national_admin:
            return RedirectResponse("/quality/national", status_code=303)
    raise NotFound("页面不存在", code="not_found")


def _school_page(
    request: Request, principal: Principal, code: str, year: int, status_code: int = 200, **extra: object
) -> HTMLResponse:
    uow = get_platform(request).uow
    report = None
    try:
        report = verdicts.school_year(uow(), principal, code, year)
    except NotFound as e:
        if e.code != "quality_no_data":
            raise
    state = collection.submission_state(uow(), principal, code, f"{year - 1}-{year}")
    return render(
        request, "quality/school.html", status_code=status_code, principal=principal, report=report, state=state,
        code=code, year=year, declaration=DECLARATION, **LABELS, **extra,
    )  # fmt: skip


@router.get("/quality/school", response_class=HTMLResponse)
def school_page(
    request: Request, principal: PagePrincipal, org: str | None = None, year: int | None = None
) -> HTMLResponse:
    code = org or _own_code(request, principal)
    return _school_page(request, principal, code, year or default_year(request, principal, code))


@router.get("/quality/school/form.xlsx")
def school_form(
    request: Request, principal: PagePrincipal, org: str | None = None, year: int | None = None
) -> Response:
    code = org or _own_code(request, principal)
    y = year or default_year(request, principal, code)
    data = forms.school_form(get_platform(request).uow(), principal, code, y)
    return download(data, f"{y}-状态数据.xlsx")


@router.post("/quality/school/upload", response_class=HTMLResponse)
def upload(
    request: Request, principal: PagePrincipal, file: Annotated[UploadFile, File()],
    org: Annotated[str, Form()], year: Annotated[int, Form()],
) -> HTMLResponse:  # fmt: skip
    platform = get_platform(request)
    filename = file.filename or "上传文件"
    try:
        read = read_quality_file(
            filename, read_limited(filename, file.file, platform.settings.upload_max_bytes)
        )
    except SpreadsheetError as e:
        return _school_page(request, principal, org, year, 422, error=e.message)
    result = collection.import_values(
        platform.uow(), principal, read.values, filename=read.filename, file_sha256=read.sha256,
        file_kind=read.kind, file_problems=read.problems,
    )  # fmt: skip
    return _school_page(request, principal, org, year, 200 if result.ok else 422, result=result)


@router.post("/quality/school/submit", response_class=HTMLResponse)
def submit(
    request: Request, principal: PagePrincipal, org: Annotated[str, Form()], year: Annotated[int, Form()],
    declared_by: Annotated[str, Form()] = "", confirm: Annotated[str, Form()] = "",
) -> HTMLResponse:  # fmt: skip
    if not confirm:
        return _school_page(request, principal, org, year, 422, error="请勾选确认真实性声明")
    try:
        collection.act(get_platform(request).uow(), principal, org, f"{year - 1}-{year}", Action.submit,
                       declared_by=declared_by)  # fmt: skip
    except DomainError as e:
        return _school_page(request, principal, org, year, 422, error=e.message)
    return _school_page(request, principal, org, year, notice="已提交，等待省级审核")


CARD_FILTERS = ("pass", "yellow", "red", "none")
SORTS = ("card", "name", "code", "outliers")


def _province_rows(
    request: Request, principal: Principal, year: int, province: str | None, card: str | None, sort: str
) -> tuple[list[verdicts.SchoolCard], dict[str, int]]:
    """The province's schools for `year` with their cards, filtered by card and sorted — one list for
    the page and its Excel export, so the export is what the page shows."""
    found = verdicts.cards(get_platform(request).uow(), principal, year, province)
    counts = {k: sum(1 for c in found if (c.card.value if c.card else "none") == k) for k in CARD_FILTERS}
    if card in CARD_FILTERS:
        found = [c for c in found if (c.card.value if c.card else "none") == card]
    order = {"red": 0, "yellow": 1, "pass": 2, None: 3}
    if sort == "name":
        found.sort(key=lambda c: (c.school.name, c.school.code))
    elif sort == "code":
        found.sort(key=lambda c: c.school.code)
    elif sort == "outliers":
        found.sort(key=lambda c: (-len(c.outliers), c.school.code))
    else:
        found.sort(key=lambda c: (order[c.card.value if c.card else None], c.school.code))
    return found, counts


@router.get("/quality/province", response_class=HTMLResponse)
def province_page(
    request: Request, principal: PagePrincipal, year: int | None = None, province: str | None = None,
    card: str | None = None, sort: str = "card",
) -> HTMLResponse:  # fmt: skip
    y = year or default_year(request, principal)
    sort = sort if sort in SORTS else "card"
    found, counts = _province_rows(request, principal, y, province, card, sort)
    return render(request, "quality/province.html", principal=principal, schools=found, year=y, counts=counts,
                  card=card or "", sort=sort, province=province or principal.province_code or "", **LABELS)  # fmt: skip


@router.get("/quality/province/export.xlsx")
def province_export(
    request: Request, principal: PagePrincipal, year: int | None = None, province: str | None = None,
    card: str | None = None, sort: str = "card",
) -> Response:  # fmt: skip
    import io

    from openpyxl import Workbook

    from zhijiao.adapters.spreadsheets.writing import neutralise

    y = year or default_year(request, principal)
    found, _counts = _province_rows(request, principal, y, province, card, sort if sort in SORTS else "card")
    _ = translator(lang_of(request))
    en = lang_of(request) == "en"
    names = _indicator_name_for(lang_of(request))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{y}" if en else f"{y}年度"
    ws.append(
        [
            _(h)
            for h in (
                "机构代码",
                "学校",
                "层次",
                "办学类型",
                "结论",
                "达不到限制招生线的指标",
                "填报状态",
                "异常值",
            )
        ]
    )
    for c in found:
        ws.append([neutralise(x) for x in (
            c.school.code, c.school.name, _(SCHOOL_LEVEL_LABELS[c.school.level]), _(DISCIPLINE_LABELS[c.school.discipline]),
            _(CARD_LABELS[c.card]) if c.card else _("未填报"), (", " if en else "、").join(names(b) for b in c.below_codes),
            _(STATUS_LABELS[c.status]), ("; " if en else "；").join(c.outliers_en if en else c.outliers),
        )])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    suffix = f"-{card}" if card in CARD_FILTERS else ""
    return download(buf.getvalue(), f"{y}-quality{suffix}.xlsx" if en else f"{y}-质量监测{suffix}.xlsx")


@router.post("/quality/province/review", response_class=HTMLResponse)
def review(
    request: Request, principal: PagePrincipal, org: Annotated[str, Form()], year: Annotated[int, Form()],
    action: Annotated[str, Form()], comment: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    if action not in ("approve", "return", "reopen"):
        raise NotFound("页面不存在", code="not_found")
    collection.act(
        get_platform(request).uow(), principal, org, f"{year - 1}-{year}", Action(action), comment=comment
    )
    return RedirectResponse(f"/quality/school?org={org}&year={year}", status_code=303)


@router.get("/quality/trace", response_class=HTMLResponse)
def trace_page(
    request: Request, principal: PagePrincipal, org: str, year: int, indicator: str
) -> HTMLResponse:
    from zhijiao.domain.quality.indicators import NAMES, NAMES_EN

    t = verdicts.trace(get_platform(request).uow(), principal, org, year, indicator)
    names = NAMES_EN if lang_of(request) == "en" else NAMES
    return render(
        request, "quality/trace.html", principal=principal, trace=t, org=org, year=year, element_names=names
    )


@router.get("/quality/national", response_class=HTMLResponse)
def national_page(request: Request, principal: PagePrincipal, year: int | None = None) -> HTMLResponse:
    y = year or default_year(request, principal)
    uow = get_platform(request).uow
    rates = collection.completeness(uow(), principal, f"{y - 1}-{y}")
    found = verdicts.cards(uow(), principal, y) if principal.role is not Role.institution_staff else []
    counts: dict[str, dict[str, int]] = {}
    for c in found:
        counts.setdefault(c.school.province, {}).setdefault(c.card.value if c.card else "none", 0)
        counts[c.school.province][c.card.value if c.card else "none"] += 1
    return render(request, "quality/national.html", principal=principal, rates=rates, counts=counts, year=y)


def _standards_page(
    request: Request, principal: Principal, status_code: int = 200, **extra: object
) -> HTMLResponse:
    from zhijiao.domain.quality.indicators import INDICATORS
    from zhijiao.services.quality.standards import standards_in_force

    with get_platform(request).uow().read() as uow:
        found = standards_in_force(uow)
    own = None
    if principal.role is Role.institution_staff:
        schools = collection.schools_in_scope(get_platform(request).uow(), principal)
        own = schools[0] if schools else None
    local = [
        s for s in found
        if s.scope != "national" and (
            principal.role is Role.national_admin
            or (principal.role is Role.province_admin and s.scope == f"province:{principal.province_code}")
            or (own is not None and s.scope == f"school:{own.id}")
        )
    ]  # fmt: skip
    return render(
        request, "quality/standards.html", status_code=status_code, principal=principal,
        national=[s for s in found if s.scope == "national"], local=local, indicators=INDICATORS,
        today=today().isoformat(), **LABELS, **extra,
    )  # fmt: skip


@router.get("/quality/standards", response_class=HTMLResponse)
def standards_page(request: Request, principal: PagePrincipal) -> HTMLResponse:
    """The standards in force (national, with where each figure was checked) and the caller's own
    lines: a province's (province administrators) or a school's higher targets (its staff)."""
    return _standards_page(request, principal)


@router.post("/quality/standards", response_class=HTMLResponse)
def set_standard(
    request: Request, principal: PagePrincipal, indicator: Annotated[str, Form()],
    level: Annotated[str, Form()], pass_line: Annotated[str, Form()], document: Annotated[str, Form()],
    sentence: Annotated[str, Form()], effective_from: Annotated[str, Form()], number: Annotated[str, Form()] = "",
    org: Annotated[str, Form()] = "", discipline_type: Annotated[str, Form()] = "",
) -> HTMLResponse:  # fmt: skip
    from datetime import date

    from zhijiao.domain.quality.elements import DisciplineType, SchoolLevel
    from zhijiao.services.quality.standards import set_target

    try:
        lv = SchoolLevel(level)
        d = DisciplineType(discipline_type) if discipline_type else None
        start = date.fromisoformat(effective_from)
    except ValueError:
        return _standards_page(request, principal, 422, error="学校层次、办学类型或生效日期不正确")
    try:
        set_target(
            get_platform(request).uow(), principal, indicator=indicator, level=lv, pass_line=pass_line,
            document=document, number=number, sentence=sentence, effective_from=start, school=org or None,
            discipline=d,
        )  # fmt: skip
    except DomainError as e:
        return _standards_page(request, principal, 422, error=e.message)
    return _standards_page(request, principal, notice="标准已设定")
