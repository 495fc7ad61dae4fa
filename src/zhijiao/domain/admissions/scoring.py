"""“文化素质+职业技能”评价: each candidate's pool, total score, ranking key and 位次.

Pools: 免试 (技能拔尖 meeting a listed condition: admitted before the examination pools), 普通计划
(普通 candidates, and the exempt groups when the culture part counts at a fixed value), 单列计划
(the exempt groups ranked on the skill score alone). A candidate who cannot be ranked gets a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from zhijiao.domain.admissions.model import Candidate
from zhijiao.domain.admissions.policy import (
    EXEMPT_GROUPS,
    SCALE,
    TIER_RANK,
    Category,
    ExemptMode,
    Policy,
)

_FIELD = 1 << 40  # each tie-break value gets its own 40-bit field of the composite key


class Pool(StrEnum):
    exam_free = "免试"
    general = "普通计划"
    separate = "单列计划"


@dataclass(slots=True)
class Assessment:
    """Per candidate (by index): pool (None: not ranked), total (ten-thousandths), key (higher is
    better), 位次 inside the pool, and why a candidate is not ranked."""

    pool: list[Pool | None]
    total: list[int | None]
    key: list[int]
    order: dict[Pool, list[int]]  # candidate indices of each pool, best first
    rank: list[int]
    why: list[str]


def _hundredths(value: object) -> int:
    return round(float(str(value)) * SCALE)


def champion_condition(policy: Policy, c: Candidate) -> bool:
    return c.award is not None and any(cond.met_by(*c.award) for cond in policy.champion_conditions)


def effective_skill(policy: Policy, c: Candidate) -> int | None:
    """The skill score, or the fixed score of a certificate exemption (the higher, if the candidate
    also sat the test)."""
    ex = policy.certificate_exemption
    if ex is not None and c.certificate_level is not None and c.certificate_level >= ex.min_level:
        fixed = _hundredths(ex.skill_score)
        return fixed if c.skill is None else max(fixed, c.skill)
    return c.skill


def assess(policy: Policy, candidates: Sequence[Candidate]) -> Assessment:
    wc, ws = _hundredths(policy.culture.weight), _hundredths(policy.skill.weight)
    line = _hundredths(policy.batch_min_score) * SCALE
    fixed_culture = (
        _hundredths(policy.exempt_culture_value) if policy.exempt_culture_value is not None else None
    )
    exempt_min = _hundredths(policy.exempt_min_skill_score)
    chain = [t for t in policy.tie_break if t != "preference"]
    comp_index = {comp.name: i for i, comp in enumerate(policy.components)}
    n = len(candidates)
    pool: list[Pool | None] = [None] * n
    total: list[int | None] = [None] * n
    key = [0] * n
    why = [""] * n
    line_text = f"{policy.batch_min_score.normalize():f}"
    skill_only = policy.exempt_mode is ExemptMode.skill_only
    for i, c in enumerate(candidates):
        cat = c.category
        skill = effective_skill(policy, c)
        if cat is Category.champion and champion_condition(policy, c):
            assert c.award is not None
            pool[i] = Pool.exam_free
            tier, prize = c.award
            key[i] = (
                ((TIER_RANK[tier] * 10 + 4 - prize) * _FIELD + (skill or 0) + 1) * _FIELD
                + (c.culture or 0)
                + 1
            )
            continue
        if cat in EXEMPT_GROUPS:
            if skill is None:
                why[i] = "无职业技能（适应性）测试成绩，未投档"
                continue
            if skill_only:
                if skill < exempt_min:
                    why[i] = "职业技能成绩低于单列计划最低分数线，未投档"
                    continue
                pool[i], total[i] = Pool.separate, skill * SCALE
                key[i] = skill * SCALE
                culture: int | None = c.culture
            else:
                culture = fixed_culture
        else:
            culture = c.culture
            if culture is None or skill is None:
                why[i] = (
                    "不符合技能拔尖免试条件，且无考试成绩，未投档"
                    if cat is Category.champion and culture is None and skill is None
                    else "缺少文化素质或职业技能成绩（缺考），未投档"
                )
                continue
        if pool[i] is None:
            assert culture is not None and skill is not None
            t = culture * wc + skill * ws
            total[i] = t
            if t < line:
                why[i] = f"总分低于批次最低控制线（{line_text} 分），未投档"
                continue
            pool[i] = Pool.general
            key[i] = t
        k = key[i]
        for item in chain:
            if item == "skill":
                v = skill or 0
            elif item == "culture":
                v = culture or 0
            else:
                ci = comp_index[item[10:]]
                part = c.components[ci] if ci < len(c.components) else None
                v = -1 if part is None else part
            k = k * _FIELD + v + 1
        key[i] = k
    order: dict[Pool, list[int]] = {p: [] for p in Pool}
    for i, p in enumerate(pool):
        if p is not None:
            order[p].append(i)
    rank = [0] * n
    for members in order.values():
        members.sort(key=key.__getitem__, reverse=True)
        previous, at = None, 0
        for pos, i in enumerate(members, start=1):
            if key[i] != previous:
                previous, at = key[i], pos
            rank[i] = at
    return Assessment(pool, total, key, order, rank, why)
