"""The transcript as a PDF: the same service and scope as GET /api/v1/accounts/{no}/transcript."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zhijiao.adapters.reports.transcript import render_transcript_pdf
from zhijiao.api.deps import CurrentPrincipal, UoW
from zhijiao.services import transcripts

router = APIRouter(prefix="/api/v1/accounts", tags=["学习账号 accounts"])
PDF = "application/pdf"


def pdf_response(pdf: bytes, account_no: str, lang: str) -> Response:
    """A PDF download named 学习成果记录-<account no>.pdf (Transcript-… in English)."""
    stem = "Transcript" if lang == "en" else "学习成果记录"
    filename = f"{stem}-{account_no}.pdf"
    disposition = f"attachment; filename=\"transcript-{account_no}.pdf\"; filename*=UTF-8''{quote(filename)}"
    return Response(pdf, media_type=PDF, headers={"Content-Disposition": disposition})


@router.get(
    "/{account_no}/transcript.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}, "description": "学习成果记录（PDF）"}},
    operation_id="get_transcript_pdf",
)
def get_transcript_pdf(
    account_no: str,
    principal: CurrentPrincipal,
    uow: UoW,
    lang: str = Query(default="zh", pattern="^(zh|en)$", description="zh 或 en"),
) -> Response:
    """学习成果记录 PDF（A4，内嵌字体）。"""
    pdf = render_transcript_pdf(transcripts.transcript(uow, principal, account_no), lang)
    return pdf_response(pdf, account_no, lang)
