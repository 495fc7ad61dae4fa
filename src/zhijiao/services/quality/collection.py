"""Collecting a school's data: importing values (form or long data-value set) and the workflow.

The import reads as its stages — parse → check → resolve → write. All or nothing: every problem of
the whole file is listed (in Chinese, with its sheet and cell or row and column) and nothing is
written unless there are none. Re-importing the same file changes nothing; a changed value becomes a
new version of that value, the old one kept. Values of a submitted or approved (locked) period are
refused until the province reopens it (recorded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from zhijiao.domain.access import Principal, Role
from zhijiao.domain.errors import Forbidden, NotFound, ValidationFailed
from zhijiao.domain.quality.elements import CATEGORY_BY_EN, ELEMENT_BY_CODE, PERIOD_HINT, Period, parse_period
from zhijiao.domain.quality.indicators import element_totals
from zhijiao.domain.quality.rules import Importance, jump, violations
from zhijiao.domain.quality.values import RawValue, ValueProblem, Where, clean, parse_number
from zhijiao.domain.quality.workflow import (
    DATA_SET,
    EDITABLE,
    Action,
    Status,
    deadline,
    locked_message,
    move,
)
from zhijiao.services.clock import utcnow
from zhijiao.services.quality.schools import School, find_school, visible_schools

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


@dataclass(slots=True)
class QualityImportResult:
    filename: str
    values_total: int = 0
    values_written: int = 0  # new values and new versions
    values_unchanged: int = 0
    problems: list[ValueProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # consistency rules broken (checked again on submit)
    warnings_en: list[str] = field(default_factory=list)  # the same in English
    batch_id: int | None = None
    schools: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class _Checked:
    school: School
    period: Period
    element: str
    category: str
    value: Decimal
    where: Where


def _can_report(principal: Principal, school: School) -> bool:
    """Who may enter a school's values: its own staff, or an administrator over it."""
    match principal.role:
        case Role.national_admin:
            return True
        case Role.province_admin:
            return school.province == principal.province_code
        case Role.institution_staff:
            return principal.institution_id == school.id
    return False


class _Schools:
    """Codes → schools the principal may report for (each code looked up once)."""

    def __init__(self, uow: SqlUnitOfWork, principal: Principal) -> None:
        self.uow, self.principal = uow, principal
        self.found: dict[str, School | str] = {}

    def get(self, code: str) -> School | str:
        hit = self.found.get(code)
        if hit is None:
            try:
                school = find_school(self.uow, self.principal, code)
                hit = school if _can_report(self.principal, school) else f"无权填报“{school.name}”的数据"
            except (NotFound, Forbidden):
                hit = f"未登记或无权查看的机构代码“{code}”（应为学校标识码或统一社会信用代码）"
            except Exception as e:  # a DomainError such as not_a_school
                hit = getattr(e, "message", str(e))
            self.found[code] = hit
        return hit


def _parse(raw: RawValue, schools: _Schools, problems: list[ValueProblem]) -> _Checked | None:
    where = raw.where
    before = len(problems)
    code = clean(raw.org)
    school = schools.get(code) if code else "机构代码不能为空"
    if isinstance(school, str):
        problems.append(ValueProblem(where, "org", school))
    period = parse_period(clean(raw.period))
    if period is None:
        problems.append(ValueProblem(where, "period", f"“{clean(raw.period)}”{PERIOD_HINT}"))
    element = ELEMENT_BY_CODE.get(clean(raw.element).lower())
    if element is None:
        problems.append(ValueProblem(where, "element", f"未知的数据元代码“{clean(raw.element)}”"))
    category = clean(raw.category)
    category = CATEGORY_BY_EN.get(category.lower(), category)  # the English names are accepted too
    value: Decimal | str = ""
    if element is not None:
        if category and category not in element.categories:
            allowed = "、".join(element.categories) if element.categories else "（该数据元不分类，应留空）"
            problems.append(
                ValueProblem(where, "category", f"“{category}”不是“{element.name}”的分类：{allowed}")
            )
        value = parse_number(element, raw.value)
        if isinstance(value, str):
            problems.append(ValueProblem(where, "value", value))
    if len(problems) > before:
        return None
    assert (
        isinstance(school, School)
        and period is not None
        and element is not None
        and isinstance(value, Decimal)
    )
    return _Checked(school, period, element.code, category, value, where)


