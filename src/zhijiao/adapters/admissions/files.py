"""Reading the admission input files (UTF-8 or GBK CSV, or Excel) through the shared table reader; every
problem of every file is reported at once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from zhijiao.adapters.spreadsheets.reading import read_table
from zhijiao.domain.admissions.model import Candidate, Programme
from zhijiao.domain.admissions.policy import Policy
from zhijiao.domain.admissions.rounds import Preferences
from zhijiao.domain.admissions.rows import (
    FileProblems,
    parse_candidates,
    parse_majors,
    parse_programmes,
    parse_supplementary,
)


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
    candidates: list[Candidate]
    supplementary: dict[int, Preferences] | None = None
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
    t = read_table(programmes.name, programmes.data)
    groups, p = parse_programmes(programmes.name, t.header, t.rows, normalised=t.normalised)
    problems += p.items
    if majors is not None:
        t = read_table(majors.name, majors.data)
        groups, p = parse_majors(majors.name, t.header, t.rows, groups, normalised=t.normalised)
        problems += p.items
    t = read_table(candidates.name, candidates.data)
    people, p = parse_candidates(candidates.name, t.header, t.rows, policy, groups, normalised=t.normalised)
    problems += p.items
    extra = None
    if supplementary is not None and (people or not p.items):  # (not against an unreadable candidates file)
        t = read_table(supplementary.name, supplementary.data)
        extra, p = parse_supplementary(
            supplementary.name, t.header, t.rows, people, groups, normalised=t.normalised
        )
        problems += p.items
    if problems:
        raise FileProblems(problems)
    return Inputs(groups, people, extra)
