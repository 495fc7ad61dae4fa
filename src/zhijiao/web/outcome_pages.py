"""Correcting and revoking a learning outcome (更正 / 撤销) from the pages: the same services as
`PATCH /api/v1/outcomes/{id}` and `POST /api/v1/outcomes/{id}/revoke`, with the reason required
(it is written to the learner's ledger)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zhijiao.api.deps import get_platform
from zhijiao.domain.creditbank.model import Grade, Level, Outcome
from zhijiao.domain.errors import DomainError, ValidationFailed
from zhijiao.services.creditbank import outcomes
from zhijiao.web.pages import PagePrincipal, render

router = APIRouter(include_in_schema=False)
FIELDS = ("title", "code", "obtained_on", "hours", "credits", "score", "grade", "level")


def _values(o: Outcome) -> dict[str, str]:
    def text(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, Decimal):
            return format(v.normalize(), "f")
        if isinstance(v, Level):
            return str(int(v))
        return str(v.value if isinstance(v, Grade) else v)

    return {f: text(getattr(o, f)) for f in FIELDS}


def _changes(o: Outcome, form: dict[str, str]) -> dict[str, Any]:
    """The fields whose value differs from the outcome's, as the service takes them."""
    old = _values(o)
    changes: dict[str, Any] = {}
    for f in FIELDS:
        new = form.get(f, "").strip()
        if new == old[f]:
            continue
        if f in ("hours", "credits", "score") and new:
            try:
                Decimal(new)
            except InvalidOperation:
                raise ValidationFailed("请填写数字", field=f) from None
        if f == "title" and not new:
            raise ValidationFailed("名称不能为空", field=f)
        changes[f] = new or None
    return changes


@router.get("/outcomes/{outcome_id}/{action}", response_class=HTMLResponse)
def change_form(request: Request, principal: PagePrincipal, outcome_id: int, action: str) -> HTMLResponse:
    if action not in ("correct", "revoke"):
        return render(
            request, "error.html", status_code=404, status=404, title="页面不存在", message="页面不存在"
        )
    outcome, account_no = outcomes.outcome_for_change(get_platform(request).uow(), principal, outcome_id)
    return render(request, "creditbank/outcome_change.html", principal=principal, action=action, o=outcome,
                  account_no=account_no, values=_values(outcome), errors={}, reason="")  # fmt: skip


@router.post("/outcomes/{outcome_id}/{action}", response_class=HTMLResponse)
async def change(
    request: Request, principal: PagePrincipal, outcome_id: int, action: str,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:  # fmt: skip
    uow = get_platform(request).uow
    outcome, account_no = outcomes.outcome_for_change(uow(), principal, outcome_id)
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        if not reason.strip():
            raise ValidationFailed("请填写原因", field="reason")
        if action == "revoke":
            outcomes.revoke_outcome(uow(), principal, outcome_id, reason)
        elif action == "correct":
            outcomes.correct_outcome(uow(), principal, outcome_id, _changes(outcome, form), reason)
        else:
            raise ValidationFailed("未知的操作", field="action")
    except DomainError as e:
        field = e.field if e.field in (*FIELDS, "reason") else "form"
        values = {f: form.get(f, v) for f, v in _values(outcome).items()}
        return render(request, "creditbank/outcome_change.html", status_code=422, principal=principal,
                      action=action, o=outcome, account_no=account_no, values=values,
                      errors={field: e.message}, reason=reason)  # fmt: skip
    return RedirectResponse(f"/accounts/{account_no}?done={action}", status_code=303)
