"""Reading the admission input files (UTF-8 or GBK CSV, or Excel) by column; every problem of every file
is reported at once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from zhijiao.adapters.spreadsheets.columns import Columns, read_columns
from zhijiao.domain.admissions.column_rows import parse_candidate_columns, parse_supplementary_columns
from zhijiao.domain.admissions.model import Programme
from zhijiao.domain.admissions.policy import Policy
from zhijiao.domain.admissions.rows import FileProblems, parse_majors, parse_programmes
from zhijiao.domain.admissions.table import CandidateTable, SupplementaryTable


@dataclass(frozen=True, slots=True)
class InputFile:
    """An input as read from disk or an upload: its name (no directory) and bytes."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(slots=True)
class Inputs:
    programmes: list[Programme]
    candidates: CandidateTable
    supplementary: SupplementaryTable | None = None
    problems: list[str] = field(default_factory=list)


def read_inputs(
    policy: Policy,
    programmes: InputFile,
    candidates: InputFile,
    majors: InputFile | None = None,
    supplementary: InputFile | None = None,
) -> Inputs:
    """Parse every file; raise `FileProblems` listing all problems of all files (nothing runs)."""
    problems: list[str] = []
    t = read_columns(programmes.name, programmes.data)
    groups, p = parse_programmes(programmes.name, t.raw_header, _rows(t), normalised=True)
    problems += p.items
    if majors is not None:
        t = read_columns(majors.name, majors.data)
        groups, p = parse_majors(majors.name, t.raw_header, _rows(t), groups, normalised=True)
        problems += p.items
    t = read_columns(candidates.name, candidates.data)
    try:
        people, p = parse_candidate_columns(candidates.name, t, policy, groups)
    finally:
        t.close()
    problems += p.items
    extra = None
    if supplementary is not None and (
        len(people) or not p.items
    ):  # (not against an unreadable candidates file)
        t = read_columns(supplementary.name, supplementary.data)
        try:
            extra, p = parse_supplementary_columns(supplementary.name, t, people, groups)
        finally:
            t.close()
        problems += p.items
    if problems:
        raise FileProblems(problems)
    return Inputs(groups, people, extra)


def _rows(t: Columns) -> list[tuple[int, tuple[str, ...]]]:
    try:
        return t.row_tuples(len(t.header))
    finally:
        t.close()
