"""Candidates as columns: one numpy array per field, so a province's million candidates are read, ranked,
dispatched and written without one Python object per candidate.

Scores are integers in hundredths with −1 for “no score”; choices are group indices (−1 pads a row);
`orders[i, j]` is the id of the major order under choice j in the table's `order_codes` (0: no order).
The few sparse text fields (学习账号, 查询码, the credit bank's note) are dictionaries by candidate index.
`table[i]` builds the `Candidate` object of one row (pages, publication, the credit-bank check).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from zhijiao.domain.admissions.model import Candidate
from zhijiao.domain.admissions.policy import Category, Tier

CATEGORIES: tuple[Category, ...] = tuple(Category)
CATEGORY_CODE = {c: i for i, c in enumerate(CATEGORIES)}
TIERS: tuple[Tier, ...] = tuple(Tier)
TIER_CODE = {t: i for i, t in enumerate(TIERS)}
NONE = -1


class OrderCodes:
    """The distinct major orders of a run, each with its group: (group index, major codes); id 0 is
    “no order”."""

    def __init__(self) -> None:
        self.codes: list[tuple[int, tuple[str, ...]]] = [(-1, ())]
        self._ids: dict[tuple[int, tuple[str, ...]], int] = {}

    def id(self, group: int, order: tuple[str, ...]) -> int:
        if not order:
            return 0
        key = (group, order)
        i = self._ids.get(key)
        if i is None:
            i = self._ids[key] = len(self.codes)
            self.codes.append(key)
        return i


def _opt(v: int) -> int | None:
    return None if v < 0 else int(v)


@dataclass(slots=True)
class CandidateTable(Sequence[Candidate]):
    no: Sequence[str]
    name: Sequence[str]
    category: np.ndarray  # int8, index into CATEGORIES
    culture: np.ndarray  # int64 hundredths, −1: none
    skill: np.ndarray
    reassign: np.ndarray  # bool
    choices: np.ndarray  # int32 (n, k), −1 padded, in preference order
    orders: np.ndarray  # int32 (n, k), id in order_codes (0: none)
    order_codes: OrderCodes
    components: np.ndarray  # int64 (n, c), −1: none
    award_tier: np.ndarray  # int8, −1: none
    award_prize: np.ndarray  # int8
    certificate: np.ndarray  # int16, −1: none
    row: np.ndarray  # int64
    account_no: dict[int, str] = field(default_factory=dict)
    query_code: dict[int, str] = field(default_factory=dict)
    check_note: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.no)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        ch = self.choices[i]
        k = int((ch >= 0).sum())
        ords = self.orders[i, :k]
        tier = int(self.award_tier[i])
        return Candidate(
            str(self.no[i]), str(self.name[i]), CATEGORIES[int(self.category[i])],
            _opt(self.culture[i]), _opt(self.skill[i]), tuple(int(g) for g in ch[:k]), bool(self.reassign[i]),
            tuple(self.order_codes.codes[int(o)][1] for o in ords) if ords.any() else (),
            tuple(_opt(v) for v in self.components[i]),
            (TIERS[tier], int(self.award_prize[i])) if tier >= 0 else None,
            _opt(self.certificate[i]), self.account_no.get(i), self.check_note.get(i, ""), int(self.row[i]),
            self.query_code.get(i),
        )  # fmt: skip

    def __iter__(self) -> Iterator[Candidate]:
        for i in range(len(self)):
            yield self[i]

    def set_claims(self, i: int, award: tuple[Tier, int] | None, level: int | None, note: str) -> None:
        """What the credit bank found for candidate i replaces the file's claims."""
        self.award_tier[i] = TIER_CODE[award[0]] if award else NONE
        self.award_prize[i] = award[1] if award else 0
        self.certificate[i] = NONE if level is None else level
        if note:
            self.check_note[i] = note
        else:
            self.check_note.pop(i, None)

    @classmethod
    def of(cls, candidates: Sequence[Candidate], n_components: int = 0) -> CandidateTable:
        """The columns of candidate objects (tests, small runs)."""
        if isinstance(candidates, CandidateTable):
            return candidates
        n = len(candidates)
        k = max((len(c.choices) for c in candidates), default=0)
        width = max([n_components, *(len(c.components) for c in candidates)])
        codes = OrderCodes()
        choices = np.full((n, max(k, 1)), NONE, np.int32)
        orders = np.zeros((n, max(k, 1)), np.int32)
        comps = np.full((n, width), NONE, np.int64)
        for i, c in enumerate(candidates):
            choices[i, : len(c.choices)] = c.choices
            for j in range(len(c.choices)):
                orders[i, j] = codes.id(c.choices[j], tuple(c.majors_for(j)))
            for j, v in enumerate(c.components):
                comps[i, j] = NONE if v is None else v
        t = cls(
            [c.no for c in candidates], [c.name for c in candidates],
            np.array([CATEGORY_CODE[c.category] for c in candidates], np.int8),
            np.array([NONE if c.culture is None else c.culture for c in candidates], np.int64),
            np.array([NONE if c.skill is None else c.skill for c in candidates], np.int64),
            np.array([c.reassign for c in candidates], np.bool_), choices, orders, codes, comps,
            np.array([TIER_CODE[c.award[0]] if c.award else NONE for c in candidates], np.int8),
            np.array([c.award[1] if c.award else 0 for c in candidates], np.int8),
            np.array([NONE if c.certificate_level is None else c.certificate_level for c in candidates], np.int16),
            np.array([c.row for c in candidates], np.int64),
            {i: c.account_no for i, c in enumerate(candidates) if c.account_no},
            {i: c.query_code for i, c in enumerate(candidates) if c.query_code},
            {i: c.check_note for i, c in enumerate(candidates) if c.check_note},
        )  # fmt: skip
        return t


@dataclass(slots=True)
class SupplementaryTable:
    """征集志愿: the candidates (indices) who gave new preferences, with them."""

    candidate: np.ndarray  # int64 candidate indices
    choices: np.ndarray  # int32 (m, k), −1 padded
    orders: np.ndarray  # int32 (m, k), ids in the candidates' table's order_codes
    reassign: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.candidate)

    @classmethod
    def of(cls, prefs: Mapping[int, Any], codes: OrderCodes) -> SupplementaryTable:
        """From {candidate index: Preferences} (tests, small runs)."""
        items = sorted(prefs.items())
        k = max((len(p.choices) for _, p in items), default=0)
        m = len(items)
        choices = np.full((m, max(k, 1)), NONE, np.int32)
        orders = np.zeros((m, max(k, 1)), np.int32)
        for r, (_, p) in enumerate(items):
            choices[r, : len(p.choices)] = p.choices
            for j in range(len(p.choices)):
                orders[r, j] = codes.id(p.choices[j], tuple(p.majors_for(j)))
        return cls(
            np.array([i for i, _ in items], np.int64), choices, orders,
            np.array([p.reassign for _, p in items], np.bool_),
        )  # fmt: skip