def import_values(
    uow: SqlUnitOfWork,
    principal: Principal,
    raws: Sequence[RawValue],
    *,
    filename: str,
    file_sha256: str,
    file_kind: str,
    file_problems: Sequence[ValueProblem] = (),
) -> QualityImportResult:
    result = QualityImportResult(filename, values_total=len(raws), problems=list(file_problems))
    now = utcnow()
    with uow:
        # --- parse and check every value ---
        schools = _Schools(uow, principal)
        checked: list[_Checked] = []
        first: dict[tuple[int, str, str, str], Where] = {}
        for raw in raws:
            item = _parse(raw, schools, result.problems)
            if item is None:
                continue
            key = (item.school.id, item.period.code, item.element, item.category)
            if key in first:
                result.problems.append(
                    ValueProblem(
                        item.where,
                        "element",
                        f"与{first[key].describe()}重复（同一机构、期间、数据元和分类）",
                    )
                )
                continue
            first[key] = item.where
            checked.append(item)
        pairs = sorted({(c.school.id, c.period.code) for c in checked})
        ids = sorted({p[0] for p in pairs})
        periods = sorted({p[1] for p in pairs})
        # --- resolve against the stored values ---
        current = {
            (v.institution_id, v.period, v.element, v.category): v for v in uow.quality.values(ids, periods)
        }
        versions = {
            (v.institution_id, v.period, v.element, v.category): v.version
            for v in uow.quality.values(ids, periods, current_only=False)
        }  # the latest version of each, current or not
        status = {
            (s.institution_id, s.period): Status(s.status)
            for s in uow.quality.submissions(ids, DATA_SET, periods)
        }
        for item in checked:  # a locked period refuses changes (the same values again change nothing)
            st = status.get((item.school.id, item.period.code), Status.draft)
            old = current.get((item.school.id, item.period.code, item.element, item.category))
            if st not in EDITABLE and (old is None or old.value != item.value):
                result.problems.append(ValueProblem(item.where, "value", locked_message(st, item.period)))
        if result.problems:
            return result
        new_rows: list[dict[str, Any]] = []
        superseded: list[int] = []
        for item in checked:
            key = (item.school.id, item.period.code, item.element, item.category)
            old = current.get(key)
            if old is not None and old.value == item.value:
                result.values_unchanged += 1
                continue
            if old is not None:
                superseded.append(old.id)
            new_rows.append(
                dict(
                    institution_id=item.school.id, period=item.period.code, element=item.element,
                    category=item.category, value=item.value, version=versions.get(key, 0) + 1,
                    is_current=True, submitted_by=principal.actor, submitted_at=now, sheet=item.where.sheet,
                    cell=item.where.cell, row_no=item.where.row,
                )
            )  # fmt: skip
        result.schools = sorted({c.school.code for c in checked})
        result.periods = periods
        found = _rule_warnings(uow, checked, current, new_rows)
        result.warnings, result.warnings_en = [zh for zh, _ in found], [en for _, en in found]
        if not new_rows:
            return result  # nothing changed: no batch, no versions

        # --- write, in one transaction ---
        batch_id = uow.quality.start_batch(
            filename=filename, file_sha256=file_sha256, file_kind=file_kind, actor=principal.actor, now=now
        )
        for row in new_rows:
            row["batch_id"] = batch_id
        uow.quality.supersede(superseded)
        uow.quality.add_values(new_rows)
        uow.quality.finish_batch(batch_id, len(new_rows))
        for school_id, period in pairs:
            uow.quality.ensure_submission(school_id, DATA_SET, period, now)
        result.values_written = len(new_rows)
        result.batch_id = batch_id
        uow.commit()
    return result


def _rule_warnings(
    uow: SqlUnitOfWork, checked: list[_Checked], current: dict[tuple[int, str, str, str], Any],
    new_rows: list[dict[str, Any]],
) -> list[tuple[str, str]]:  # fmt: skip
    """The consistency rules the values would break once written, per school and period (Chinese, English)."""
    merged: dict[tuple[int, str], dict[tuple[str, str], Decimal]] = {}
    for (sid, per, el, cat), v in current.items():
        merged.setdefault((sid, per), {})[(el, cat)] = v.value
    for row in new_rows:
        merged.setdefault((row["institution_id"], row["period"]), {})[(row["element"], row["category"])] = (
            row["value"]
        )
    names = {c.school.id: c.school.name for c in checked}
    # in English the school is named by its code: its name is Chinese (data that English text cannot carry)
    codes = {c.school.id: c.school.code for c in checked}
    out: list[tuple[str, str]] = []
    for (sid, per), values in sorted(merged.items()):
        if sid not in names:
            continue
        out.extend(
            (f"{names[sid]} {per}：{v.explanation}", f"School {codes[sid]}, {per}: {v.explanation_en}")
            for v in violations(element_totals(values))
        )
    out.extend(_jump_warnings(uow, checked, merged, names, codes))
    return out


