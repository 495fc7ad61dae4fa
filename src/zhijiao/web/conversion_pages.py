"""Conversion pages: public plans (人才培养方案公开), a learner's applications, the staff review queue, audits.

Every page calls the same services as the API; domain errors are shown on the page in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zhijiao.api.deps import get_platform
from zhijiao.domain.access import Principal, Role
from zhijiao.domain.conversion.application import STATE_LABELS, ApplicationState
from zhijiao.domain.conversion.plan import CATEGORY_LABELS, PlanKey
from zhijiao.domain.creditbank.model import OUTCOME_KIND_LABELS
from zhijiao.domain.errors import DomainError, Forbidden, NotFound
from zhijiao.i18n import translator
from zhijiao.services.conversion import applications, exemptions, plans, rules
from zhijiao.services.creditbank import rosters
from zhijiao.timefmt import LABEL as BEIJING_LABEL
from zhijiao.timefmt import beijing_time
from zhijiao.web.explain import Explainer, issuer_ids
from zhijiao.web.pages import PagePrincipal, export_response, lang_of, render

router = APIRouter(include_in_schema=False)
_STATUS = {NotFound: 404, Forbidden: 403}
LABELS = {"states": STATE_LABELS, "categories": CATEGORY_LABELS, "kinds": OUTCOME_KIND_LABELS}


def _error(
    request: Request, exc: DomainError, principal: Principal | None = None, back: str | None = None
) -> HTMLResponse:
    """The reason, and a way back to where the person was (the application, the form)."""
    status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 422)
    return render(
        request, "conversion/error.html", status_code=status, message=exc.message, principal=principal,
        back=back,
    )  # fmt: skip


def _guard(
    request: Request, principal: Principal | None, make: Callable[[], Response], back: str | None = None
) -> Response:
    try:
        return make()
    except DomainError as exc:
        return _error(request, exc, principal, back)


def explainer(request: Request, texts: list[str]) -> Explainer:
    """Explanations in the page's language, with institution names where the domain wrote ids."""
    ids = issuer_ids(texts)
    names = rosters.institution_names(get_platform(request).uow(), ids) if ids else {}
    lang = lang_of(request)
    return Explainer(lang, translator(lang), names)


def plan_choices(request: Request, principal: Principal) -> list[tuple[str, str]]:
    """The plans a person may pick in a filter: (key, title), those of their school for staff."""
    found = plans.list_plans(
        get_platform(request).uow(),
        institution_id=principal.institution_id if principal.role is Role.institution_staff else None,
    )
    return [(str(p.plan.key), p.plan.name or str(p.plan.key)) for p in found]


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
        if principal.role is not Role.learner and not account_no:  # staff name the learner first
            return render(request, "conversion/apply.html", principal=principal, ctx=None, chosen=set(),
                          targets=set(), preferred=[], verdicts=None, **LABELS)  # fmt: skip
        context = applications.apply_context(uow(), principal, account_no or None)
        return render(request, "conversion/apply.html", principal=principal, ctx=context, chosen=set(),
                      targets=set(), preferred=[], verdicts=None, **LABELS)  # fmt: skip

    return _guard(request, principal, make, back="/conversion/apply")


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
        ex = explainer(request, [v.explanation for v in verdicts])
        items = [ex.verdict(v.explanation, v.eligible) for v in verdicts]
        return render(request, "conversion/apply.html", principal=principal, ctx=context, chosen=set(ids),
                      targets=set(targets), preferred=preferred, verdicts=items, raw_verdicts=verdicts,
                      **LABELS)  # fmt: skip

    back = "/conversion/apply" + ("" if principal.role is Role.learner else f"?account_no={account_no}")
    return _guard(request, principal, make, back=back)


# ---- following and reviewing ------------------------------------------------------------------


