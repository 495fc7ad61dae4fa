"""Verifiable credentials: issue, list, fetch, revoke/suspend/reinstate, verify (public), status
lists and DID documents (public)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from zhijiao.api.credential_schemas import (
    CohortIssue,
    CohortRead,
    CredentialDocument,
    CredentialIssue,
    CredentialRead,
    QualificationIssue,
    StatusChange,
    TranscriptIssue,
    VerificationRead,
    VerifyRequest,
)
from zhijiao.api.deps import CurrentPrincipal, UoW, get_platform
from zhijiao.bootstrap import Platform
from zhijiao.domain.credentials.records import IssuedCredential
from zhijiao.domain.credentials.verify import CredentialState
from zhijiao.services.conversion import awards
from zhijiao.services.conversion.plans import parse_plan_key
from zhijiao.services.credentials import issuance as credentials
from zhijiao.services.credentials import issuers, verification
from zhijiao.services.credentials.issuers import IssuingSite

router = APIRouter(tags=["可验证凭证 credentials"])
public = APIRouter(tags=["凭证核验（公开） verification"])

MAX_UPLOAD = verification.MAX_INPUT


def get_site(platform: Annotated[Platform, Depends(get_platform)]) -> IssuingSite:
    return IssuingSite.of(platform.settings)


Site = Annotated[IssuingSite, Depends(get_site)]


def read(c: IssuedCredential, site: IssuingSite) -> CredentialRead:
    return CredentialRead.of(c, site.verify_url(c.id), site.status_url(c.status_list_id))


def _options(body: CredentialIssue) -> credentials.IssueOptions:
    return credentials.IssueOptions(body.algorithm, body.hashed_subject, body.valid_until)


@router.post(
    "/api/v1/outcomes/{outcome_id}/credential",
    response_model=CredentialRead,
    status_code=201,
    operation_id="issue_outcome_credential",
)
def issue_for_outcome(
    outcome_id: int, principal: CurrentPrincipal, uow: UoW, site: Site, body: CredentialIssue | None = None
) -> CredentialRead:
    """为一项学习成果签发 Open Badges 3.0 凭证（已有有效凭证时返回该凭证）。"""
    options = _options(body or CredentialIssue())
    return read(credentials.issue_for_outcome(uow, principal, site, outcome_id, options), site)


@router.post(
    "/api/v1/exemptions/{exemption_id}/credential",
    response_model=CredentialRead,
    status_code=201,
    operation_id="issue_exemption_credential",
)
def issue_for_exemption(
    exemption_id: int, principal: CurrentPrincipal, uow: UoW, site: Site, body: CredentialIssue | None = None
) -> CredentialRead:
    """为一项已批准的免修签发 AchievementCredential（以培养方案所属院校的名义；已有有效凭证时返回该凭证）。"""
    options = _options(body or CredentialIssue())
    return read(awards.issue_for_exemption(uow, principal, site, exemption_id, options), site)


@router.post(
    "/api/v1/accounts/{account_no}/qualification-credential",
    response_model=CredentialRead,
    status_code=201,
    operation_id="issue_qualification_credential",
)
def issue_qualification(
    account_no: str, principal: CurrentPrincipal, uow: UoW, site: Site, body: QualificationIssue | None = None
) -> CredentialRead:
    """毕业审核满足培养方案全部要求时，签发资历凭证（Diploma）；未满足时拒绝并说明原因。"""
    body = body or QualificationIssue()
    plan = parse_plan_key(body.plan) if body.plan else None
    issued = awards.issue_qualification(uow, principal, site, account_no, plan, _options(body))
    return read(issued, site)


@router.post(
    "/api/v1/accounts/{account_no}/transcript-credential",
    response_model=CredentialRead,
    status_code=201,
    operation_id="issue_transcript_credential",
)
def issue_transcript(
    account_no: str, body: TranscriptIssue, principal: CurrentPrincipal, uow: UoW, site: Site
) -> CredentialRead:
    """签发成绩单凭证（CLR）：整个账号，或学习者选择的学习成果。"""
    issued = credentials.issue_transcript(uow, principal, site, account_no, body.outcome_ids, _options(body))
    return read(issued, site)


@router.post(
    "/api/v1/institutions/{institution_id}/cohort-credentials",
    response_model=CohortRead,
    operation_id="issue_cohort_credentials",
)
def issue_cohort(
    institution_id: int, body: CohortIssue, principal: CurrentPrincipal, uow: UoW, site: Site
) -> CohortRead:
    """为毕业届学生批量签发本机构颁发的学习成果凭证。"""
    result = credentials.issue_cohort(
        uow, principal, site, institution_id=institution_id, cohort_year=body.cohort_year,
        major_code=body.major_code, options=_options(body),
    )  # fmt: skip
    return CohortRead(accounts=result.accounts, issued=result.issued, already=result.already)


@router.post(
    "/api/v1/issuers/{institution_id}/key-rotation",
    response_model=dict[str, str],
    operation_id="rotate_issuer_keys",
)
def rotate(institution_id: int, principal: CurrentPrincipal, uow: UoW, site: Site) -> dict[str, str]:
    """轮换发证密钥：旧公钥保留在 DID 文档中，已签发的凭证仍可验证。"""
    issuer = issuers.rotate_keys(uow, principal, site, institution_id)
    return {"did": issuer.did, "name": issuer.name}


@router.get(
    "/api/v1/accounts/{account_no}/credentials",
    response_model=list[CredentialRead],
    operation_id="list_account_credentials",
)
def list_for_account(
    account_no: str, principal: CurrentPrincipal, uow: UoW, site: Site
) -> list[CredentialRead]:
    return [read(c, site) for c in credentials.list_credentials(uow, principal, account_no)]


@router.get(
    "/api/v1/credentials/{credential_id}",
    response_model=CredentialDocument,
    operation_id="get_credential",
    responses={200: {"content": {"application/vc+jwt": {}, "application/vc+ld+json": {}}}},
)
def get_credential(
    credential_id: str, principal: CurrentPrincipal, uow: UoW, site: Site, format: str | None = None
) -> Any:
    """凭证：默认返回元数据与凭证；`format=jws` 返回 JWS 文本，`format=json` 返回签名 JSON。"""
    c = credentials.get_credential(uow, principal, credential_id)
    if format == "jws":
        return PlainTextResponse(c.jws, media_type="application/vc+jwt")
    if format == "json":
        return JSONResponse(credentials.document_of(c), media_type="application/vc+ld+json")
    return CredentialDocument(**read(c, site).model_dump(), jws=c.jws, credential=credentials.document_of(c))


def _status_route(target: CredentialState, name: str, summary: str) -> None:
    def change(
        credential_id: str, body: StatusChange, principal: CurrentPrincipal, uow: UoW, site: Site
    ) -> CredentialRead:
        return read(credentials.change_status(uow, principal, credential_id, target, body.reason), site)

    change.__doc__ = summary
    router.add_api_route(
        f"/api/v1/credentials/{{credential_id}}/{name}",
        change,
        methods=["POST"],
        response_model=CredentialRead,
        operation_id=f"credential_{name}",
        summary=summary,
    )


_status_route(CredentialState.revoked, "revocation", "撤销凭证（不可恢复），原因记入台账")
_status_route(CredentialState.suspended, "suspension", "暂停凭证，原因记入台账")
_status_route(CredentialState.active, "reinstatement", "恢复已暂停的凭证，原因记入台账")


async def _verify_input(request: Request) -> str | bytes | dict[str, Any]:
    """A JSON body ({"credential": …}, or the credential itself), a multipart upload, or plain text."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str):
            return bytes(await upload.read(MAX_UPLOAD + 1))
        text = form.get("credential")
        return text if isinstance(text, str) else ""
    body = await request.body()
    if content_type.startswith("application/json"):
        try:
            parsed = json.loads(body)
        except ValueError:
            return body
        if isinstance(parsed, dict) and set(parsed) == {"credential"}:
            inner = VerifyRequest.model_validate(parsed).credential
            return inner
        return parsed if isinstance(parsed, dict) else body
    return body