def _jump_warnings(
    uow: SqlUnitOfWork, checked: list[_Checked], merged: dict[tuple[int, str], dict[tuple[str, str], Decimal]],
    names: dict[int, str], codes: dict[int, str],
) -> list[tuple[str, str]]:  # fmt: skip
    """Values more than ±50 % away from the same element the period before: flagged for review, not
    refused (the figures may be right — a new campus, a merger)."""
    periods = {c.period.code: c.period for c in checked}
    before = {code: Period(p.end_year - 1, p.academic).code for code, p in periods.items()}
    ids = sorted(names)
    grouped: dict[tuple[int, str], dict[tuple[str, str], Decimal]] = {}
    for v in uow.quality.values(ids, sorted(set(before.values()))):
        grouped.setdefault((v.institution_id, v.period), {})[(v.element, v.category)] = v.value
    previous = {k: element_totals(vals) for k, vals in grouped.items()}
    touched = {(c.school.id, c.period.code, c.element) for c in checked}
    out: list[tuple[str, str]] = []
    for (sid, per), values in sorted(merged.items()):
        if sid not in names or per not in before:
            continue
        old = previous.get((sid, before[per]), {})
        for code, value in element_totals(values).items():
            change = jump(value, old.get(code)) if (sid, per, code) in touched else None
            if change is not None:
                e = ELEMENT_BY_CODE[code]
                unit_en = e.unit_en
                out.append((
                    f"{names[sid]} {per}：{e.name} {_plain(value)}{e.unit}，较上期（{before[per]}）"
                    f"{_plain(old[code])}{e.unit}变化 {change * 100:+.0f}%，超过 ±50%，请核实（仅提示，不影响导入）",
                    f"School {codes[sid]}, {per}: {e.name_en} {_plain(value)}{unit_en} against "
                    f"{_plain(old[code])}{unit_en} in {before[per]}, a change of {change * 100:+.0f}% (more than ±50%): "
                    "please check (a flag only; the import is not refused)",
                ))  # fmt: skip
    return out


def _plain(v: Decimal) -> str:
    return format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f")


# --- workflow --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubmissionState:
    school: str
    school_name: str
    period: str
    status: Status
    declared_by: str | None
    submitted_at: datetime | None
    on_time: bool | None
    history: list[dict[str, Any]]


def _period(text: str) -> Period:
    period = parse_period(text)
    if period is None:
        raise ValidationFailed(f"期间“{text}”{PERIOD_HINT}", field="period")
    return period


def _state(uow: SqlUnitOfWork, school: School, period: Period) -> SubmissionState:
    row = uow.quality.submission(school.id, DATA_SET, period.code)
    if row is None:
        return SubmissionState(school.code, school.name, period.code, Status.draft, None, None, None, [])
    events = [
        {
            "action": e.action,
            "from": e.from_status,
            "to": e.to_status,
            "actor": e.actor,
            "comment": e.comment,
            "at": e.at,
        }
        for e in uow.quality.events(row.id)
    ]
    on_time = row.submitted_at.date() <= deadline(period) if row.submitted_at else None
    return SubmissionState(
        school.code,
        school.name,
        period.code,
        Status(row.status),
        row.declared_by,
        row.submitted_at,
        on_time,
        events,
    )


def submission_state(uow: SqlUnitOfWork, principal: Principal, code: str, period: str) -> SubmissionState:
    with uow.read():
        school = find_school(uow, principal, code)
        return _state(uow, school, _period(period))


@dataclass(frozen=True, slots=True)
class Step:
    """One workflow step: `at` is when it happened (the demo's history); now by default."""

    code: str
    period: str
    action: Action
    comment: str = ""
    declared_by: str = ""
    at: datetime | None = None