@router.get("/conversion/applications", response_class=HTMLResponse)
def application_list(
    request: Request,
    principal: PagePrincipal,
    state: str = "",
    overdue: bool = False,
    course: str = "",
    plan: str = "",
    sort: str = "deadline",
    format: str = "",
) -> Response:
    uow = get_platform(request).uow

    def make() -> Response:
        found = applications.list_applications(
            uow(), principal, state=ApplicationState(state) if state in ApplicationState.__members__ else None,
            overdue=overdue, course_code=course or None, plan=plan or None,
        )  # fmt: skip
        key = SORTS.get(sort.removeprefix("-"), SORTS["deadline"])
        found.sort(key=key, reverse=sort.startswith("-"))
        if format in ("csv", "xlsx"):
            return export_response(format, "学分兑换申请", EXPORT_HEADERS, (_export_row(v) for v in found))
        return render(
            request, "conversion/applications.html", principal=principal, items=found, sort=sort,
            filters={"state": state, "overdue": overdue, "course": course, "plan": plan},
            plan_choices=plan_choices(request, principal) if principal.role is not Role.learner else [],
            staff=principal.role is not Role.learner, **LABELS,
        )  # fmt: skip

    return _guard(request, principal, make)


SORTS: dict[str, Callable[[applications.ApplicationView], Any]] = {
    "id": lambda v: v.id,
    "submitted": lambda v: (v.submitted_at or datetime.min.replace(tzinfo=UTC), v.id),
    "learner": lambda v: (v.learner_name, v.id),
    "course": lambda v: (",".join(v.application.target_courses), v.id),
    "state": lambda v: (v.application.state.value, v.id),
    "deadline": lambda v: (v.application.review_deadline, v.id),
}
EXPORT_HEADERS = (
    "编号", f"提交时间（{BEIJING_LABEL}）", "学习账号", "姓名", "培养方案", "申请免修的课程", "状态", "审核期限", "是否逾期",
)  # fmt: skip


def _export_row(v: applications.ApplicationView) -> tuple[object, ...]:
    courses = "、".join(f"{v.course_names.get(c, c)}（{c}）" for c in v.application.target_courses)
    return (
        v.id, beijing_time(v.submitted_at), v.account_no, v.learner_name, v.plan_name, courses,
        STATE_LABELS[v.application.state], v.application.review_deadline, "是" if v.overdue else "否",
    )  # fmt: skip


@router.get("/conversion/applications/{application_id}", response_class=HTMLResponse)
def application_page(request: Request, principal: PagePrincipal, application_id: int) -> Response:
    uow = get_platform(request).uow

    def make() -> Response:
        view = applications.get_application(uow(), principal, application_id)
        texts = [p["explanation"] for p in view.precheck]
        ex = explainer(request, texts)
        items = [ex.verdict(p["explanation"], bool(p["eligible"])) for p in view.precheck]
        return render(request, "conversion/application.html", principal=principal, view=view, precheck=items,
                      steps=list(zip(view.application.history, view.actors, strict=True)),
                      reviewer=principal.role is Role.institution_staff, **LABELS)  # fmt: skip

    return _guard(request, principal, make, back="/conversion/applications")


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

    return _guard(request, principal, make, back=f"/conversion/applications/{application_id}")


# ---- audit ------------------------------------------------------------------------------------


@router.get("/conversion/audit", response_class=HTMLResponse)
def audit_page(request: Request, principal: PagePrincipal, account_no: str = "", plan: str = "") -> Response:
    uow = get_platform(request).uow

    def make() -> Response:
        number = account_no
        if not number and principal.account_id is not None:
            number = applications.apply_context(uow(), principal).account.account_no
        choices = plan_choices(request, principal) if principal.role is not Role.learner else []
        if not number:
            return render(request, "conversion/audit.html", principal=principal, view=None, checks=(),
                          plan_choices=choices, plan=plan, **LABELS)  # fmt: skip
        key = plans.parse_plan_key(plan) if plan else None
        view = exemptions.audit_learner(uow(), principal, number, key)
        ex = explainer(request, [])
        checks = ex.checks((c.met, c.explanation) for c in view.result.checks)
        return render(request, "conversion/audit.html", principal=principal, view=view, checks=checks,
                      plan_choices=choices, plan=plan, **LABELS)  # fmt: skip

    return _guard(request, principal, make, back="/conversion/audit")
