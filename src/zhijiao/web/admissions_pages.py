"""分类考试招生 pages: the provincial examination office (upload policy and files, try a run, run and
publish, cut-off lines and unfilled places, Excel export), a school (its dispatched candidates, their
placement into majors, 退档 with a reason) and a candidate (their own result by 考生号 + 姓名, sent in a
POST body, never in the URL; usable on a phone).

The same services as the API and the CLI; scope is decided there (out of scope: the same 404 page as a
run that does not exist).
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zhijiao.adapters.admissions.english import translate
from zhijiao.adapters.admissions.files import InputFile
from zhijiao.adapters.admissions.outputs import score_text
from zhijiao.api.deps import get_platform
from zhijiao.api.routes.admissions import MAX_UPLOAD, export_run
from zhijiao.domain.access import Principal, Role
from zhijiao.domain.errors import DomainError, NotFound
from zhijiao.services.admissions import published
from zhijiao.services.admissions.runs import RunFiles, run_admissions, write_run
from zhijiao.web.pages import PagePrincipal, lang_of, optional_principal
from zhijiao.web.pages import render as _render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
RESULT_LABELS = {"录取": "录取", "退档": "退档", "未投档": "未投档"}


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The shared renderer, with `tr` for the composed admissions messages (reasons, file problems)."""
    return _render(request, template, status_code, tr=translate(lang_of(request)), **context)


@router.get("/admissions", response_class=HTMLResponse)
def admissions_home(request: Request) -> Response:
    principal = optional_principal(request)
    if principal is not None and principal.role in (*published.OFFICE_ROLES, Role.institution_staff):
        return RedirectResponse("/admissions/runs", status_code=303)
    return RedirectResponse("/admissions/lookup", status_code=303)


def _runs_page(request: Request, principal: Principal, status_code: int = 200, **extra: Any) -> HTMLResponse:
    runs = published.visible_runs(get_platform(request).uow(), principal)
    office = principal.role in published.OFFICE_ROLES
    return render(request, "admissions/runs.html", status_code=status_code, principal=principal, runs=runs,
                  office=office, **extra)  # fmt: skip


@router.get("/admissions/runs", response_class=HTMLResponse)
def runs_page(request: Request, principal: PagePrincipal) -> HTMLResponse:
    if principal.role not in (*published.OFFICE_ROLES, Role.institution_staff):
        raise NotFound("页面不存在", code="not_found")
    return _runs_page(request, principal)


async def _read(file: UploadFile | None) -> InputFile | None:
    if file is None or not file.filename:
        return None
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise DomainError(f"文件“{file.filename}”超过 200 MB", code="upload_too_large")
    return InputFile(Path(file.filename).name, data)


@router.post("/admissions/runs", response_class=HTMLResponse)
async def run_form(
    request: Request,
    principal: PagePrincipal,
    policy: Annotated[UploadFile, File()],
    programmes: Annotated[UploadFile, File()],
    candidates: Annotated[UploadFile, File()],
    majors: Annotated[UploadFile | None, File()] = None,
    supplementary: Annotated[UploadFile | None, File()] = None,
    dispatch_ratio: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "preview",
) -> Response:
    """试运行 (what-if: lines and unfilled places, nothing stored) or 执行并发布 (stored and visible to
    schools and candidates)."""
    from starlette.concurrency import run_in_threadpool

    if principal.role not in published.OFFICE_ROLES:
        raise NotFound("页面不存在", code="not_found")
    uow = get_platform(request).uow
    try:
        p, g, c = await _read(policy), await _read(programmes), await _read(candidates)
        if p is None or g is None or c is None:
            raise DomainError("请选择录取政策、专业组文件和考生文件", code="admission_files_required")
        files = RunFiles(p, g, c, await _read(majors), await _read(supplementary))
        overrides: dict[str, Any] = {}
        if dispatch_ratio.strip():
            try:
                overrides["dispatch_ratio"] = float(dispatch_ratio)
            except ValueError:
                raise DomainError(
                    f"投档比例应为数字，实际为“{dispatch_ratio}”", code="admission_ratio"
                ) from None

        def work() -> tuple[Any, int | None]:
            done = run_admissions(files, overrides=overrides, credit_bank=uow, principal=principal)
            published.require_office(principal, done.policy.province_code)
            with tempfile.TemporaryDirectory() as tmp:
                write_run(done, files, Path(tmp), overrides=overrides, workbook=False)
            return done, published.publish_run(uow(), principal, done) if action == "publish" else None

        done, run_id = await run_in_threadpool(work)
    except DomainError as e:
        return _runs_page(request, principal, 422, error=e.message)
    if run_id is not None:
        return RedirectResponse(f"/admissions/runs/{run_id}", status_code=303)
    progs = done.inputs.programmes
    admitted = done.result.admitted_per_group
    lines = [
        {"group_code": progs[ln.group].code, "school_name": progs[ln.group].school_name, "quota": ln.quota,
         "dispatched": ln.dispatched, "admitted": admitted[ln.group], "min_score": score_text(ln.min_total),
         "min_rank": ln.min_rank}
        for ln in done.result.lines
    ]  # fmt: skip
    return _runs_page(request, principal, preview=done, preview_lines=lines, unfilled=_unfilled(lines))