@public.post(
    "/api/v1/verify",
    response_model=VerificationRead,
    operation_id="verify_credential",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": VerifyRequest.model_json_schema()},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
                "application/vc+jwt": {"schema": {"type": "string"}},
            }
        }
    },
)
async def verify(
    request: Request, site: Site, platform: Annotated[Platform, Depends(get_platform)]
) -> VerificationRead:
    """公开核验（无需登录）：分别报告签名、发证机构、有效期、状态、结构五项检查及结论。"""
    raw = await _verify_input(request)
    return VerificationRead.of(verification.verify(platform.uow(), site, raw))


@public.get("/credentials/status/{list_id}", operation_id="get_status_list", response_model=dict[str, Any])
def status_list(list_id: int, uow: UoW, site: Site) -> Response:
    """Bitstring Status List 凭证（公开，地址稳定）。"""
    return JSONResponse(
        verification.status_list_credential(uow, site, list_id), media_type="application/vc+ld+json"
    )


@public.get("/.well-known/did.json", operation_id="get_platform_did", response_model=dict[str, Any])
def platform_did(uow: UoW, site: Site) -> Response:
    """学分银行（平台发证方，签发成绩单）的 did:web 文档。"""
    return JSONResponse(issuers.did_document(uow, site, None), media_type="application/did+json")


@public.get(
    "/issuers/{institution_id}/did.json", operation_id="get_issuer_did", response_model=dict[str, Any]
)
def issuer_did(institution_id: int, uow: UoW, site: Site) -> Response:
    """发证机构的 did:web 文档（含已轮换的旧公钥）。"""
    return JSONResponse(issuers.did_document(uow, site, institution_id), media_type="application/did+json")
