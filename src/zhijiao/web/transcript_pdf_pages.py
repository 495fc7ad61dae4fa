"""The transcript as a PDF download for signed-in users of the web pages (cookie session)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from zhijiao.adapters.db.uow import SqlUnitOfWork
from zhijiao.api.deps import get_platform, get_uow
from zhijiao.api.routes.transcript_pdf import pdf_response
from zhijiao.services.credentials.issuers import IssuingSite
from zhijiao.services.creditbank.transcript_pdf import transcript_pdf
from zhijiao.web.pages import PagePrincipal, lang_of

router = APIRouter(include_in_schema=False)


def _pdf(request: Request, principal: PagePrincipal, uow: SqlUnitOfWork, account_no: str | None) -> Response:
    lang = lang_of(request)
    site = IssuingSite.of(get_platform(request).settings)
    return pdf_response(transcript_pdf(uow, principal, site, account_no, lang), lang)


@router.get("/me/transcript.pdf")
def my_transcript_pdf(
    request: Request, principal: PagePrincipal, uow: SqlUnitOfWork = Depends(get_uow)
) -> Response:
    return _pdf(request, principal, uow, None)


@router.get("/accounts/{account_no}/transcript.pdf")
def transcript_pdf_page(
    account_no: str, request: Request, principal: PagePrincipal, uow: SqlUnitOfWork = Depends(get_uow)
) -> Response:
    return _pdf(request, principal, uow, account_no)
