"""The import page: upload a spreadsheet of learning outcomes, see every problem or the counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from zhijiao.adapters.spreadsheets.reading import SpreadsheetError, read_limited, read_outcome_file
from zhijiao.adapters.spreadsheets.writing import outcome_template
from zhijiao.api.deps import get_platform
from zhijiao.api.routes.imports import download
from zhijiao.domain.access import Principal, Role
from zhijiao.services.creditbank.outcome_files import import_file
from zhijiao.web.pages import PagePrincipal, render

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
        result = import_file(platform.uow(), principal, read_outcome_file(filename, data))
    except SpreadsheetError as e:
        return render(request, "import.html", status_code=422, principal=principal, error=e.message)
    return render(
        request, "import.html", status_code=200 if result.ok else 422, principal=principal, result=result
    )


@router.get("/institution/import/template.xlsx")
def import_template(request: Request, principal: PagePrincipal) -> Response:
    return _allowed(request, principal) or download(outcome_template(), "学习成果导入模板.xlsx")
