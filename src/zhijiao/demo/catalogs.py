"""The reference catalogs shipped as package data (see `zhijiao/data/SOURCES.md`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

LEVEL_BASE = {"zhongzhi": 60, "zhuanke": 40, "benke": 20}  # category code − base = category number 1…19


@dataclass(frozen=True, slots=True)
class Major:
    level: str  # zhongzhi (中职) / zhuanke (高职专科) / benke (职业本科)
    code: str
    name: str
    class_code: str

    @property
    def category(self) -> int:
        """Category number 1…19, the same across the three levels (1 农林牧渔 … 19 公共管理与服务)."""
        return int(self.code[:2]) - LEVEL_BASE[self.level]


def _rows(name: str) -> list[dict[str, str]]:
    text = files("zhijiao").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def majors(level: str) -> tuple[Major, ...]:
    """The majors of one level of the 2021 catalog, in catalog order."""
    return tuple(
        Major(r["level"], r["code"], r["name"], r["parent"])
        for r in _rows("majors-2021.csv")
        if r["level"] == level and r["item"] == "major"
    )


@cache
def provinces() -> dict[str, str]:
    """GB/T 2260 provincial code → name."""
    return {r["code"]: r["name"] for r in _rows("provinces-gbt2260.csv")}
