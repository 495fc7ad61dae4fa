"""The import page: upload a spreadsheet of learning outcomes, see every problem or the counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from zhijiao.adapters.spreadsheets.reading import SpreadsheetError, read_limited, read_outcome_file
from zhijiao.adapters.spreadsheets.writing import outcome_template
from zhijiao.api.deps import get_platform
from zhijiao.api.routes.imports import download
from zhijiao.domain.access import Principal, Role
from zhijiao.services.creditbank import import_history
from zhijiao.services.creditbank.outcome_files import import_file
from zhijiao.timefmt import LABEL as BEIJING_LABEL
from zhijiao.timefmt import beijing_time
from zhijiao.web.pages import PagePrincipal, export_response, render

router = APIRouter(include_in_schema=False)

IMPORT_ROLES = (Role.institution_staff, Role.certifier, Role.province_admin, Role.national_admin)


def _allowed(request: Request, principal: Principal) -> HTMLResponse | None:
    if principal.role in IMPORT_ROLES:
        return None
    return render(request, "import.html", status_code=403, principal=principal, denied=True)


@router.get("/institution/import", response_class=HTMLResponse)
def import_form(request: Request, principal: PagePrincipal) -> HTMLResponse:
    return _allowed(request, principal) or render(request, "import.html", principal=principal)


@router.post("/institution/import", response_class=HTMLResponse)
def import_upload(
    request: Request, principal: PagePrincipal, file: Annotated[UploadFile, File()]
) -> HTMLResponse:
    denied = _allowed(request, principal)
    if denied is not None:
        return denied
    platform = get_platform(request)
    filename = file.filename or "上传文件"
    try:
        data = read_limited(filename, file.file, platform.settings.upload_max_bytes)
        sheet = read_outcome_file(filename, data)
        result = import_file(platform.uow(), principal, sheet)
        if not result.ok:  # nothing was imported; the attempt goes into the import history
            import_history.record_refused(platform.uow(), principal, result, sheet.sha256)
    except SpreadsheetError as e:
        return render(request, "import.html", status_code=422, principal=principal, error=e.message)
    return render(
        request, "import.html", status_code=200 if result.ok else 422, principal=principal, result=result
    )


@router.get("/institution/import/template.xlsx")
def import_template(request: Request, principal: PagePrincipal) -> Response:
    return _allowed(request, principal) or download(outcome_template(), "学习成果导入模板.xlsx")


HISTORY_PAGE = 20
HISTORY_HEADERS = (
    "编号", f"导入时间（{BEIJING_LABEL}）", "文件名", "导入人", "结果", "总行数", "新增成果", "新开账号", "已存在跳过",
    "问题数",
)  # fmt: skip
STATUS_LABELS = {"imported": "成功", "refused": "未导入"}


def _history_row(r: import_history.ImportRun) -> tuple[object, ...]:
    return (
        r.id, beijing_time(r.at), r.filename, r.actor.partition(":")[2] or r.actor, STATUS_LABELS[r.status],
        r.rows_total, r.outcomes_created, r.accounts_created, r.rows_skipped, r.problems_count,
    )  # fmt: skip


@router.get("/imports", response_class=HTMLResponse)
def history_page(
    request: Request,
    principal: PagePrincipal,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    format: Annotated[str, Query(pattern="^(|csv|xlsx)$")] = "",
) -> Response:
    uow = get_platform(request).uow
    if format:
        found = import_history.history(uow(), principal, offset=0, limit=500)
        return export_response(format, "导入记录", HISTORY_HEADERS, (_history_row(r) for r in found.items))
    found = import_history.history(uow(), principal, offset=(page - 1) * HISTORY_PAGE, limit=HISTORY_PAGE)
    return render(request, "imports/history.html", principal=principal, runs=found, page=page,
                  pages=max(1, -(-found.total // HISTORY_PAGE)), status_labels=STATUS_LABELS)  # fmt: skip


@router.get("/imports/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, principal: PagePrincipal, run_id: int) -> HTMLResponse:
    found = import_history.run(get_platform(request).uow(), principal, run_id)
    return render(request, "imports/run.html", principal=principal, r=found, status_labels=STATUS_LABELS)
