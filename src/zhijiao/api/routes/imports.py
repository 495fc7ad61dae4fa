"""Spreadsheets through the API: import outcomes (all rows or none), the template, exports."""

from __future__ import annotations

from functools import partial
from tempfile import SpooledTemporaryFile
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from zhijiao.adapters.spreadsheets.reading import (
    FileTooLarge,
    SpreadsheetError,
    UnsupportedFileType,
    read_limited,
    read_outcome_file,
)
from zhijiao.adapters.spreadsheets.writing import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    outcome_template,
    write_table,
)
from zhijiao.api.deps import CurrentPrincipal, UoW, get_platform
from zhijiao.api.problems import problem
from zhijiao.api.schemas import ImportProblemRead, ImportResultRead
from zhijiao.bootstrap import Platform
from zhijiao.services.clock import today
from zhijiao.services.creditbank.exports import export_outcomes
from zhijiao.services.creditbank.imports import ImportResult
from zhijiao.services.creditbank.outcome_files import import_file

router = APIRouter(prefix="/api/v1", tags=["导入导出 imports"])

SPOOL_BYTES = 16 * 1024 * 1024  # an export larger than this goes to a temporary file on disk
CHUNK_BYTES = 256 * 1024
_FILE_STATUS = ((FileTooLarge, 413), (UnsupportedFileType, 415), (SpreadsheetError, 422))
_PROBLEM_DOC = {"content": {"application/problem+json": {}}}


def result_read(result: ImportResult) -> ImportResultRead:
    return ImportResultRead(
        filename=result.filename, ok=result.ok, rows_total=result.rows_total,
        outcomes_created=result.outcomes_created, accounts_created=result.accounts_created,
        rows_skipped=result.rows_skipped, notes=result.notes(),
        problems=[ImportProblemRead(row=p.row, column=p.column, message=p.message) for p in result.problems],
    )  # fmt: skip


@router.post(
    "/imports/outcomes",
    response_model=ImportResultRead,
    operation_id="import_outcomes",
    responses={413: _PROBLEM_DOC, 415: _PROBLEM_DOC, 422: _PROBLEM_DOC},
)
def import_outcomes(
    file: Annotated[UploadFile, File(description="学习成果文件：.xlsx，或 UTF-8 / GBK 编码的 .csv")],
    principal: CurrentPrincipal,
    platform: Annotated[Platform, Depends(get_platform)],
    uow: UoW,
) -> ImportResultRead | JSONResponse:
    """批量导入学习成果：整个文件全部导入或一行也不导入。有问题时返回 422，列出每个问题的行、列和原因。"""
    filename = file.filename or "上传文件"
    try:
        data = read_limited(filename, file.file, platform.settings.upload_max_bytes)
        sheet = read_outcome_file(filename, data)
    except SpreadsheetError as e:
        status = next(s for cls, s in _FILE_STATUS if isinstance(e, cls))
        return problem(status, e.message, e.code, filename=e.filename)
    result = import_file(uow, principal, sheet)
    if not result.ok:
        body = result_read(result)
        return problem(
            422, "导入文件有误，未导入任何数据", "import_rejected",
            detail=f"共 {len(result.problems)} 处问题", **body.model_dump(mode="json"),
        )  # fmt: skip
    return result_read(result)


@router.get(
    "/templates/outcomes.xlsx",
    response_class=Response,
    operation_id="outcome_import_template",
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}}},
)
def template(principal: CurrentPrincipal) -> Response:
    """学习成果导入模板（Excel）：表头、下拉选项和填写说明。"""
    return download(outcome_template(), "学习成果导入模板.xlsx")


@router.get(
    "/exports/outcomes",
    response_class=Response,
    operation_id="export_outcomes",
    responses={200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}}},
)
def export(
    principal: CurrentPrincipal,
    uow: UoW,
    format: Literal["csv", "xlsx"] = "csv",
    institution_id: Annotated[int | None, Query(description="只导出该机构颁发或其学习者的成果")] = None,
) -> Response:
    """导出调用者可见的学习成果（证件号码脱敏；防范电子表格公式注入）。"""
    # written to a spooled file while the rows stream from the database, then sent in chunks
    spool = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed after the response is sent)
    try:
        export_outcomes(uow, principal, partial(write_table, spool, format), institution_id=institution_id)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    filename = f"学习成果-{today():%Y%m%d}.{format}"
    return StreamingResponse(
        iter(partial(spool.read, CHUNK_BYTES), b""),
        media_type=_media_type(filename),
        headers=_disposition(filename),
        background=BackgroundTask(spool.close),
    )


def download(data: bytes, filename: str) -> Response:
    return Response(data, media_type=_media_type(filename), headers=_disposition(filename))


def _media_type(filename: str) -> str:
    return XLSX_MEDIA_TYPE if filename.endswith(".xlsx") else CSV_MEDIA_TYPE


def _disposition(filename: str) -> dict[str, str]:
    ascii_name = "outcomes" + filename[filename.rindex(".") :]
    return {
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    }
