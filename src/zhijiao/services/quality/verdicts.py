"""Indicators, verdicts and cards: one school's year (with last year beside it), a province's (or
the nation's) schools in one table, and any value traced back to the cells it came from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal
from zhijiao.domain.errors import NotFound, ValidationFailed
from zhijiao.domain.quality.elements import ELEMENT_BY_CODE, periods_of_year
from zhijiao.domain.quality.indicators import INDICATOR_BY_CODE, INDICATORS, element_totals
from zhijiao.domain.quality.rules import RuleViolation, jump, violations
from zhijiao.domain.quality.standards import Standard, resolve
from zhijiao.domain.quality.verdicts import (
    CARD_LABELS,
    CARD_LABELS_EN,
    Card,
    CardVerdict,
    IndicatorVerdict,
    card_for,
    judge,
)
from zhijiao.domain.quality.workflow import DATA_SET, Status
from zhijiao.services.quality.schools import School, find_school, visible_schools
from zhijiao.services.quality.standards import standards_in_force

if TYPE_CHECKING:
    from zhijiao.adapters.db.quality_repository import StoredValue
    from zhijiao.adapters.db.uow import SqlUnitOfWork


def judged_on(year: int) -> date:
    """The day a year's values are judged by the standards then in force: the academic year's end."""
    return date(year, 8, 31)


def check_year(year: int) -> int:
    if not 1990 <= year <= 2100:
        raise ValidationFailed("年度应为四位数字，如 2024", field="year")
    return year


def year_values(values: Sequence[StoredValue], year: int) -> dict[str, list[StoredValue]]:
    """element → the stored values `--year YYYY` uses: the academic year ending in YYYY where the
    element has any, else calendar YYYY."""
    academic, calendar = (p.code for p in periods_of_year(year))
    chosen: dict[str, list[StoredValue]] = {}
    for period in (academic, calendar):
        for v in values:
            if v.period == period and (v.element not in chosen or chosen[v.element][0].period == period):
                chosen.setdefault(v.element, []).append(v)
    return chosen


def totals_of(chosen: dict[str, list[StoredValue]]) -> dict[str, Decimal]:
    return element_totals({(v.element, v.category): v.value for vs in chosen.values() for v in vs})


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    verdict: IndicatorVerdict
    previous: Decimal | None  # last year's value
    jump: Decimal | None  # the change from last year, when larger than the jump limit


@dataclass(frozen=True, slots=True)
class SchoolYear:
    school: School
    year: int
    lines: list[IndicatorLine]
    card: CardVerdict
    violations: list[RuleViolation]
    status: Status
    periods: list[str] = field(default_factory=list)


def _verdicts(
    school: School, totals: dict[str, Decimal], year: int, standards: list[Standard]
) -> list[IndicatorVerdict]:
    on = judged_on(year)
    return [
        judge(ind, ind.compute(totals), resolve(standards, ind.code, school.level, school.discipline, on,
                                                province=school.province, school_id=school.id))
        for ind in INDICATORS
    ]  # fmt: skip


def school_year(uow: SqlUnitOfWork, principal: Principal, code: str, year: int) -> SchoolYear:
    """Every indicator of one school for `year`, judged, with last year beside it, and its card."""
    check_year(year)
    with uow.read():
        school = find_school(uow, principal, code)
        periods = [p.code for y in (year, year - 1, year - 2) for p in periods_of_year(y)]
        stored = uow.quality.values([school.id], periods)
        standards = standards_in_force(uow)
        sub = uow.quality.submission(school.id, DATA_SET, periods_of_year(year)[0].code)
        if sub is None:
            sub = uow.quality.submission(school.id, DATA_SET, periods_of_year(year)[1].code)
    by_year = {y: year_values(stored, y) for y in (year, year - 1, year - 2)}
    if not by_year[year]:
        raise NotFound(
            f"“{school.name}”尚无 {year} 年度（{year - 1}-{year} 学年或 {year} 年）的数据",
            code="quality_no_data",
        )
    totals = {y: totals_of(chosen) for y, chosen in by_year.items()}
    now = _verdicts(school, totals[year], year, standards)
    before = {y: _verdicts(school, totals[y], y, standards) for y in (year - 1, year - 2) if by_year[y]}
    history = [card_for(before[y]).card if y in before else None for y in (year - 1, year - 2)]
    previous = {v.indicator.code: v.result.value for v in before.get(year - 1, [])}
    lines = []
    for v in now:
        prev = previous.get(v.indicator.code)
        change = jump(v.result.value, prev) if v.result.value is not None else None
        lines.append(IndicatorLine(v, prev, change))
    used = sorted({x.period for vs in by_year[year].values() for x in vs})
    return SchoolYear(
        school,
        year,
        lines,
        card_for(now, history),
        violations(totals[year]),
        Status(sub.status) if sub else Status.draft,
        used,
    )


@dataclass(frozen=True, slots=True)
class Trace:
    indicator: str
    formula: str
    value: Decimal | None
    cells: list[StoredValue]  # the current values it was computed from, each with its provenance
    history: list[StoredValue]  # their earlier versions
    formula_en: str = ""


def trace(uow: SqlUnitOfWork, principal: Principal, code: str, year: int, indicator: str) -> Trace:
    """The cells one indicator value of one school and year comes from (file, SHA-256, sheet, cell,
    who, when), and the earlier versions of those values."""
    ind = INDICATOR_BY_CODE.get(indicator)
    if ind is None:
        raise NotFound(f"未知的指标“{indicator}”", code="quality_indicator_not_found")
    check_year(year)
    with uow.read():
        school = find_school(uow, principal, code)
        periods = [p.code for p in periods_of_year(year)]
        chosen = year_values(uow.quality.values([school.id], periods, elements=ind.inputs), year)
        everything = uow.quality.values([school.id], periods, current_only=False, elements=ind.inputs)
    cells = [v for code_ in ind.inputs for v in chosen.get(code_, [])]
    ids = {v.id for v in cells}
    used = {(v.period, v.element, v.category) for v in cells}
    history = [v for v in everything if v.id not in ids and (v.period, v.element, v.category) in used]
    return Trace(
        ind.code, ind.formula(), ind.compute(totals_of(chosen)).value, cells, history, ind.formula_en()
    )


# --- a province's schools ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchoolCard:
    school: School
    card: Card | None  # None: no data for the year
    below: tuple[str, ...]
    explanation: str
    status: Status
    outliers: list[str]
    values: dict[str, float | None]
    explanation_en: str = ""
    outliers_en: list[str] = field(default_factory=list)
    below_codes: tuple[str, ...] = ()  # the indicators below their 限制招生 line (for links to provenance)

    def explain(self, lang: str) -> str:
        return self.explanation_en if lang == "en" and self.explanation_en else self.explanation


def cards(
    uow: SqlUnitOfWork, principal: Principal, year: int, province: str | None = None
) -> list[SchoolCard]:
    """The card of every school in scope (a province's, or the nation's) for `year`, set-based (whole
    columns at once, `adapters.analytics.quality_verdicts`), with the outliers flagged for review and each school's workflow status."""
    from zhijiao.adapters.analytics.quality_verdicts import QualityVerdictEngine

    check_year(year)
    with uow.read():
        schools = visible_schools(uow, principal, province)
        ids = {s.id for s in schools}
        periods = [p.code for y in (year, year - 1, year - 2) for p in periods_of_year(y)]
        provinces = {s.province for s in schools}
        scope = province or (next(iter(provinces)) if len(provinces) == 1 else None)
        rows = [r for r in uow.quality.province_values(scope, periods) if r[0] in ids]
        standards = standards_in_force(uow)
        subs = {
            s.institution_id: Status(s.status)
            for s in uow.quality.submissions(ids, DATA_SET, [periods_of_year(year)[0].code])
        }
    engine = QualityVerdictEngine()
    engine.load_values(rows)
    engine.load_schools((s.id, s.province, s.level.value, s.discipline.value) for s in schools)
    engine.load_standards(standards)
    engine.compute([year])
    card_rows = {c.school_id: c for c in engine.cards([year])}
    values = engine.indicator_values(year)
    flagged: dict[int, list[str]] = {}
    flagged_en: dict[int, list[str]] = {}
    for o in engine.outliers([year]):
        ind = INDICATOR_BY_CODE[o.indicator]
        if o.kind == "robust_z":
            what, what_en = (
                "同类学校中显著偏离",
                f"far from peer schools of the same kind (robust z {o.score:+.2f})",
            )
            score = f"{o.score:+.2f}"
        else:
            what, what_en = "较上年变化超过50%", f"changed {o.score * 100:+.0f}% from last year"
            score = f"{o.score * 100:+.0f}%"
        flagged.setdefault(o.school_id, []).append(f"{ind.name}{what}（{score}）")
        flagged_en.setdefault(o.school_id, []).append(f"{ind.name_en} {what_en}")
    out = []
    for s in schools:
        row = card_rows.get(s.id)
        if row is None:
            out.append(
                SchoolCard(s, None, (), f"{year} 年度尚未填报数据", subs.get(s.id, Status.draft), [], {},
                           f"no data reported for {year} yet")
            )  # fmt: skip
            continue
        names = tuple(INDICATOR_BY_CODE[c].name for c in row.below)
        names_en = ", ".join(INDICATOR_BY_CODE[c].name_en for c in row.below)
        card = Card(row.card)
        if names:
            why, why_en = (
                "、".join(names) + "达不到限制招生线",
                f"{names_en} below the restricted-enrolment line",
            )
        elif row.has_lines:
            why, why_en = (
                "各项基本办学条件指标均达到限制招生线",
                "every basic condition meets its restricted-enrolment line",
            )
        else:
            why, why_en = (
                "本层次没有适用的限制招生线，不评定黄牌、红牌",
                "no restricted-enrolment lines apply at this level",
            )
        out.append(
            SchoolCard(s, card, names, f"{CARD_LABELS[card]}：{why}", subs.get(s.id, Status.draft),
                       flagged.get(s.id, []), values.get(s.id, {}), f"{CARD_LABELS_EN[card]}: {why_en}",
                       flagged_en.get(s.id, []), row.below)
        )  # fmt: skip
    return out


def element_name(code: str) -> str:
    e = ELEMENT_BY_CODE.get(code)
    return e.name if e else code
