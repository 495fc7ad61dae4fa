"""Verdicts and cards: an indicator's value against its line, and the school's card by the rule of
教发〔2004〕2号 — one basic condition below its 限制招生 line: yellow card (限制招生); two or more,
or yellow three years running: red card (暂停招生). Every verdict explains itself in Chinese."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from zhijiao.domain.quality.indicators import BASIC_2004, Direction, Indicator, IndicatorValue, Source
from zhijiao.domain.quality.standards import Standard


class Verdict(StrEnum):
    passed = "pass"
    warning = "warning"
    failed = "fail"


VERDICT_LABELS = {Verdict.passed: "达标", Verdict.warning: "预警", Verdict.failed: "不达标"}


class Card(StrEnum):
    passed = "pass"
    yellow = "yellow"
    red = "red"


CARD_LABELS = {Card.passed: "合格", Card.yellow: "黄牌（限制招生）", Card.red: "红牌（暂停招生）"}
# 表二备注 (checked against https://360docs.net/doc/268866136.html)
CARD_SOURCE = Source(
    *BASIC_2004,
    "凡有一项指标未达到规定要求的学校，即被确定为限制招生（黄牌）学校；凡两项或两项以上指标未达到规定要求的学校，"
    "即被确定为暂停招生（红牌）学校；凡连续三年被确定为“黄”牌的学校，第三年即被确定为暂停招生（红牌）学校",
)


VERDICT_LABELS_EN = {Verdict.passed: "pass", Verdict.warning: "warning", Verdict.failed: "fail"}
CARD_LABELS_EN = {
    Card.passed: "Pass", Card.yellow: "Yellow card (enrolment restricted)", Card.red: "Red card (enrolment suspended)",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class IndicatorVerdict:
    indicator: Indicator
    result: IndicatorValue
    standard: Standard | None
    verdict: Verdict
    below_restrict: bool  # counts toward the card
    explanation: str
    explanation_en: str = ""

    @property
    def threshold(self) -> Decimal | None:
        return self.standard.pass_line if self.standard else None

    def explain(self, lang: str) -> str:
        return self.explanation_en if lang == "en" and self.explanation_en else self.explanation


def _meets(direction: Direction, value: Decimal, line: Decimal) -> bool:
    return value >= line if direction is Direction.at_least else value <= line


def classify(indicator: Indicator, result: IndicatorValue, standard: Standard | None) -> tuple[Verdict, bool]:
    """The verdict alone, and whether the value counts toward the card (below its 限制招生 line) —
    what `judge` decides, without the explanation."""
    if result.value is None:
        basic = standard is not None and standard.restrict_line is not None
        return (Verdict.failed if basic else Verdict.warning), basic
    if standard is None or _meets(indicator.direction, result.value, standard.pass_line):
        return Verdict.passed, False
    restrict = standard.restrict_line
    if restrict is not None:
        below = not _meets(indicator.direction, result.value, restrict)
        return (Verdict.failed if below else Verdict.warning), below
    return (Verdict.warning if standard.below_is == "warning" else Verdict.failed), False


def card_of(below: int, previous: Sequence[Card | None] = ()) -> Card:
    """The card rule of 教发〔2004〕2号: `below` basic conditions under their 限制招生 lines this year;
    `previous`: the cards of the two years before, latest first."""
    if below >= 2:
        return Card.red
    if below == 1:
        yellow_before = len(previous) >= 2 and all(c in (Card.yellow, Card.red) for c in previous[:2])
        return Card.red if yellow_before else Card.yellow
    return Card.passed


def judge(indicator: Indicator, result: IndicatorValue, standard: Standard | None) -> IndicatorVerdict:
    """The verdict on one value: pass (meets the line), warning (below 合格, above 限制招生; or below a
    line that only warns), fail (below 限制招生, or below a line with none). A value that cannot be
    computed fails a basic condition (the data are required) and warns otherwise. Explained in
    Chinese and in English: the numbers, the formula, the line and its source."""
    ind = indicator
    sign = "≥" if ind.direction is Direction.at_least else "≤"
    formula = f"{ind.name} = {ind.formula()}"
    formula_en = f"{ind.name_en} = {ind.formula_en()}"
    if result.value is None:
        zero = result.denominator == 0
        missing = "分母为 0" if zero else "分子或分母数据缺失"
        missing_en = "the denominator is 0" if zero else "the numerator or denominator is missing"
        basic = standard is not None and standard.restrict_line is not None
        verdict = Verdict.failed if basic else Verdict.warning
        text = f"{formula}：{missing}，无法计算"
        text_en = f"{formula_en}: {missing_en}, so it cannot be computed"
        if standard is not None:
            text += f"；{standard.scope_label} {sign} {ind.show(standard.pass_line)}，来源：{standard.source.cite()}"
            text_en += (
                f"; {standard.scope_label_en} {sign} {ind.show_en(standard.pass_line)}, "
                f"source: {standard.source.cite_en()}"
            )
        text_en += f" — {VERDICT_LABELS_EN[verdict]}" + (
            "" if not basic else " (a basic condition must be reported)"
        )
        return IndicatorVerdict(ind, result, standard, verdict, basic, text + "。", text_en + ".")
    numbers = f"{_num(result.numerator)} ÷ {_num(result.denominator)}"
    if ind.denominator.strip() == "1":
        numbers = _num(result.numerator)
    shown = f"{formula} = {numbers} = {ind.show(result.value)}"
    shown_en = f"{formula_en} = {numbers} = {ind.show_en(result.value)}"
    if standard is None:
        return IndicatorVerdict(
            ind, result, None, Verdict.passed, False, f"{shown}；尚无适用标准，仅作监测。",
            f"{shown_en}; no standard applies: monitored only.",
        )  # fmt: skip
    line = f"{standard.scope_label}（合格）{sign} {ind.show(standard.pass_line)}"
    line_en = f"{standard.scope_label_en} (pass) {sign} {ind.show_en(standard.pass_line)}"
    restrict = standard.restrict_line
    if restrict is not None:
        line += f"，限制招生线 {sign} {ind.show(restrict)}"
        line_en += f", restricted-enrolment line {sign} {ind.show_en(restrict)}"
    value = result.value
    below_restrict = False
    if _meets(ind.direction, value, standard.pass_line):
        verdict, why, why_en = Verdict.passed, "达到合格标准", "meets the pass line"
    elif restrict is not None and _meets(ind.direction, value, restrict):
        verdict, why = Verdict.warning, "未达合格标准，但未低于限制招生线"
        why_en = "misses the pass line but not the restricted-enrolment line"
    elif restrict is not None:
        verdict, why, why_en, below_restrict = (
            Verdict.failed, "达不到限制招生线", "misses the restricted-enrolment line", True,
        )  # fmt: skip
    elif standard.below_is == "warning":
        verdict, why = Verdict.warning, "未达到标准（该标准为引导性要求，作预警）"
        why_en = "misses the line (a guiding line: a warning)"
    else:
        verdict, why, why_en = Verdict.failed, "未达到标准", "misses the line"
    text = f"{shown}；{line}；结论：{why}（{VERDICT_LABELS[verdict]}）。来源：{standard.source.cite()}"
    text += unverified_note(standard)
    text_en = (
        f"{shown_en}; {line_en}; verdict: {why_en} ({VERDICT_LABELS_EN[verdict]}). "
        f"Source: {standard.source.cite_en()}" + unverified_note(standard, en=True)
    )
    return IndicatorVerdict(ind, result, standard, verdict, below_restrict, text, text_en)


def unverified_note(standard: Standard, en: bool = False) -> str:
    """What could not be checked against the document's text, said plainly."""
    parts = []
    if not standard.verified:
        parts.append("pass line" if en else "合格线")
    if standard.restrict_line is not None and not standard.restrict_verified:
        parts.append("restricted-enrolment line" if en else "限制招生线")
    if not parts:
        return ""
    if en:
        return (
            f" (note: the {' and '.join(parts)} figure could not yet be checked against the document's text)"
        )
    return f"（注：{'和'.join(parts)}数值尚未能对照文件原文核实）"


