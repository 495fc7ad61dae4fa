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


@dataclass(frozen=True, slots=True)
class IndicatorVerdict:
    indicator: Indicator
    result: IndicatorValue
    standard: Standard | None
    verdict: Verdict
    below_restrict: bool  # counts toward the card
    explanation: str

    @property
    def threshold(self) -> Decimal | None:
        return self.standard.pass_line if self.standard else None


def _meets(direction: Direction, value: Decimal, line: Decimal) -> bool:
    return value >= line if direction is Direction.at_least else value <= line


def judge(indicator: Indicator, result: IndicatorValue, standard: Standard | None) -> IndicatorVerdict:
    """The verdict on one value: pass (meets the line), warning (below 合格, above 限制招生; or below a
    line that only warns), fail (below 限制招生, or below a line with none). A value that cannot be
    computed fails a basic condition (the data are required) and warns otherwise."""
    sign = "≥" if indicator.direction is Direction.at_least else "≤"
    formula = f"{indicator.name} = {indicator.formula()}"
    if result.value is None:
        missing = "分子或分母数据缺失" if result.denominator != 0 else "分母为 0"
        basic = standard is not None and standard.restrict_line is not None
        verdict = Verdict.failed if basic else Verdict.warning
        text = f"{formula}：{missing}，无法计算"
        if standard is not None:
            text += f"；{standard.scope_label} {sign} {indicator.show(standard.pass_line)}，来源：{standard.source.cite()}"
        return IndicatorVerdict(indicator, result, standard, verdict, basic, text + "。")
    numbers = (
        f"{formula} = {_num(result.numerator)} ÷ {_num(result.denominator)} = {indicator.show(result.value)}"
    )
    if standard is None:
        return IndicatorVerdict(
            indicator, result, None, Verdict.passed, False, f"{numbers}；尚无适用标准，仅作监测。"
        )
    line = f"{standard.scope_label}（合格）{sign} {indicator.show(standard.pass_line)}"
    restrict = standard.restrict_line
    if restrict is not None:
        line += f"，限制招生线 {sign} {indicator.show(restrict)}"
    value = result.value
    below_restrict = False
    if _meets(indicator.direction, value, standard.pass_line):
        verdict, why = Verdict.passed, "达到合格标准"
    elif restrict is not None and _meets(indicator.direction, value, restrict):
        verdict, why = Verdict.warning, "未达合格标准，但未低于限制招生线"
    elif restrict is not None:
        verdict, why, below_restrict = Verdict.failed, "达不到限制招生线", True
    elif standard.below_is == "warning":
        verdict, why = Verdict.warning, "未达到标准（该标准为引导性要求，作预警）"
    else:
        verdict, why = Verdict.failed, "未达到标准"
    text = f"{numbers}；{line}；结论：{why}（{VERDICT_LABELS[verdict]}）。来源：{standard.source.cite()}"
    text += unverified_note(standard)
    return IndicatorVerdict(indicator, result, standard, verdict, below_restrict, text)


def unverified_note(standard: Standard) -> str:
    """What could not be checked against the document's text, said plainly."""
    parts = []
    if not standard.verified:
        parts.append("合格线")
    if standard.restrict_line is not None and not standard.restrict_verified:
        parts.append("限制招生线")
    return f"（注：{'和'.join(parts)}数值尚未能对照文件原文核实）" if parts else ""


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


def card_for(verdicts: Sequence[IndicatorVerdict], previous: Sequence[Card | None] = ()) -> CardVerdict:
    """The card for one school and year; `previous`: its cards of the years before, latest first."""
    below = tuple(v.indicator.name for v in verdicts if v.below_restrict)
    yellow_before = len(previous) >= 2 and all(c in (Card.yellow, Card.red) for c in previous[:2])
    if len(below) >= 2:
        card, why = Card.red, f"{len(below)} 项基本办学条件指标达不到限制招生线（{'、'.join(below)}）"
    elif len(below) == 1 and yellow_before:
        card, why = Card.red, f"“{below[0]}”达不到限制招生线，且已连续三年被黄牌警告"
    elif len(below) == 1:
        card, why = Card.yellow, f"“{below[0]}”达不到限制招生线"
    elif not any(v.standard is not None and v.standard.restrict_line is not None for v in verdicts):
        card, why = Card.passed, "本层次没有适用的限制招生线，不评定黄牌、红牌（各项指标见其结论）"
    else:
        card, why = Card.passed, "各项基本办学条件指标均达到限制招生线"
    text = f"{CARD_LABELS[card]}：{why}。依据：{CARD_SOURCE.cite()}"
    return CardVerdict(card, below, text)
