"""The data an admission run works on: 专业组 with their majors, and candidates (scores in hundredths)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from zhijiao.domain.admissions.policy import Category, Tier


@dataclass(frozen=True, slots=True)
class Major:
    code: str
    name: str
    quota: int


@dataclass(frozen=True, slots=True)
class Programme:
    """专业组 (MajorGroup) of a school: its plan, optionally split among majors, and the separate plan
    (单列计划) for the exempt groups when the policy ranks them on the skill score alone."""

    code: str
    school_code: str
    school_name: str
    quota: int
    separate_quota: int = 0
    majors: tuple[Major, ...] = ()


@dataclass(slots=True)
class Candidate:
    """One candidate. Scores are integers in hundredths (87.5 → 8750); None = no score (缺考/免考).

    `choices` are indices into the run's programmes, in preference order; `major_orders[i]` the major
    codes the candidate put under choice i (empty: no order). `award` and `certificate_level` are claims
    that the service has already checked against the credit bank where the candidate has an account;
    `check_note` says what that check found (it is added to the reason)."""

    no: str
    name: str
    category: Category
    culture: int | None
    skill: int | None
    choices: tuple[int, ...]
    reassign: bool
    major_orders: tuple[tuple[str, ...], ...] = ()
    components: tuple[int | None, ...] = ()
    award: tuple[Tier, int] | None = None
    certificate_level: int | None = None
    account_no: str | None = None
    check_note: str = ""
    row: int = 0
    query_code: str | None = (
        None  # 查询码 the examination office gave the candidate (second factor of the look-up)
    )

    def majors_for(self, position: int) -> tuple[str, ...]:
        return self.major_orders[position] if position < len(self.major_orders) else ()


@dataclass(frozen=True, slots=True)
class Preferences:
    """A candidate's preferences for one round (the supplementary round brings new ones)."""

    choices: tuple[int, ...]
    major_orders: tuple[tuple[str, ...], ...] = ()
    reassign: bool = True

    def majors_for(self, position: int) -> tuple[str, ...]:
        return self.major_orders[position] if position < len(self.major_orders) else ()


class Result(StrEnum):
    admitted = "录取"
    rejected = "退档"
    not_dispatched = "未投档"


RESULT_EN = {
    Result.admitted: "admitted",
    Result.rejected: "rejected",
    Result.not_dispatched: "not dispatched",
}


@dataclass(slots=True)
class Outcome:
    """Where a candidate ended: result, group (index), major code, the reason (Chinese sentence)."""

    result: Result = Result.not_dispatched
    group: int = -1
    major: str = ""
    reason: str = ""
    round: int = 0
    total: int | None = None  # ten-thousandths of a point (score × weight), for the line
    rank: int = 0  # 位次 in the candidate's pool (0: not ranked)


@dataclass(frozen=True, slots=True)
class Line:
    """投档线 of one group in one round."""

    group: int
    quota: int
    dispatched: int
    min_total: int | None  # ten-thousandths
    min_rank: int | None


@dataclass(slots=True)
class RunResult:
    outcomes: Sequence[Outcome]
    lines: list[Line]
    separate_lines: list[Line] = field(default_factory=list)
    supplementary_lines: list[Line] = field(default_factory=list)
    admitted_per_group: list[int] = field(default_factory=list)
    columns: Any = None  # rounds.OutcomeColumns: the same outcomes as arrays (the fast path's)
