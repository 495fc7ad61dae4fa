"""Credential pages: the public verification page and QR-link target, a learner's credentials
(issue a transcript for a chosen selection, download JSON/JWS), and the staff status form."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from zhijiao.api.deps import get_platform
from zhijiao.domain.access import Principal, Role
from zhijiao.domain.credentials.records import (
    CHECK_LABELS,
    CREDENTIAL_STATE_LABELS,
    OUTCOME_LABELS,
    IssuedCredential,
)
from zhijiao.domain.credentials.verify import CredentialState, VerificationReport
from zhijiao.domain.errors import DomainError, NotFound
from zhijiao.services.credentials import issuance as credentials
from zhijiao.services.credentials import verification
from zhijiao.services.credentials.issuers import IssuingSite
from zhijiao.services.credentials.verification import MAX_INPUT
from zhijiao.services.creditbank import transcripts
from zhijiao.timefmt import LABEL as BEIJING_LABEL
from zhijiao.timefmt import beijing_time
from zhijiao.web.pages import PagePrincipal, export_response, render

router = APIRouter(include_in_schema=False)
TARGETS = {
    "revoke": CredentialState.revoked,
    "suspend": CredentialState.suspended,
    "reinstate": CredentialState.active,
}


def _site(request: Request) -> IssuingSite:
    return IssuingSite.of(get_platform(request).settings)


def _result(request: Request, report: VerificationReport | None, **context: object) -> HTMLResponse:
    return render(
        request, "credentials/verify.html", report=report, check_labels=CHECK_LABELS,
        outcome_labels=OUTCOME_LABELS, **context,
    )  # fmt: skip


@router.get("/verify", response_class=HTMLResponse)
def verify_form(request: Request) -> HTMLResponse:
    return _result(request, None)


_LINK = re.compile(
    r"(?:/verify/|urn:uuid:|^)([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
)


@router.post("/verify", response_class=HTMLResponse)
async def verify_submit(
    request: Request,
    credential: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    link: Annotated[str, Form()] = "",
) -> Response:
    """Verify what an employer has: the QR code's link (or the credential's id), pasted text, a file."""
    if link.strip():
        found = _LINK.search(link.strip())
        if found is None:
            return _result(request, None, error="未能识别该链接或凭证编号")
        return RedirectResponse(f"/verify/{found.group(1).lower()}", status_code=303)
    raw: str | bytes = credential
    if file is not None and file.filename:
        raw = await file.read(MAX_INPUT + 1)
    report = verification.verify(get_platform(request).uow(), _site(request), raw)
    return _result(request, report, pasted=credential)


@router.get("/verify/{credential_id}", response_class=HTMLResponse)
def verify_link(request: Request, credential_id: str) -> HTMLResponse:
    """The QR link: verify the stored credential and show what it attests."""
    platform = get_platform(request)
    try:
        stored = credentials.public_credential(platform.uow(), credential_id)
    except DomainError as e:
        return render(request, "credentials/verify.html", status_code=404, report=None, error=e.message,
                      check_labels=CHECK_LABELS, outcome_labels=OUTCOME_LABELS)  # fmt: skip
    report = verification.verify(platform.uow(), _site(request), stored.jws)
    return _result(request, report, stored=stored, document=credentials.document_of(stored))


def _credential_list(
    request: Request, principal: Principal, account_no: str | None, error: str | None = None
) -> Response:
    """The credentials of one account: a learner's own, or (staff, certifiers, authorities) those of
    the account they look up, with 撤销/暂停 only where they may change the status."""
    platform = get_platform(request)
    own = principal.role is Role.learner
    if own and principal.account_id is not None:
        with platform.uow().read() as uow:
            account = uow.accounts.get(principal.account_id)
        account_no = account.account_no if account else None
    context: dict[str, object] = {
        "own": own, "account_no": account_no, "error": error, "labels": CREDENTIAL_STATE_LABELS,
        "items": [], "outcomes": [], "changeable": set(), "holder": None,
    }  # fmt: skip
    if not account_no:
        return render(request, "credentials/list.html", principal=principal, **context)
    try:
        items = credentials.list_credentials(platform.uow(), principal, account_no)
        t = transcripts.transcript(platform.uow(), principal, account_no)
    except DomainError as e:
        context.update(account_no=account_no if not own else None, error=e.message)
        return render(request, "credentials/list.html", status_code=404, principal=principal, **context)
    fmt = request.query_params.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            fmt, "凭证", ["凭证编号", "凭证", "状态", f"签发时间（{BEIJING_LABEL}）"],
            ([c.id, c.name, CREDENTIAL_STATE_LABELS[c.state], beijing_time(c.issued_at)] for c in items),
        )  # fmt: skip
    context.update(
        items=items, holder=t.account, changeable=credentials.may_change_status(platform.uow(), principal, items),
        outcomes=[o for o in t.outcomes if o.status.value == "active"] if own or t.complete else [],
    )  # fmt: skip
    return render(request, "credentials/list.html", principal=principal, **context)


@router.get("/me/credentials", response_class=HTMLResponse)
def my_credentials(request: Request, principal: PagePrincipal, error: str | None = None) -> Response:
    if principal.role is not Role.learner:
        account = request.query_params.get("account")
        return RedirectResponse("/credentials" + (f"?account={account}" if account else ""), status_code=303)
    return _credential_list(request, principal, None, error)


@router.get("/credentials", response_class=HTMLResponse)
def credentials_page(request: Request, principal: PagePrincipal, account: str = "") -> Response:
    if principal.role is Role.learner:
        return RedirectResponse("/me/credentials", status_code=303)
    return _credential_list(request, principal, account.strip() or None)


@router.post("/me/credentials/transcript")
def issue_transcript(
    request: Request,
    principal: PagePrincipal,
    account_no: Annotated[str, Form()],
    outcome_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    try:
        credentials.issue_transcript(
            get_platform(request).uow(), principal, _site(request), account_no, outcome_ids or []
        )
    except DomainError as e:
        return _credential_list(request, principal, account_no, error=e.message)
    target = "/me/credentials" if principal.role is Role.learner else f"/credentials?account={account_no}"
    return RedirectResponse(target, status_code=303)


@router.get("/credentials/{credential_id}/download")
def download(
    request: Request, principal: PagePrincipal, credential_id: str, format: str = "json"
) -> Response:
    stored = credentials.get_credential(get_platform(request).uow(), principal, credential_id)
    name = f"credential-{stored.id}"
    if format == "jws":
        return PlainTextResponse(stored.jws, media_type="application/vc+jwt",
                                 headers={"Content-Disposition": f'attachment; filename="{name}.jwt"'})  # fmt: skip
    import json

    body = json.dumps(credentials.document_of(stored), ensure_ascii=False, indent=2)
    return Response(body, media_type="application/vc+ld+json",
                    headers={"Content-Disposition": f'attachment; filename="{name}.json"'})  # fmt: skip


def _changeable(request: Request, principal: Principal, credential_id: str) -> IssuedCredential:
    """The credential, if `principal` may change its status; otherwise a 404 like an unknown one
    (a learner, who sees their own, is refused by the service: 403)."""
    uow = get_platform(request).uow
    stored = credentials.get_credential(uow(), principal, credential_id)
    if principal.role is not Role.learner and stored.id not in credentials.may_change_status(
        uow(), principal, [stored]
    ):
        raise NotFound("凭证不存在或无权查看", code="credential_not_found")
    return stored


@router.get("/credentials/{credential_id}/status", response_class=HTMLResponse)
def status_form(request: Request, principal: PagePrincipal, credential_id: str) -> HTMLResponse:
    stored = _changeable(request, principal, credential_id)
    return render(request, "credentials/status.html", stored=stored, labels=CREDENTIAL_STATE_LABELS)


@router.post("/credentials/{credential_id}/status", response_class=HTMLResponse)
def status_submit(
    request: Request,
    principal: PagePrincipal,
    credential_id: str,
    action: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> HTMLResponse:
    platform = get_platform(request)
    _changeable(request, principal, credential_id)  # out of scope: 404, as in the API
    try:
        if action not in TARGETS:
            raise DomainError("未知的操作")
        stored = credentials.change_status(platform.uow(), principal, credential_id, TARGETS[action], reason)
    except DomainError as e:
        stored = credentials.get_credential(platform.uow(), principal, credential_id)
        code = 403 if e.code.endswith("forbidden") else 422
        return render(request, "credentials/status.html", status_code=code, stored=stored,
                      labels=CREDENTIAL_STATE_LABELS, error=e.message)  # fmt: skip
    return render(
        request, "credentials/status.html", stored=stored, labels=CREDENTIAL_STATE_LABELS, done=True
    )
