"""录取政策 (Policy): one per province and year, as data (YAML or JSON, see policy.schema.json).

“推进‘文化素质+职业技能’评价方式……职业技能测试分值不低于总分值的50%”（任务 15）: a policy whose
skill share is below 50 % is refused, naming the figures. “鼓励退役军人、下岗职工、农民工和高素质农民等
群体报考高职学校，可免予文化素质考试，只参加……职业适应性测试或职业技能测试”，“严格执行技能拔尖人才免试
入学条件”（任务 14）: the exempt groups and the exam-free skill champions are the policy's categories.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from zhijiao.domain.errors import ValidationFailed

MAX_DISPATCH_RATIO = Decimal("1.05")  # 平行志愿投档比例上限
SCALE = 100  # scores and weights are held as integers in hundredths


class Category(StrEnum):
    ordinary = "普通"
    veteran = "退役军人"
    laid_off = "下岗职工"
    migrant = "农民工"
    farmer = "高素质农民"
    champion = "技能拔尖"


EXEMPT_GROUPS = frozenset({Category.veteran, Category.laid_off, Category.migrant, Category.farmer})
CATEGORY_EN = {
    Category.ordinary: "ordinary",
    Category.veteran: "veteran",
    Category.laid_off: "laid_off_worker",
    Category.migrant: "migrant_worker",
    Category.farmer: "high_quality_farmer",
    Category.champion: "skill_champion",
}


class ExemptMode(StrEnum):
    skill_only = "skill_only"  # 仅按职业技能（适应性）测试成绩，在单列计划内排序
    fixed_culture = "fixed_culture"  # 文化素质部分按固定分值计入总分，与普通考生同一计划


class Tier(StrEnum):
    national = "国赛"
    provincial = "省赛"


PRIZES = {"一等奖": 1, "二等奖": 2, "三等奖": 3}
TIER_RANK = {Tier.national: 2, Tier.provincial: 1}
LEVELS = {"初级": 1, "中级": 2, "高级": 3, "技师": 4, "高级技师": 5}


@dataclass(frozen=True, slots=True)
class Part:
    """One part of the total: 文化素质 or 职业技能, with its full marks and weight."""

    name: str
    full_marks: Decimal
    weight: Decimal = Decimal(1)

    @property
    def weighted_full(self) -> Decimal:
        return self.full_marks * self.weight


@dataclass(frozen=True, slots=True)
class Component:
    """A named sub-score (e.g. 技能操作) read from its own column; used in the tie-break chain."""

    name: str
    column: str
    full_marks: Decimal


@dataclass(frozen=True, slots=True)
class AwardCondition:
    """技能拔尖免试 condition: an award of this tier with at least this prize (1 = 一等奖)."""

    tier: Tier
    min_prize: int

    def met_by(self, tier: Tier, prize: int) -> bool:
        return TIER_RANK[tier] >= TIER_RANK[self.tier] and prize <= self.min_prize

    @property
    def label(self) -> str:
        names = {v: k for k, v in PRIZES.items()}
        return f"{self.tier.value}{names[self.min_prize]}及以上"


@dataclass(frozen=True, slots=True)
class CertificateExemption:
    """职业技能等级证书（1+X）/职业资格证书 of at least `min_level`: skill test exempted, counted as `skill_score`."""

    min_level: int
    skill_score: Decimal


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    province_code: str
    year: int
    culture: Part
    skill: Part
    dispatch_ratio: Decimal
    batch_min_score: Decimal
    tie_break: tuple[str, ...]  # "skill" / "culture" / "component:<name>" / "preference"
    components: tuple[Component, ...] = ()
    exempt_mode: ExemptMode = ExemptMode.fixed_culture
    exempt_culture_value: Decimal | None = None
    exempt_min_skill_score: Decimal = Decimal(0)
    champion_conditions: tuple[AwardCondition, ...] = ()
    certificate_exemption: CertificateExemption | None = None
    source: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def total_full_marks(self) -> Decimal:
        return self.culture.weighted_full + self.skill.weighted_full

    @property
    def skill_share(self) -> Decimal:
        return self.skill.weighted_full / self.total_full_marks

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)


def _dec(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationFailed(f"不是数字：{value!r}", code="policy_invalid") from None


def _fmt(d: Decimal) -> str:
    return f"{d.normalize():f}"


def skill_share_problem(culture: Part, skill: Part) -> str | None:
    """The Chinese refusal when the skill test counts for less than half the total (任务 15)."""
    total = culture.weighted_full + skill.weighted_full
    if total <= 0:
        return "总分满分必须大于 0"
    share = skill.weighted_full / total
    if share >= Decimal("0.5"):
        return None
    return (
        f"职业技能测试分值占总分值的 {share * 100:.1f}%（{skill.name}满分 {_fmt(skill.full_marks)} × 权重 "
        f"{_fmt(skill.weight)} = {_fmt(skill.weighted_full)}，总分值 {_fmt(total)}），低于《职业教育提质培优"
        f"行动计划》要求的 50%（“职业技能测试分值不低于总分值的50%”），政策不予接受"
    )


def parse_policy(data: Mapping[str, Any]) -> Policy:
    """A policy from its schema-valid dict; every rule the schema cannot express is checked here,
    all problems reported at once."""
    problems: list[str] = []
    score = data["score"]

    def part(key: str) -> Part:
        p = score[key]
        return Part(str(p.get("name", "文化素质" if key == "culture" else "职业技能")),
                    _dec(p["full_marks"]), _dec(p.get("weight", 1)))  # fmt: skip

    culture, skill = part("culture"), part("skill")
    if (why := skill_share_problem(culture, skill)) is not None:
        problems.append(why)
    for p in (culture, skill):
        if _dec(p.weight * SCALE) != int(p.weight * SCALE) or _dec(p.full_marks * SCALE) != int(
            p.full_marks * SCALE
        ):
            problems.append(f"score.{'culture' if p is culture else 'skill'}：满分和权重最多保留两位小数")
    components = tuple(
        Component(str(c["name"]), str(c.get("column") or f"{c['name']}成绩"), _dec(c["full_marks"]))
        for c in score.get("components", ())
    )
    names = [c.name for c in components]
    if len(set(names)) != len(names):
        problems.append("score.components：组成部分名称重复")
    ratio = _dec(data.get("dispatch_ratio", 1))
    if ratio > MAX_DISPATCH_RATIO or ratio < 1:
        problems.append(f"dispatch_ratio：平行志愿投档比例 {_fmt(ratio)} 应在 1 与 {MAX_DISPATCH_RATIO} 之间")
    chain = tuple(str(t) for t in data.get("tie_break", ("skill", "culture", "preference")))
    for i, item in enumerate(chain):
        if item.startswith("component:") and item.removeprefix("component:") not in names:
            problems.append(f"tie_break[{i}]：未在 score.components 中定义的组成部分“{item[10:]}”")
    if len(set(chain)) != len(chain):
        problems.append("tie_break：同分排序规则有重复项")
    if "preference" in chain and chain[-1] != "preference":
        problems.append("tie_break：志愿顺序（preference）只能是最后一项")
    exempt = data.get("exempt_groups", {})
    mode = ExemptMode(exempt.get("mode", ExemptMode.fixed_culture.value))
    culture_value = _dec(exempt["culture_value"]) if "culture_value" in exempt else None
    if mode is ExemptMode.fixed_culture:
        if culture_value is None:
            problems.append(
                "exempt_groups.culture_value：mode 为 fixed_culture 时必须给出文化素质计入的固定分值"
            )
        elif culture_value > culture.full_marks:
            problems.append(
                f"exempt_groups.culture_value：固定分值 {_fmt(culture_value)} 超过文化素质满分 {_fmt(culture.full_marks)}"
            )
    champions = tuple(
        AwardCondition(Tier(c["tier"]), PRIZES[c["min_prize"]])
        for c in data.get("skill_champions", {}).get("conditions", ())
    )
    cert = data.get("certificate_exemption")
    exemption = None
    if cert:
        exemption = CertificateExemption(LEVELS[cert["min_level"]], _dec(cert["skill_score"]))
        if exemption.skill_score > skill.full_marks:
            problems.append(
                f"certificate_exemption.skill_score：{_fmt(exemption.skill_score)} 超过职业技能满分 {_fmt(skill.full_marks)}"
            )
    if problems:
        raise PolicyInvalid(problems)
    return Policy(
        name=str(data["name"]), province_code=str(data["province_code"]), year=int(data["year"]),
        culture=culture, skill=skill, dispatch_ratio=ratio, batch_min_score=_dec(data.get("batch_min_score", 0)),
        tie_break=chain, components=components, exempt_mode=mode, exempt_culture_value=culture_value,
        exempt_min_skill_score=_dec(exempt.get("min_skill_score", 0)), champion_conditions=champions,
        certificate_exemption=exemption, source=dict(data),
    )  # fmt: skip


class PolicyInvalid(ValidationFailed):
    """The policy breaks a rule; `errors` lists every problem."""

    code = "policy_invalid"

    def __init__(self, errors: list[str]) -> None:
        super().__init__("录取政策校验失败：\n" + "\n".join(errors))
        self.errors = tuple(errors)
