"""Admissions API (分类考试招生): the published policy schema and template, running and publishing a
province's admission (examination office), the runs, lines and results in the caller's scope, Excel
export, and the candidate's own look-up (考生号 + 姓名, in the request body, never in the URL)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from zhijiao.adapters.admissions.files import InputFile
from zhijiao.adapters.admissions.outputs import LINE_HEADER
from zhijiao.adapters.admissions.policy_io import policy_schema, policy_template
from zhijiao.adapters.spreadsheets.fast_xlsx import write_xlsx
from zhijiao.adapters.spreadsheets.writing import XLSX_MEDIA_TYPE
from zhijiao.api.deps import CurrentPrincipal, UoW
from zhijiao.api.timestamps import Timestamp
from zhijiao.domain.errors import ValidationFailed
from zhijiao.services.admissions import published
from zhijiao.services.admissions.runs import RunFiles, run_admissions, write_run

router = APIRouter(prefix="/api/v1/admissions", tags=["分类考试招生 admissions"])
MAX_UPLOAD = 200 * 1024 * 1024


class LineRead(BaseModel):
    round: int = Field(description="1：平行志愿；2：征集志愿")
    plan: str = Field(description="general 普通计划 / separate 单列计划")
    group_code: str
    school_code: str
    school_name: str
    quota: int
    dispatched: int
    admitted: int
    min_score: str | None
    min_rank: int | None


class RunSummaryRead(BaseModel):
    id: int
    province_code: str
    name: str
    year: int
    created_at: Timestamp
    counts: dict[str, int]
    locked: bool = Field(False, description="考试院已确认并锁定：学校不能再退档或调整专业")


class RunRead(RunSummaryRead):
    school_code: str | None = Field(description="学校用户：只含本校的投档线与考生")
    record: dict[str, Any] | None = Field(description="运行记录（输入输出 SHA-256）；学校用户为空")
    lines: list[LineRead]


class ResultRead(BaseModel):
    candidate_no: str
    name: str
    result: str
    school_code: str | None
    group_code: str | None
    major_code: str | None
    reason: str
    total: str | None
    rank: int | None


class ResultPageRead(BaseModel):
    items: list[ResultRead]
    total: int
    offset: int
    limit: int


class LookupRequest(BaseModel):
    candidate_no: str = Field(max_length=20, description="考生号")
    name: str = Field(max_length=100, description="姓名")
    query_code: str = Field("", max_length=20, description="查询码（考试院发放查询码时必填）")


class LookupRead(BaseModel):
    run_name: str
    candidate_no: str
    result: str
    school_code: str | None
    group_code: str | None
    major_code: str | None
    reason: str


def _summary(run: dict[str, Any]) -> dict[str, Any]:
    return {**run, "counts": run["record"].get("counts", {}), "locked": bool(run["record"].get("locked"))}


async def _input(file: UploadFile | None) -> InputFile | None:
    if file is None:
        return None
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ValidationFailed(f"文件“{file.filename}”超过 200 MB", field="file")
    return InputFile(Path(file.filename or "upload.csv").name, data)


@router.get("/policy-schema", operation_id="admissions_policy_schema")
def get_policy_schema() -> JSONResponse:
    """录取政策的 JSON Schema（公开）。"""
    return JSONResponse(policy_schema(), media_type="application/schema+json")


@router.get("/policy-template", operation_id="admissions_policy_template")
def get_policy_template() -> Response:
    """带说明的录取政策示例（YAML，公开）。"""
    return Response(policy_template(), media_type="application/yaml; charset=utf-8")


@router.post("/runs", status_code=201, response_model=RunRead, operation_id="admissions_run")
async def create_run(
    uow: UoW,
    principal: CurrentPrincipal,
    policy: Annotated[UploadFile, File(description="录取政策 .yaml / .json")],
    programmes: Annotated[UploadFile, File(description="专业组文件 .csv / .xlsx")],
    candidates: Annotated[UploadFile, File(description="考生文件 .csv / .xlsx")],
    majors: Annotated[UploadFile | None, File(description="专业文件（选填）")] = None,
    supplementary: Annotated[UploadFile | None, File(description="征集志愿文件（选填）")] = None,
    dispatch_ratio: Annotated[float | None, Form(description="覆盖投档比例（≤ 1.05）")] = None,
) -> dict[str, Any]:
    """省级考试机构：上传政策与文件，执行平行志愿投档、录取和征集志愿，并发布结果。"""
    from starlette.concurrency import run_in_threadpool

    required = [await _input(f) for f in (policy, programmes, candidates)]
    p, g, c = (f for f in required if f is not None)
    files = RunFiles(p, g, c, await _input(majors), await _input(supplementary))
    overrides = {"dispatch_ratio": dispatch_ratio} if dispatch_ratio is not None else {}

    def work() -> int:
        done = run_admissions(files, overrides=overrides, credit_bank=lambda: uow, principal=principal)
        published.require_office(principal, done.policy.province_code)
        with tempfile.TemporaryDirectory() as tmp:
            write_run(done, files, Path(tmp), overrides=overrides)
        return published.publish_run(uow, principal, done)

    run_id = await run_in_threadpool(work)
    return _run_read(published.run_view(uow, principal, run_id))


def _run_read(view: published.RunView) -> dict[str, Any]:
    return {**_summary(view.run), "school_code": view.school_code, "lines": view.lines,
            "record": None if view.school_code else view.run["record"]}  # fmt: skip


@router.get("/runs", response_model=list[RunSummaryRead], operation_id="admissions_runs")
def list_runs(uow: UoW, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    """本人范围内的录取批次（省级考试机构：本省；学校：本校所在省）。"""
    return [_summary(r) for r in published.visible_runs(uow, principal)]


@router.get("/runs/{run_id}", response_model=RunRead, operation_id="admissions_run_read")
def get_run(run_id: int, uow: UoW, principal: CurrentPrincipal) -> dict[str, Any]:
    """录取批次与投档线（学校只看到本校专业组）。"""
    return _run_read(published.run_view(uow, principal, run_id))


@router.get("/runs/{run_id}/results", response_model=ResultPageRead, operation_id="admissions_results")
def get_results(
    run_id: int, uow: UoW, principal: CurrentPrincipal,
    result: Annotated[str | None, Query(description="录取 / 退档 / 未投档")] = None,
    offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> published.ResultPage:  # fmt: skip
    """考生录取结果（学校：投档到本校的考生）。"""
    return published.run_results(uow, principal, run_id, result=result, offset=offset, limit=limit)


@router.get("/runs/{run_id}/export.xlsx", operation_id="admissions_export")
def export_run(run_id: int, uow: UoW, principal: CurrentPrincipal) -> Response:
    """导出 Excel：录取结果与投档线（本人范围内）。"""
    view = published.run_view(uow, principal, run_id)
    rows = [(r["candidate_no"], r["name"], r["result"], r["group_code"] or "", r["major_code"] or "",
             r["total"] or "", str(r["rank"] or ""), r["reason"])
            for r in published.export_results(uow, principal, run_id)]  # fmt: skip
    lines = [(ln["group_code"], str(ln["quota"]), str(ln["dispatched"]), ln["min_score"] or "",
              str(ln["min_rank"] or "")) for ln in view.lines if ln["round"] == 1 and ln["plan"] == "general"]  # fmt: skip
    data = write_xlsx(
        [("录取结果", ("考生号", "姓名", "结果", "专业组代码", "专业代码", "总分", "位次", "原因"), rows),
         ("投档线", LINE_HEADER, lines)],
        numeric_columns={"投档线": (1, 2)},
    )  # fmt: skip
    return Response(data, media_type=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": f"attachment; filename=\"admissions-{run_id}.xlsx\""})  # fmt: skip


class RejectionRequest(BaseModel):
    candidate_no: str = Field(max_length=20, description="考生号（投档到本校并已录取）")
    reason: str = Field(max_length=200, description="退档理由")


@router.post("/runs/{run_id}/rejections", response_model=ResultRead, operation_id="admissions_reject")
def reject_candidate(
    run_id: int, body: RejectionRequest, uow: UoW, principal: CurrentPrincipal
) -> dict[str, Any]:
    """学校：对投档到本校并已录取的考生退档，并说明理由（其他人一律 404）。"""
    return published.school_reject(uow, principal, run_id, body.candidate_no, body.reason)


class MoveRequest(BaseModel):
    candidate_no: str = Field(max_length=20, description="考生号（投档到本校并已录取）")
    major_code: str = Field(max_length=20, description="调入的专业代码（同一专业组内，须有空余计划）")
    group_code: str | None = Field(None, max_length=20, description="专业组代码（选填；须为考生所在专业组）")
    reason: str = Field(max_length=200, description="调整专业的理由")


class MajorRead(BaseModel):
    group_code: str
    major_code: str
    major_name: str
    quota: int = Field(description="计划数")
    admitted: int = Field(description="已录取")


@router.post("/runs/{run_id}/moves", response_model=ResultRead, operation_id="admissions_move")
def move_candidate(run_id: int, body: MoveRequest, uow: UoW, principal: CurrentPrincipal) -> dict[str, Any]:
    """学校：把投档到本校并已录取的考生调整到同一专业组内有空余计划的另一专业，并说明理由（其他人一律 404；
    专业已满、不在该专业组或批次已锁定时拒绝）。"""
    return published.school_move(
        uow, principal, run_id, body.candidate_no, body.major_code, body.reason, group_code=body.group_code
    )


@router.get("/runs/{run_id}/majors", response_model=list[MajorRead], operation_id="admissions_majors")
def get_majors(run_id: int, uow: UoW, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    """各专业的计划数与已录取人数（学校：本校专业组）。"""
    return published.run_majors(uow, principal, run_id)


@router.post("/runs/{run_id}/lock", response_model=RunSummaryRead, operation_id="admissions_lock")
def lock_run(run_id: int, uow: UoW, principal: CurrentPrincipal) -> dict[str, Any]:
    """考试院：确认并锁定录取结果，之后学校不能再退档或调整专业。"""
    return _summary(published.lock_run(uow, principal, run_id))


@router.post("/lookup", response_model=LookupRead, operation_id="admissions_lookup")
def lookup(body: LookupRequest, uow: UoW) -> dict[str, Any]:
    """考生查询本人录取结果（考生号 + 姓名；无需登录）。考生号或姓名不符时统一答复“未查到”。"""
    return published.lookup_result(uow, body.candidate_no, body.name, body.query_code)
