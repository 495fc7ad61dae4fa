"""The outcome-import row: its columns, and parsing one row's cells into typed values.

Parsing checks each cell on its own (format, range, kind, date); what needs the database
(issuer known, account name consistent, duplicates) is checked by the import service.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from zhijiao.domain.creditbank.model import (
    CERTIFICATE_KINDS,
    LEVEL_LABELS,
    OUTCOME_KIND_LABELS,
    Grade,
    Level,
    OutcomeKind,
)
from zhijiao.domain.errors import ValidationFailed
from zhijiao.domain.identity import parse_national_id
from zhijiao.domain.text import clean


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str  # Chinese header, as in the template
    aliases: tuple[str, ...]
    required: bool
    help: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "national_id",
        "身份证号",
        ("national_id", "id_number", "居民身份证号", "身份证号码", "居民身份证号码", "证件号码", "证件号"),
        True,
        "18位居民身份证号",
    ),
    Column("name", "姓名", ("name",), True, "学习者姓名，须与已有账号一致"),
    Column(
        "kind",
        "成果类型",
        ("kind", "outcome_kind"),
        True,
        "课程、职业技能等级证书、职业资格证书、职业培训、技能竞赛获奖、工作经历、在线课程",
    ),
    Column("title", "成果名称", ("title", "outcome_name"), True, "如“Python程序设计”“Web前端开发（中级）”"),
    Column("code", "成果代码", ("code", "outcome_code"), False, "课程代码或证书代码，可空"),
    Column(
        "issuer",
        "颁发机构",
        ("issuer", "issuer_name"),
        True,
        "已登记机构的名称、统一社会信用代码或学校标识码",
    ),
    Column("hours", "学时", ("hours",), False, "非负数；只填学时时按记录规则折算学分"),
    Column("credits", "学分", ("credits",), False, "非负数，0.5的整数倍；可空"),
    Column("score", "成绩", ("score", "grade"), False, "百分制0—100，或 优/良/中/及格/不及格"),
    Column("level", "等级", ("level",), False, "初级/中级/高级（证书必填），技师/高级技师"),
    Column(
        "obtained_on",
        "获得日期",
        ("obtained_on", "date", "obtained_date"),
        True,
        "如 2024-06-30，不得晚于今天",
    ),
)

COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

_KIND_BY_TEXT: dict[str, OutcomeKind] = {label: kind for kind, label in OUTCOME_KIND_LABELS.items()}
_KIND_BY_TEXT.update({kind.value: kind for kind in OutcomeKind})
_KIND_BY_TEXT.update({"1+X证书": OutcomeKind.skill_certificate, "1+x证书": OutcomeKind.skill_certificate})
_LEVEL_BY_TEXT: dict[str, Level] = {label: level for level, label in LEVEL_LABELS.items()}
_LEVEL_BY_TEXT.update({str(int(level)): level for level in Level})
_GRADES = {g.value: g for g in Grade}
# with separators (2024-6-30, 2024/06/30, 2024年6月30日), or exactly eight digits (20240630): 2023111
# could be 2023-11-1 or 2023-1-11, so a date without separators must be eight digits
_DATE_RE = re.compile(
    r"^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?$|^([0-9]{4})([0-9]{2})([0-9]{2})$"
)
_DIGITS_RE = re.compile(r"^[0-9]{5,7}$")
GRADE_TEXT = "优/良/中/及格/不及格"
MAX_HOURS = Decimal(20000)


def header_map(headers: list[str]) -> tuple[dict[int, str], list[str]]:
    """Map spreadsheet column positions to column keys. Returns (position → key, problems)."""
    lookup: dict[str, str] = {}
    for c in COLUMNS:
        for name in (c.header, *c.aliases):
            lookup[name.strip().lower()] = c.key
    positions: dict[int, str] = {}
    problems: list[str] = []
    for i, h in enumerate(headers):
        key = lookup.get((h or "").strip().lower())
        if key is None:
            if (h or "").strip():
                problems.append(f"无法识别的列“{h}”")
            continue
        if key in positions.values():
            problems.append(f"列“{h}”重复")
            continue
        positions[i] = key
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions.values()]
    if missing:
        problems.append("缺少必需的列：" + "、".join(missing))
    return positions, problems


class NumberText(str):
    """The text of a cell that the spreadsheet stored as a number (not as text): for an ID number the
    last digits may already be lost (Excel keeps 15 significant digits), so it is refused as such."""

    __slots__ = ()


ID_AS_NUMBER = "身份证号单元格是数字格式（Excel 只保留 15 位有效数字，末几位可能已丢失）：请把该列设为“文本”格式后重新输入"
_SCIENTIFIC_RE = re.compile(r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$")


def _id_cell_problem(raw: str) -> str | None:
    """The problem of an ID cell that a spreadsheet turned into a number (4.40303E+17), if it is one."""
    if isinstance(raw, NumberText) or _SCIENTIFIC_RE.match(raw.strip()):
        return ID_AS_NUMBER
    return None


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    national_id: str
    name: str
    kind: OutcomeKind
    title: str
    code: str | None
    issuer: str
    hours: Decimal | None
    credits: Decimal | None
    score: Decimal | None
    grade: Grade | None
    level: Level | None
    obtained_on: date


def _decimal(text: str, label: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(f"{label}“{text}”不是数字") from None
    if not value.is_finite():
        raise ValidationFailed(f"{label}“{text}”不是数字")
    return value


def parse_date(text: str, today: date) -> date:
    text = clean(text)
    m = _DATE_RE.match(text)
    if m is None and _DIGITS_RE.match(text):
        raise ValidationFailed(
            f"日期“{text}”有歧义：不带分隔符时须为 8 位数字 YYYYMMDD（如 20231101），或写作 2023-11-01"
        )
    if m is None:
        # Excel and openpyxl give "2024-06-30 00:00:00"
        try:
            value = datetime.fromisoformat(text).date()
        except ValueError:
            raise ValidationFailed(f"日期“{text}”格式不正确，应为 YYYY-MM-DD") from None
    else:
        try:
            y, mo, d = (
                (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
            )
            value = date(int(y), int(mo), int(d))
        except ValueError:
            raise ValidationFailed(f"日期“{text}”不存在") from None
    if value > today:
        raise ValidationFailed(f"获得日期 {value.isoformat()} 晚于今天")
    if value.year < 1950:
        raise ValidationFailed(f"获得日期 {value.isoformat()} 过早")
    return value


def parse_row(cells: dict[str, str], today: date) -> tuple[OutcomeRow | None, list[tuple[str, str]]]:
    """Parse one row's cells (column key → text). Returns the row or the list of (column key, message)."""
    return RowParser(today).parse(cells)