def _unfilled(lines: list[dict[str, Any]]) -> int:
    return sum(max(int(ln["quota"]) - int(ln["admitted"]), 0) for ln in lines)


def _run_page(
    request: Request, principal: Principal, run_id: int, *, result: str | None = None, page: int = 1,
    status_code: int = 200, **extra: Any,
) -> HTMLResponse:  # fmt: skip
    uow = get_platform(request).uow
    view = published.run_view(uow(), principal, run_id)
    results = published.run_results(uow(), principal, run_id, result=result or None,
                                    offset=(max(page, 1) - 1) * PAGE_SIZE, limit=PAGE_SIZE)  # fmt: skip
    first = [ln for ln in view.lines if ln["round"] == 1 and ln["plan"] == "general"]
    majors: dict[str, list[dict[str, Any]]] = {}
    for m in published.run_majors(uow(), principal, run_id):
        majors.setdefault(m["group_code"], []).append(m)
    record = view.run["record"]
    groups = {ln["group_code"] for ln in view.lines}
    changes = [
        {**ch, "at": datetime.fromisoformat(ch["at"])}
        for ch in record.get("school_changes", []) if not view.school_code or ch["group_code"] in groups
    ]  # fmt: skip
    locked = record.get("locked")
    locked = {**locked, "at": datetime.fromisoformat(locked["at"])} if locked else None
    return render(
        request, "admissions/run.html", status_code=status_code, principal=principal, view=view,
        results=results, result=result or "", page=max(page, 1), pages=max(1, -(-results.total // PAGE_SIZE)),
        unfilled=_unfilled(first), result_labels=RESULT_LABELS, majors=majors, locked=locked,
        changes=changes, **extra,
    )  # fmt: skip


@router.get("/admissions/runs/{run_id}", response_class=HTMLResponse)
def run_page(
    request: Request, principal: PagePrincipal, run_id: int, result: str = "", page: int = 1
) -> HTMLResponse:
    return _run_page(request, principal, run_id, result=result or None, page=page)


@router.get("/admissions/runs/{run_id}/export.xlsx")
def run_export(request: Request, principal: PagePrincipal, run_id: int) -> Response:
    return export_run(run_id, get_platform(request).uow(), principal)


@router.post("/admissions/runs/{run_id}/reject", response_class=HTMLResponse)
def reject(
    request: Request, principal: PagePrincipal, run_id: int,
    candidate_no: Annotated[str, Form()], reason: Annotated[str, Form()] = "",
) -> HTMLResponse:  # fmt: skip
    try:
        row = published.school_reject(get_platform(request).uow(), principal, run_id, candidate_no, reason)
    except NotFound:
        raise
    except DomainError as e:
        return _run_page(request, principal, run_id, status_code=422, error=e.message)
    return _run_page(request, principal, run_id, notice="已退档", notice_no=row["candidate_no"])


@router.post("/admissions/runs/{run_id}/move", response_class=HTMLResponse)
def move(
    request: Request, principal: PagePrincipal, run_id: int, candidate_no: Annotated[str, Form()],
    major_code: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
) -> HTMLResponse:  # fmt: skip
    """A school moves an admitted candidate to another major of the group (the form on the list)."""
    try:
        row = published.school_move(
            get_platform(request).uow(), principal, run_id, candidate_no, major_code, reason
        )
    except NotFound:
        raise
    except DomainError as e:
        return _run_page(request, principal, run_id, status_code=422, error=e.message)
    return _run_page(request, principal, run_id, notice="调整专业", notice_no=f"{row['candidate_no']} → {row['major_code']}")


@router.post("/admissions/runs/{run_id}/lock", response_class=HTMLResponse)
def lock(request: Request, principal: PagePrincipal, run_id: int) -> HTMLResponse:
    """The examination office confirms and locks the run's results."""
    try:
        published.lock_run(get_platform(request).uow(), principal, run_id)
    except NotFound:
        raise
    except DomainError as e:
        return _run_page(request, principal, run_id, status_code=422, error=e.message)
    return _run_page(request, principal, run_id, notice="录取结果已确认锁定", notice_no=str(run_id))


@router.get("/admissions/lookup", response_class=HTMLResponse)
def lookup_form(request: Request) -> HTMLResponse:
    return render(request, "admissions/lookup.html")


@router.post("/admissions/lookup", response_class=HTMLResponse)
def lookup(
    request: Request, candidate_no: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
    query_code: Annotated[str, Form()] = "",
) -> HTMLResponse:
    try:
        found = published.lookup_result(get_platform(request).uow(), candidate_no, name, query_code)
    except NotFound as e:
        return render(
            request, "admissions/lookup.html", status_code=404, error=e.message, candidate_no=candidate_no
        )
    return render(request, "admissions/lookup.html", found=found, candidate_no=candidate_no)