def _num(v: Decimal | None) -> str:
    if v is None:
        return "—"
    text = format(v.quantize(Decimal("0.01")).normalize(), "f")
    return text


@dataclass(frozen=True, slots=True)
class CardVerdict:
    card: Card
    below: tuple[str, ...]  # names of the basic conditions below their 限制招生 line
    explanation: str
    explanation_en: str = ""

    def explain(self, lang: str) -> str:
        return self.explanation_en if lang == "en" and self.explanation_en else self.explanation


def card_for(verdicts: Sequence[IndicatorVerdict], previous: Sequence[Card | None] = ()) -> CardVerdict:
    """The card for one school and year; `previous`: its cards of the years before, latest first."""
    hits = [v.indicator for v in verdicts if v.below_restrict]
    below = tuple(i.name for i in hits)
    below_en = ", ".join(i.name_en for i in hits)
    yellow_before = len(previous) >= 2 and all(c in (Card.yellow, Card.red) for c in previous[:2])
    if len(below) >= 2:
        card, why = Card.red, f"{len(below)} 项基本办学条件指标达不到限制招生线（{'、'.join(below)}）"
        why_en = f"{len(below)} basic conditions miss their restricted-enrolment lines ({below_en})"
    elif len(below) == 1 and yellow_before:
        card, why = Card.red, f"“{below[0]}”达不到限制招生线，且已连续三年被黄牌警告"
        why_en = f"{below_en} misses its restricted-enrolment line, and the school has had a yellow card three years running"
    elif len(below) == 1:
        card, why = Card.yellow, f"“{below[0]}”达不到限制招生线"
        why_en = f"{below_en} misses its restricted-enrolment line"
    elif not any(v.standard is not None and v.standard.restrict_line is not None for v in verdicts):
        card, why = Card.passed, "本层次没有适用的限制招生线，不评定黄牌、红牌（各项指标见其结论）"
        why_en = "no restricted-enrolment lines apply at this level, so no yellow or red card (see each indicator's verdict)"
    else:
        card, why = Card.passed, "各项基本办学条件指标均达到限制招生线"
        why_en = "every basic condition meets its restricted-enrolment line"
    text = f"{CARD_LABELS[card]}：{why}。依据：{CARD_SOURCE.cite()}"
    text_en = f"{CARD_LABELS_EN[card]}: {why_en}. Rule: {CARD_SOURCE.cite_en()}"
    return CardVerdict(card, below, text, text_en)
