"""Conversion pages: public plans (人才培养方案公开), a learner's applications, the staff review queue, audits.

Every page calls the same services as the API; domain errors are shown on the page in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zhijiao.api.deps import get_platform
from zhijiao.domain.access import Principal, Role
from zhijiao.domain.conversion.application import STATE_LABELS, ApplicationState
from zhijiao.domain.conversion.plan import CATEGORY_LABELS, PlanKey
from zhijiao.domain.creditbank.model import OUTCOME_KIND_LABELS
from zhijiao.domain.errors import DomainError, Forbidden, NotFound
from zhijiao.services.conversion import applications, exemptions, plans, rules
from zhijiao.web.pages import PagePrincipal, render

router = APIRouter(include_in_schema=False)
_STATUS = {NotFound: 404, Forbidden: 403}
LABELS = {"states": STATE_LABELS, "categories": CATEGORY_LABELS, "kinds": OUTCOME_KIND_LABELS}


def _error(request: Request, exc: DomainError, principal: Principal | None = None) -> HTMLResponse:
    status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 422)
    return render(
        request, "conversion/error.html", status_code=status, message=exc.message, principal=principal
    )


def _guard(request: Request, principal: Principal | None, make: Callable[[], Response]) -> Response:
    try:
        return make()
    except DomainError as exc:
        return _error(request, exc, principal)


# ---- public -----------------------------------------------------------------------------------


@router.get("/plans", response_class=HTMLResponse)
def plan_list(request: Request) -> Response:
    found = plans.list_plans(get_platform(request).uow())
    return render(request, "conversion/plans.html", plans=found, **LABELS)


@router.get("/plans/{institution_id}/{major_code}/{cohort_year}", response_class=HTMLResponse)
def plan_page(request: Request, institution_id: int, major_code: str, cohort_year: int) -> Response:
    key = PlanKey(institution_id, major_code, cohort_year)
    uow = get_platform(request).uow

    def make() -> Response:
        published = plans.get_plan(uow(), key)
        return render(
            request, "conversion/plan.html", published=published, publication=rules.publication(uow(), key),
            rule_set=rules.published_rules(uow(), key), **LABELS,
        )  # fmt: skip

    return _guard(request, None, make)


# ---- applying ---------------------------------------------------------------------------------


@router.get("/conversion/apply", response_class=HTMLResponse)
def apply_form(request: Request, principal: PagePrincipal, account_no: str | None = None) -> Response:
    uow = get_platform(request).uow

    def make() -> Response:
        context = applications.apply_context(uow(), principal, account_no or None)
        return render(request, "conversion/apply.html", principal=principal, ctx=context, chosen=set(),
                      targets=set(), preferred=[], verdicts=None, **LABELS)  # fmt: skip

    return _guard(request, principal, make)


@router.post("/conversion/apply", response_class=HTMLResponse)
def apply(
    request: Request,
    principal: PagePrincipal,
    account_no: Annotated[str, Form()],
    action: Annotated[str, Form()] = "precheck",
    outcome_ids: Annotated[list[int] | None, Form()] = None,
    target_courses: Annotated[list[str] | None, Form()] = None,
    preferred_courses: Annotated[list[str] | None, Form()] = None,
) -> Response:
    platform = get_platform(request)
    ids, targets = outcome_ids or [], target_courses or []
    preferred = [c for c in preferred_courses or [] if c]  # the ordered choices, blanks left out

    def make() -> Response:
        if action == "submit":
            view = applications.submit(
                platform.uow(), principal, account_no, ids, targets,
                review_working_days=platform.settings.conversion_review_working_days, preferred=preferred,
            )  # fmt: skip
            return RedirectResponse(f"/conversion/applications/{view.id}", status_code=303)
        context = applications.apply_context(platform.uow(), principal, account_no)
        verdicts = applications.precheck(platform.uow(), principal, account_no, ids, targets, preferred)
        return render(request, "conversion/apply.html", principal=principal, ctx=context, chosen=set(ids),
                      targets=set(targets), preferred=preferred, verdicts=verdicts, **LABELS)  # fmt: skip

    return _guard(request, principal, make)


# ---- following and reviewing ------------------------------------------------------------------


@router.get("/conversion/applications", response_class=HTMLResponse)
def application_list(
    request: Request,
    principal: PagePrincipal,
    state: str = "",
    overdue: bool = False,
    course: str = "",
    plan: str = "",
) -> Response:
    uow = get_platform(request).uow

    def make() -> Response:
        found = applications.list_applications(
            uow(), principal, state=ApplicationState(state) if state in ApplicationState.__members__ else None,
            overdue=overdue, course_code=course or None, plan=plan or None,
        )  # fmt: skip
        return render(
            request, "conversion/applications.html", principal=principal, items=found,
            filters={"state": state, "overdue": overdue, "course": course, "plan": plan},
            staff=principal.role is not Role.learner, **LABELS,
        )  # fmt: skip

    return _guard(request, principal, make)


@router.get("/conversion/applications/{application_id}", response_class=HTMLResponse)
def application_page(request: Request, principal: PagePrincipal, application_id: int) -> Response:
    uow = get_platform(request).uow

    def make() -> Response:
        view = applications.get_application(uow(), principal, application_id)
        return render(request, "conversion/application.html", principal=principal, view=view,
                      steps=list(zip(view.application.history, view.actors, strict=True)), reviewer=principal.role is Role.institution_staff, **LABELS)  # fmt: skip

    return _guard(request, principal, make)


@router.post("/conversion/applications/{application_id}/transitions", response_class=HTMLResponse)
def move(
    request: Request,
    principal: PagePrincipal,
    application_id: int,
    to: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    uow = get_platform(request).uow

    def make() -> Response:
        target = ApplicationState(to) if to in ApplicationState.__members__ else None
        if target is None:
            raise NotFound("状态不存在", code="state_not_found")
        applications.move(uow(), principal, application_id, target, reason)
        return RedirectResponse(f"/conversion/applications/{application_id}", status_code=303)

    return _guard(request, principal, make)


# ---- audit ------------------------------------------------------------------------------------


@router.get("/conversion/audit", response_class=HTMLResponse)
def audit_page(request: Request, principal: PagePrincipal, account_no: str = "", plan: str = "") -> Response:
    uow = get_platform(request).uow

    def make() -> Response:
        number = account_no
        if not number and principal.account_id is not None:
            number = applications.apply_context(uow(), principal).account.account_no
        if not number:
            return render(request, "conversion/audit.html", principal=principal, view=None, **LABELS)
        key = plans.parse_plan_key(plan) if plan else None
        view = exemptions.audit_learner(uow(), principal, number, key)
        return render(request, "conversion/audit.html", principal=principal, view=view, **LABELS)

    return _guard(request, principal, make)