_REQUIRED = tuple((c.key, f"“{c.header}”不能为空") for c in COLUMNS if c.required)
_LIMITS = tuple((key, limit, f"“{COLUMN_BY_KEY[key].header}”超过 {limit} 个字符") for key, limit in (("name", 50), ("title", 200), ("code", 64), ("issuer", 200)))  # fmt: skip
CACHE_LIMIT = 1_000_000  # distinct texts remembered per column
TEXT_CACHE_LIMIT = 300_000  # distinct cell texts whose normalised form is remembered (all columns)
_EMPTY: tuple[object, str | None] = (None, None)


class RowParser:
    """Parses rows as `parse_row` does, remembering the result for each distinct cell text.

    Import files repeat the same texts (a learner's ID on each of their rows, a handful of dates,
    hours and levels), so each distinct text is checked once per file; the checks are the same.
    A row without problems takes a straight path; a row with any problem is checked again by
    `parse_reporting`, which lists every problem.
    """

    def __init__(self, today: date) -> None:
        self.today = today
        self._parsers: tuple[tuple[str, Callable[[str], object]], ...] = (
            ("national_id", lambda t: parse_national_id(t, today=today).value),
            ("kind", _parse_kind),
            (
                "hours",
                lambda t: _stored_exactly(_non_negative(_decimal(t, "学时"), "学时", MAX_HOURS), t, "学时"),
            ),
            ("credits", lambda t: _non_negative(_decimal(t, "学分"), "学分", Decimal(100))),
            ("score", _parse_score),
            ("level", _parse_level),
            ("obtained_on", lambda t: parse_date(t, today)),
        )
        self._caches: dict[str, dict[str, tuple[object, str | None]]] = {k: {} for k, _ in self._parsers}
        self._by_key = dict(self._parsers)
        self._texts: dict[str, str] = {"": ""}  # cell text → `clean` of it

    def _text(self, raw: str) -> str:
        """`clean(raw)`, remembered (up to TEXT_CACHE_LIMIT distinct texts)."""
        cleaned = clean(raw)
        if len(self._texts) < TEXT_CACHE_LIMIT:
            self._texts[raw] = cleaned
        return cleaned

    def _remember(self, key: str, text: str) -> tuple[object, str | None]:
        """(value, None) or (None, problem) for a non-empty cell text of column `key`."""
        cache = self._caches[key]
        hit = cache.get(text)
        if hit is None:
            try:
                hit = (self._by_key[key](text), None)
            except ValidationFailed as e:
                hit = (None, e.message)
            if len(cache) < CACHE_LIMIT:
                cache[text] = hit
        return hit

    def value(self, key: str, cells: dict[str, str]) -> object:
        """The parsed value of one column of `cells` (None when empty or invalid)."""
        text = _clean(cells.get(key) or "")
        return self._remember(key, text)[0] if text else None

    def parse(self, cells: dict[str, str]) -> tuple[OutcomeRow | None, list[tuple[str, str]]]:
        raw_nid = cells.get("national_id") or ""
        if raw_nid.__class__ is not str:  # a number-typed spreadsheet cell
            return self.parse_reporting(cells)
        # each distinct cell text is normalised once per file (NFKC, zero-width characters, trimming):
        # a million rows repeat a few thousand texts, so a look-up replaces the per-row check
        t = self._texts.get
        get = cells.get
        nid = x if (x := t(raw_nid)) is not None else self._text(raw_nid)
        name = x if (x := t(v := get("name") or "")) is not None else self._text(v)
        kind_text = x if (x := t(v := get("kind") or "")) is not None else self._text(v)
        title = x if (x := t(v := get("title") or "")) is not None else self._text(v)
        code = x if (x := t(v := get("code") or "")) is not None else self._text(v)
        issuer = x if (x := t(v := get("issuer") or "")) is not None else self._text(v)
        hours_text = x if (x := t(v := get("hours") or "")) is not None else self._text(v)
        credits_text = x if (x := t(v := get("credits") or "")) is not None else self._text(v)
        score_text = x if (x := t(v := get("score") or "")) is not None else self._text(v)
        level_text = x if (x := t(v := get("level") or "")) is not None else self._text(v)
        date_text = x if (x := t(v := get("obtained_on") or "")) is not None else self._text(v)
        if (
            not (nid and name and kind_text and title and issuer and date_text)
            or len(name) > 50 or len(title) > 200 or len(code) > 64 or len(issuer) > 200
        ):  # fmt: skip
            return self.parse_reporting(cells)
        c = self._caches
        remember = self._remember
        nid_v = c["national_id"].get(nid) or remember("national_id", nid)
        kind_v = c["kind"].get(kind_text) or remember("kind", kind_text)
        date_v = c["obtained_on"].get(date_text) or remember("obtained_on", date_text)
        hours_v = (c["hours"].get(hours_text) or remember("hours", hours_text)) if hours_text else _EMPTY
        credits_v = (
            (c["credits"].get(credits_text) or remember("credits", credits_text)) if credits_text else _EMPTY
        )
        score_v = (c["score"].get(score_text) or remember("score", score_text)) if score_text else _EMPTY
        level_v = (c["level"].get(level_text) or remember("level", level_text)) if level_text else _EMPTY
        kind = kind_v[0]
        if (
            nid_v[1] or kind_v[1] or date_v[1] or hours_v[1] or credits_v[1] or score_v[1] or level_v[1]
            or (kind is OutcomeKind.skill_certificate and not level_text)
            or (kind is not OutcomeKind.skill_certificate and kind is not OutcomeKind.qualification_certificate
                and not hours_text and not credits_text)
        ):  # fmt: skip
            return self.parse_reporting(cells)
        score = score_v[0]
        grade = isinstance(score, Grade)
        return (
            OutcomeRow(
                nid_v[0], name, kind, title, code or None, issuer, hours_v[0], credits_v[0],  # type: ignore[arg-type]
                None if grade else score, score if grade else None, level_v[0], date_v[0],  # type: ignore[arg-type]
            ),
            [],
        )  # fmt: skip

    def parse_reporting(self, cells: dict[str, str]) -> tuple[OutcomeRow | None, list[tuple[str, str]]]:
        """`parse`, checking every column and listing every problem (the row, if there are none)."""
        get = cells.get
        text = {c.key: _clean(get(c.key) or "") for c in COLUMNS}
        errors = [(key, message) for key, message in _REQUIRED if not text[key]]
        values: dict[str, object] = {}
        id_problem = _id_cell_problem(get("national_id") or "")
        for key in self._by_key:
            t = text[key]
            if not t:
                values[key] = None
                continue
            if key == "national_id" and id_problem:
                errors.append((key, id_problem))
                values[key] = None
                continue
            hit = self._remember(key, t)
            if hit[1] is not None:
                errors.append((key, hit[1]))
            values[key] = hit[0]
        for key, limit, message in _LIMITS:
            if len(text[key]) > limit:
                errors.append((key, message))

        kind = values["kind"]
        if isinstance(kind, OutcomeKind):
            if kind is OutcomeKind.skill_certificate and values["level"] is None and not text["level"]:
                errors.append(("level", "职业技能等级证书须填写等级（初级/中级/高级）"))
            if kind not in CERTIFICATE_KINDS and not text["hours"] and not text["credits"]:
                errors.append(("hours", "须填写学时或学分"))
        if errors:
            return None, errors
        score = values["score"]
        return (
            OutcomeRow(
                national_id=str(values["national_id"]),
                name=text["name"],
                kind=OutcomeKind(str(kind)),
                title=text["title"],
                code=text["code"] or None,
                issuer=text["issuer"],
                hours=values["hours"],  # type: ignore[arg-type]
                credits=values["credits"],  # type: ignore[arg-type]
                score=score if isinstance(score, Decimal) else None,
                grade=score if isinstance(score, Grade) else None,
                level=values["level"],  # type: ignore[arg-type]
                obtained_on=values["obtained_on"],  # type: ignore[arg-type]
            ),
            [],
        )


