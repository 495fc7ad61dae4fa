"""The transcript as a PDF: the same scope as GET /api/v1/accounts/{no}/transcript, with the signed
transcript credential (QR code and attachments) when the caller sees the whole account."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zhijiao.api.deps import CurrentPrincipal, UoW
from zhijiao.api.routes.credentials import Site
from zhijiao.services.creditbank.transcript_pdf import TranscriptPdf, transcript_pdf

router = APIRouter(prefix="/api/v1/accounts", tags=["学习账号 accounts"])
PDF = "application/pdf"
CREDENTIAL_HEADER = "X-Credential-Id"


def pdf_response(made: TranscriptPdf, lang: str) -> Response:
    """A PDF download named 学习成果记录-<account no>.pdf (Transcript-… in English); the embedded
    credential's id, if any, in the X-Credential-Id header."""
    account_no = made.transcript.account.account_no
    stem = "Transcript" if lang == "en" else "学习成果记录"
    filename = f"{stem}-{account_no}.pdf"
    disposition = f"attachment; filename=\"transcript-{account_no}.pdf\"; filename*=UTF-8''{quote(filename)}"
    headers = {"Content-Disposition": disposition}
    if made.credential is not None:
        headers[CREDENTIAL_HEADER] = made.credential.id
    return Response(made.pdf, media_type=PDF, headers=headers)


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
    site: Site,
    lang: str = Query(default="zh", pattern="^(zh|en)$", description="zh 或 en"),
) -> Response:
    """学习成果记录 PDF（A4，内嵌字体）。可查看完整账号者获得的 PDF 附带核验二维码与签名的成绩单凭证
    （已签发且仍有效的同一组学习成果的凭证会被复用）。"""
    return pdf_response(transcript_pdf(uow, principal, site, account_no, lang), lang)