def _step(uow: SqlUnitOfWork, principal: Principal, step: Step) -> tuple[School, Period]:
    period = _period(step.period)
    school = find_school(uow, principal, step.code)
    if step.action is Action.submit:
        if not _can_report(principal, school):
            raise Forbidden("无权提交该校数据", code="quality_forbidden")
    elif principal.role not in (Role.province_admin, Role.national_admin):
        raise Forbidden("只有省级或国家级管理员可以审核、退回或重新开放", code="quality_forbidden")
    now = step.at or utcnow()
    row = uow.quality.ensure_submission(school.id, DATA_SET, period.code, now)
    after = move(Status(row.status), step.action, comment=step.comment, declared_by=step.declared_by)
    if step.action is Action.submit:
        values = {(v.element, v.category): v.value for v in uow.quality.values([school.id], [period.code])}
        if not values:
            raise ValidationFailed(f"{period.label}尚无数据，不能提交", code="nothing_to_submit")
        broken = [v for v in violations(element_totals(values)) if v.rule.importance is Importance.high]
        if broken:
            raise ValidationFailed(
                "数据未通过一致性校验，不能提交：" + "；".join(v.explanation for v in broken),
                code="rules_broken",
            )
    uow.quality.set_status(
        row, action=step.action.value, status=after.value, actor=principal.actor,
        comment=step.comment.strip() or None, now=now, declared_by=clean(step.declared_by) or None,
    )  # fmt: skip
    return school, period


def act(
    uow: SqlUnitOfWork, principal: Principal, code: str, period_text: str, action: Action, *,
    comment: str = "", declared_by: str = "",
) -> SubmissionState:  # fmt: skip
    """One step of the workflow. Submit: the school (its staff) with a named person's declaration;
    approve / return / reopen: the province (or the nation)."""
    with uow:
        school, period = _step(uow, principal, Step(code, period_text, action, comment, declared_by))
        state = _state(uow, school, period)
        uow.commit()
    return state


def act_many(uow: SqlUnitOfWork, principal: Principal, steps: Sequence[Step]) -> int:
    """Many steps in one transaction (a province approving a batch): all of them, or none."""
    with uow:
        for step in steps:
            _step(uow, principal, step)
        uow.commit()
    return len(steps)


@dataclass(frozen=True, slots=True)
class Completeness:
    province: str
    period: str
    schools: int
    reported: int  # with any value
    submitted: int  # submitted or approved
    approved: int
    on_time: int  # submitted by the deadline

    @property
    def completeness_rate(self) -> float:
        return self.submitted / self.schools if self.schools else 0.0

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.schools if self.schools else 0.0


def completeness(
    uow: SqlUnitOfWork, principal: Principal, period_text: str, province: str | None = None
) -> list[Completeness]:
    """Completion and on-time rates per province (the caller's, or every province for the nation)."""
    period = _period(period_text)
    with uow.read():
        schools = visible_schools(uow, principal, province)
        by_province: dict[str, list[School]] = {}
        for s in schools:
            by_province.setdefault(s.province, []).append(s)
        rows = {
            r.institution_id: r
            for r in uow.quality.submissions([s.id for s in schools], DATA_SET, [period.code])
        }
        reported = uow.quality.reporting_ids([s.id for s in schools], period.code)
    due: date = deadline(period)
    out = []
    for prov, members in sorted(by_province.items()):
        subs = [rows[s.id] for s in members if s.id in rows]
        done = [r for r in subs if r.status in (Status.submitted, Status.approved)]
        out.append(
            Completeness(
                prov, period.code, len(members), sum(1 for s in members if s.id in reported), len(done),
                sum(1 for r in done if r.status == Status.approved),
                sum(1 for r in done if r.submitted_at is not None and r.submitted_at.date() <= due),
            )
        )  # fmt: skip
    return out


def latest_year(uow: SqlUnitOfWork, principal: Principal, code: str | None = None) -> int | None:
    """The latest year with data: of one school (`code`), else of every school in scope."""
    with uow.read():
        if code is not None:
            return uow.quality.latest_year([find_school(uow, principal, code).id])
        schools = visible_schools(uow, principal)
        return uow.quality.latest_year([s.id for s in schools]) if schools else None


def schools_in_scope(uow: SqlUnitOfWork, principal: Principal, province: str | None = None) -> list[School]:
    with uow.read():
        return visible_schools(uow, principal, province)