def _clean(text: str) -> str:
    return text.strip() if text.isascii() else clean(text)


STORED_PLACES = 1  # hours and scores are stored to a tenth (NUMERIC(…, 1))


def _stored_exactly(value: Decimal, text: str, label: str) -> Decimal:
    """Refuse a value finer than what is stored: 69.95 would be stored as 70.0 and then meet "≥ 70"."""
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -STORED_PLACES:
        raise ValidationFailed(
            f"{label}“{text}”的小数多于 {STORED_PLACES} 位：平台只保存到 0.1，请按规定取舍后再填写"
        )
    return value


def _non_negative(value: Decimal, label: str, limit: Decimal) -> Decimal:
    if value < 0:
        raise ValidationFailed(f"{label}不能为负数")
    if value > limit:
        raise ValidationFailed(f"{label} {value} 超过上限 {limit}")
    return value


def _parse_kind(text: str) -> OutcomeKind:
    kind = _KIND_BY_TEXT.get(text) or _KIND_BY_TEXT.get(text.lower())
    if kind is None:
        raise ValidationFailed(f"未知的成果类型“{text}”，应为：" + "、".join(OUTCOME_KIND_LABELS.values()))
    return kind


def _parse_level(text: str) -> Level:
    level = _LEVEL_BY_TEXT.get(text)
    if level is None:
        raise ValidationFailed(f"未知的等级“{text}”，应为 初级/中级/高级/技师/高级技师")
    return level


def _parse_score(text: str) -> Decimal | Grade:
    if text in _GRADES:
        return _GRADES[text]
    try:
        value = _decimal(text, "成绩")
    except ValidationFailed:
        raise ValidationFailed(f"成绩“{text}”无效：应为百分制 0—100 的数字，或等级 {GRADE_TEXT}") from None
    if not Decimal(0) <= value <= Decimal(100):
        raise ValidationFailed(f"成绩 {text} 超出范围（百分制 0—100，或等级 {GRADE_TEXT}）")
    return _stored_exactly(value, text, "成绩")
