"""Accumulation (积累): an account's totals by kind, framework level and year."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from zhijiao.domain.creditbank.model import Outcome, OutcomeKind, OutcomeStatus

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Totals:
    credits: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)
    count: int = 0


@dataclass(frozen=True, slots=True)
class Accumulation:
    total: Totals
    by_kind: dict[OutcomeKind, Totals] = field(default_factory=dict)
    by_framework_level: dict[int, Totals] = field(default_factory=dict)
    by_year: dict[int, Totals] = field(default_factory=dict)


def _group(outcomes: list[Outcome], key: Callable[[Outcome], K]) -> dict[K, Totals]:
    groups: dict[K, list[Outcome]] = {}
    for o in outcomes:
        k = key(o)
        if k in groups:
            groups[k].append(o)
        else:
            groups[k] = [o]
    return {k: _sum(members) for k, members in groups.items()}


def _sum(outcomes: list[Outcome]) -> Totals:
    return Totals(
        sum((o.credits for o in outcomes), Decimal(0)),
        sum((o.hours for o in outcomes if o.hours is not None), Decimal(0)),
        len(outcomes),
    )


def accumulate(outcomes: Iterable[Outcome]) -> Accumulation:
    """Sum active outcomes; revoked ones count for nothing."""
    active = [o for o in outcomes if o.status is OutcomeStatus.active]
    by_kind = _group(active, lambda o: o.kind)
    return Accumulation(
        total=_sum(active),
        by_kind={k: by_kind[k] for k in OutcomeKind if k in by_kind},
        by_framework_level=dict(sorted(_group(active, lambda o: o.framework_level).items())),
        by_year=dict(sorted(_group(active, lambda o: o.obtained_on.year).items())),
    )
