"""The transcript as a PDF download for signed-in users of the web pages (cookie session)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from zhijiao.adapters.db.uow import SqlUnitOfWork
from zhijiao.adapters.reports.transcript import render_transcript_pdf
from zhijiao.api.deps import get_uow
from zhijiao.api.routes.transcript_pdf import pdf_response
from zhijiao.services import transcripts
from zhijiao.web.pages import PagePrincipal, lang_of

router = APIRouter(include_in_schema=False)


@router.get("/me/transcript.pdf")
def my_transcript_pdf(
    request: Request, principal: PagePrincipal, uow: SqlUnitOfWork = Depends(get_uow)
) -> Response:
    t = transcripts.own_transcript(uow, principal)
    lang = lang_of(request)
    return pdf_response(render_transcript_pdf(t, lang), t.account.account_no, lang)


@router.get("/accounts/{account_no}/transcript.pdf")
def transcript_pdf(
    account_no: str, request: Request, principal: PagePrincipal, uow: SqlUnitOfWork = Depends(get_uow)
) -> Response:
    lang = lang_of(request)
    pdf = render_transcript_pdf(transcripts.transcript(uow, principal, account_no), lang)
    return pdf_response(pdf, account_no, lang)
