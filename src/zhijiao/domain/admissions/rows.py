"""The admission input files' columns, and parsing their rows into programmes and candidates.

Headers are Chinese, English aliases accepted. Text is normalised (NFKC, zero-width characters, spaces)
before it is validated. Every problem names its file, row and column; a file with any problem is refused
as a whole (`FileProblems`), nothing runs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from zhijiao.domain.admissions.model import Candidate, Major, Preferences, Programme
from zhijiao.domain.admissions.policy import LEVELS, PRIZES, SCALE, Category, Policy, Tier
from zhijiao.domain.errors import ValidationFailed
from zhijiao.domain.text import clean

MAX_PROBLEMS_SHOWN = 200


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    required: bool = True


PROGRAMME_COLUMNS = (
    Column("group", "专业组代码", ("group", "group_code")),
    Column("school_code", "院校代码", ("school_code",)),
    Column("school_name", "院校名称", ("school_name",)),
    Column("quota", "计划数", ("quota",)),
    Column("separate_quota", "单列计划数", ("separate_quota",), required=False),
)
MAJOR_COLUMNS = (
    Column("group", "专业组代码", ("group", "group_code")),
    Column("major", "专业代码", ("major_code", "major")),
    Column("major_name", "专业名称", ("major_name",)),
    Column("quota", "计划数", ("quota",)),
)
CANDIDATE_COLUMNS = (
    Column("no", "考生号", ("candidate_no",)),
    Column("name", "姓名", ("name",)),
    Column("category", "考生类别", ("category",)),
    Column("culture", "文化素质成绩", ("culture_score",)),
    Column("skill", "职业技能成绩", ("skill_score",)),
    Column("reassign", "服从调剂", ("accept_reassignment",)),
    Column("account_no", "学习账号", ("account_no",), required=False),
    Column("award", "获奖", ("award",), required=False),
    Column("certificate", "证书等级", ("certificate_level",), required=False),
    Column("query_code", "查询码", ("query_code",), required=False),
)
SUPPLEMENTARY_COLUMNS = (
    Column("no", "考生号", ("candidate_no",)),
    Column("reassign", "服从调剂", ("accept_reassignment",), required=False),
)
_CHOICE = re.compile(r"^(?:志愿|choice)\s*(\d{1,2})$", re.IGNORECASE)
CATEGORY_ALIASES: dict[str, Category] = {
    **{c.value: c for c in Category},
    "ordinary": Category.ordinary, "veteran": Category.veteran, "laid_off_worker": Category.laid_off,
    "migrant_worker": Category.migrant, "high_quality_farmer": Category.farmer,
    "skill_champion": Category.champion,
}  # fmt: skip
_YES = {"是": True, "否": False, "y": True, "n": False, "yes": True, "no": False, "true": True,
        "false": False, "1": True, "0": False}  # fmt: skip
_CODE = re.compile(r"^[0-9A-Za-z_-]{1,20}$")
_QUERY_CODE = re.compile(r"^[0-9A-Za-z]{4,20}$")
_MAJOR_SPLIT = re.compile(r"[,，、/|;；\s]+")


class FileProblems(ValidationFailed):
    """A file with problems; `errors` lists each (file, row, column, reason) as a Chinese sentence."""

    code = "admission_file_invalid"

    def __init__(self, errors: Sequence[str]) -> None:
        shown = list(errors[:MAX_PROBLEMS_SHOWN])
        more = len(errors) - len(shown)
        tail = [f"……另有 {more} 处问题未列出"] if more > 0 else []
        super().__init__(f"输入文件有 {len(errors)} 处问题，未执行录取：\n" + "\n".join(shown + tail))
        self.errors = tuple(errors)


class Problems:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.items: list[str] = []

    def add(self, row: int, column: str, reason: str) -> None:
        where = f"第 {row} 行" if row else "表头"
        self.items.append(f"文件“{self.filename}”{where}“{column}”：{reason}")


def header_positions(
    header: Sequence[str], columns: Sequence[Column], problems: Problems, extra: Sequence[str] = ()
) -> tuple[dict[str, int], dict[int, int]]:
    """Column key → position (plus the optional `extra` headers by name), and 志愿 number → position."""
    names: dict[str, str] = {}
    for c in columns:
        names[c.header] = c.key
        for a in c.aliases:
            names[a.lower()] = c.key
    for e in extra:
        names[e] = e
    found: dict[str, int] = {}
    choices: dict[int, int] = {}
    for i, raw in enumerate(header):
        h = clean(raw)
        key = names.get(h) or names.get(h.lower())
        m = _CHOICE.match(h)
        if m:
            choices[int(m.group(1))] = i
        elif key is None:
            continue
        elif key in found:
            problems.add(0, h, "列名重复")
        else:
            found[key] = i
    for c in columns:
        if c.required and c.key not in found:
            problems.add(0, c.header, "缺少必需的列")
    if choices and sorted(choices) != list(range(1, len(choices) + 1)):
        problems.add(
            0, "志愿", f"志愿列应从“志愿1”起连续编号，实际为 {'、'.join(f'志愿{n}' for n in sorted(choices))}"
        )
    return found, choices


def _padded(raw: Sequence[str], width: int, normalised: bool = False) -> list[str]:
    """The row's cells, cleaned (only stripped when the caller checked the whole file is NFKC without
    zero-width characters), padded with empty cells to `width`."""
    cells = [c.strip() for c in raw] if normalised else [c.strip() if c.isascii() else clean(c) for c in raw]
    if len(cells) < width:
        cells.extend([""] * (width - len(cells)))
    return cells


def _count(text: str, problems: Problems, row: int, column: str) -> int | None:
    if not text.isdigit() or not text.isascii():
        problems.add(row, column, f"应为非负整数，实际为“{text}”" if text else "不能为空")
        return None
    return int(text)


def parse_programmes(
    filename: str,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    *,
    normalised: bool = False,
) -> tuple[list[Programme], Problems]:
    p = Problems(filename)
    pos, _ = header_positions(header, PROGRAMME_COLUMNS, p)
    out: list[Programme] = []
    if p.items:
        return out, p
    seen: dict[str, int] = {}
    sep = pos.get("separate_quota")
    width = max(pos.values()) + 1
    for row, raw in rows:
        cells = _padded(raw, width, normalised)
        code, school, name = cells[pos["group"]], cells[pos["school_code"]], cells[pos["school_name"]]
        if not _CODE.match(code):
            p.add(row, "专业组代码", f"应为 1–20 位字母、数字、-、_，实际为“{code}”" if code else "不能为空")
        elif code in seen:
            p.add(row, "专业组代码", f"“{code}”与第 {seen[code]} 行重复")
        else:
            seen[code] = row
        if not _CODE.match(school):
            p.add(row, "院校代码", f"格式不正确：“{school}”" if school else "不能为空")
        if not name:
            p.add(row, "院校名称", "不能为空")
        quota = _count(cells[pos["quota"]], p, row, "计划数")
        separate = 0
        if sep is not None and (text := cells[sep]):
            separate = _count(text, p, row, "单列计划数") or 0
        if quota is not None:
            out.append(Programme(code, school, name, quota, separate))
    return out, p


def parse_majors(
    filename: str,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    programmes: list[Programme],
    *,
    normalised: bool = False,
) -> tuple[list[Programme], Problems]:
    """The programmes with their majors attached; each group's majors must add up to its 计划数."""
    p = Problems(filename)
    pos, _ = header_positions(header, MAJOR_COLUMNS, p)
    if p.items:
        return programmes, p
    by_code = {g.code: i for i, g in enumerate(programmes)}
    majors: dict[str, list[Major]] = {}
    first_row: dict[str, int] = {}
    width = max(pos.values()) + 1
    for row, raw in rows:
        cells = _padded(raw, width, normalised)
        group, code, name = cells[pos["group"]], cells[pos["major"]], cells[pos["major_name"]]
        if group not in by_code:
            p.add(row, "专业组代码", f"专业组“{group}”不在专业组文件中" if group else "不能为空")
            continue
        first_row.setdefault(group, row)
        if not _CODE.match(code):
            p.add(row, "专业代码", f"格式不正确：“{code}”" if code else "不能为空")
        elif any(m.code == code for m in majors.get(group, ())):
            p.add(row, "专业代码", f"专业组“{group}”中专业“{code}”重复")
        if not name:
            p.add(row, "专业名称", "不能为空")
        quota = _count(cells[pos["quota"]], p, row, "计划数")
        if quota is not None:
            majors.setdefault(group, []).append(Major(code, name, quota))
    out = list(programmes)
    for group, ms in majors.items():
        g = programmes[by_code[group]]
        total = sum(m.quota for m in ms)
        if total != g.quota:
            p.add(first_row[group], "计划数",
                  f"专业组“{group}”各专业计划数之和为 {total}，与专业组计划数 {g.quota} 不一致")  # fmt: skip
        out[by_code[group]] = Programme(
            g.code, g.school_code, g.school_name, g.quota, g.separate_quota, tuple(ms)
        )
    return out, p


def parse_award(text: str) -> tuple[Tier, int] | None:
    """“国赛三等奖”“全国职业院校技能大赛……一等奖”“省赛一等奖” → (tier, prize); None if not one."""
    tier = (
        Tier.national if ("国赛" in text or "全国" in text or "国家" in text)
        else Tier.provincial if "省" in text else None
    )  # fmt: skip
    prize = next((v for k, v in PRIZES.items() if k in text), None)
    return (tier, prize) if tier is not None and prize is not None else None


def parse_level(text: str) -> int | None:
    """The certificate level named in the text (longest name first: 高级技师 before 技师)."""
    for name in sorted(LEVELS, key=len, reverse=True):
        if name in text:
            return LEVELS[name]
    return None


def score_value(text: str, full: int) -> tuple[int | None, str | None]:
    """A score cell in hundredths, and the problem with it (None if none)."""
    if not text:
        return None, None
    if text.isdigit() and text.isascii():  # the common case: a whole number
        h = int(text) * SCALE
        if h <= full:
            return h, None
    try:
        v = float(text)
    except ValueError:
        return None, f"应为数字，实际为“{text}”"
    if not math.isfinite(v):  # “nan”, “inf”: float() reads them, they are no score
        return None, f"应为数字，实际为“{text}”"
    h = round(v * SCALE)
    if abs(v * SCALE - h) > 1e-6:
        return h, f"最多保留两位小数，实际为“{text}”"
    if h < 0 or h > full:
        return h, f"应在 0 到 {full / SCALE:g} 之间，实际为 {text}"
    return h, None


def _score(text: str, full: int, problems: Problems, row: int, column: str) -> int | None:
    h, problem = score_value(text, full)
    if problem:
        problems.add(row, column, problem)
    return h


def parse_choice(text: str, by_code: Mapping[str, int]) -> tuple[int, tuple[str, ...]] | str:
    """“G001” or “G001:01,03” (also “G001（01、03）”) → (group index, major order), or the problem."""
    g = by_code.get(text)
    if g is not None:
        return g, ()
    group, _, rest = text.replace("(", ":").replace(")", "").partition(":")
    group = group.strip()
    g = by_code.get(group)
    if g is None:
        return f"专业组“{group}”不在专业组文件中"
    majors = tuple(m for m in _MAJOR_SPLIT.split(rest) if m) if rest else ()
    return g, majors


def parse_candidates(
    filename: str,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    policy: Policy,
    programmes: Sequence[Programme],
    *,
    normalised: bool = False,
) -> tuple[list[Candidate], Problems]:
    p = Problems(filename)
    extra = [c.column for c in policy.components if f"component:{c.name}" in policy.tie_break]
    pos, choice_pos = header_positions(header, CANDIDATE_COLUMNS, p, extra)
    if not choice_pos:
        p.add(0, "志愿1", "缺少志愿列（志愿1…志愿N）")
    out: list[Candidate] = []
    if p.items:
        return out, p
    by_code = {g.code: i for i, g in enumerate(programmes)}
    majors_of = [frozenset(m.code for m in g.majors) for g in programmes]
    full_c = round(policy.culture.full_marks * SCALE)
    full_s = round(policy.skill.full_marks * SCALE)
    i_no, i_name, i_cat = pos["no"], pos["name"], pos["category"]
    i_cul, i_sk, i_re = pos["culture"], pos["skill"], pos["reassign"]
    i_acc, i_award, i_cert = pos.get("account_no"), pos.get("award"), pos.get("certificate")
    i_query = pos.get("query_code")
    comp_cols = [
        (pos[c.column], c.column, round(c.full_marks * SCALE)) for c in policy.components if c.column in pos
    ]
    choice_cols = [choice_pos[n] for n in sorted(choice_pos)]
    width = max([*pos.values(), *choice_cols]) + 1
    seen: dict[str, int] = {}
    parsed_choices: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {}
    cats = CATEGORY_ALIASES
    for row, raw in rows:
        cells = _padded(raw, width, normalised)
        no = cells[i_no]
        if not _CODE.match(no):
            p.add(row, "考生号", f"格式不正确：“{no}”" if no else "不能为空")
        elif no in seen:
            p.add(row, "考生号", f"“{no}”与第 {seen[no]} 行重复")
        else:
            seen[no] = row
        name = cells[i_name]
        if not name:
            p.add(row, "姓名", "不能为空")
        cat = cats.get(cells[i_cat]) or cats.get(cells[i_cat].lower())
        if cat is None:
            p.add(
                row, "考生类别", f"应为 {'、'.join(c.value for c in Category)} 之一，实际为“{cells[i_cat]}”"
            )
            cat = Category.ordinary
        culture = _score(cells[i_cul], full_c, p, row, "文化素质成绩")
        skill = _score(cells[i_sk], full_s, p, row, "职业技能成绩")
        re_text = cells[i_re]
        reassign = _YES.get(re_text) if re_text else True
        if reassign is None:
            reassign = _YES.get(re_text.lower())
            if reassign is None:
                p.add(row, "服从调剂", f"应为“是”或“否”，实际为“{re_text}”")
                reassign = False
        groups: list[int] = []
        orders: list[tuple[str, ...]] = []
        any_order = False
        for n, ci in enumerate(choice_cols, start=1):
            text = cells[ci]
            if not text:
                continue
            g = by_code.get(text, -1)
            if g >= 0:
                order: tuple[str, ...] = ()
                bad: tuple[str, ...] = ()
            else:
                known = parsed_choices.get(text)
                if known is None:  # the same cell text always parses and checks the same way
                    parsed = parse_choice(text, by_code)
                    if isinstance(parsed, str):
                        known = (-1, (), (parsed,))
                    else:  # (a group without a majors file cannot be checked)
                        g, order = parsed
                        known = (g, order, tuple(f"专业“{m}”不在专业组“{programmes[g].code}”中"
                                                 for m in order if majors_of[g] and m not in majors_of[g]))  # fmt: skip
                    parsed_choices[text] = known
                g, order, bad = known
                if g < 0:
                    p.add(row, f"志愿{n}", bad[0])
                    continue
            if g in groups:
                p.add(row, f"志愿{n}", f"专业组“{programmes[g].code}”重复填报")
                continue
            for problem in bad:
                p.add(row, f"志愿{n}", problem)
            groups.append(g)
            orders.append(order)
            any_order = any_order or bool(order)
        components = tuple(_score(cells[i], full, p, row, col) for i, col, full in comp_cols)
        award = None
        if i_award is not None and cells[i_award]:
            award = parse_award(cells[i_award])
            if award is None:
                p.add(row, "获奖", f"无法识别的获奖等级“{cells[i_award]}”（如：国赛三等奖、省赛一等奖）")
        level = None
        if i_cert is not None and cells[i_cert]:
            level = parse_level(cells[i_cert])
            if level is None:
                p.add(
                    row,
                    "证书等级",
                    f"无法识别的证书等级“{cells[i_cert]}”（初级、中级、高级、技师、高级技师）",
                )
        account = cells[i_acc] if i_acc is not None and cells[i_acc] else None
        query = cells[i_query] if i_query is not None and cells[i_query] else None
        if query is not None and not _QUERY_CODE.match(query):
            p.add(row, "查询码", "应为 4–20 位字母或数字")
        out.append(Candidate(no, name, cat, culture, skill, tuple(groups), reassign,
                             tuple(orders) if any_order else (), components, award, level, account, "", row, query))  # fmt: skip
    return out, p


def parse_supplementary(
    filename: str,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    candidates: Sequence[Candidate],
    programmes: Sequence[Programme],
    *,
    normalised: bool = False,
) -> tuple[dict[int, Preferences], Problems]:
    """征集志愿: 考生号 and new preferences (志愿1…N, 服从调剂)."""
    p = Problems(filename)
    pos, choice_pos = header_positions(header, SUPPLEMENTARY_COLUMNS, p)
    if not choice_pos:
        p.add(0, "志愿1", "缺少志愿列（志愿1…志愿N）")
    out: dict[int, Preferences] = {}
    if p.items:
        return out, p
    index = {c.no: i for i, c in enumerate(candidates)}
    by_code = {g.code: i for i, g in enumerate(programmes)}
    width = max([*pos.values(), *choice_pos.values()]) + 1
    i_re = pos.get("reassign")
    for row, raw in rows:
        cells = _padded(raw, width, normalised)
        no = cells[pos["no"]]
        c = index.get(no)
        if c is None:
            p.add(row, "考生号", f"考生“{no}”不在考生文件中" if no else "不能为空")
            continue
        if c in out:
            p.add(row, "考生号", f"“{no}”重复")
            continue
        groups: list[int] = []
        orders: list[tuple[str, ...]] = []
        for n in sorted(choice_pos):
            text = cells[choice_pos[n]]
            if not text:
                continue
            parsed = parse_choice(text, by_code)
            if isinstance(parsed, str):
                p.add(row, f"志愿{n}", parsed)
            elif parsed[0] in groups:
                p.add(row, f"志愿{n}", "专业组重复填报")
            else:
                groups.append(parsed[0])
                orders.append(parsed[1])
        re_text = cells[i_re] if i_re is not None else ""
        reassign = _YES.get(re_text.lower()) if re_text else True
        if reassign is None:
            p.add(row, "服从调剂", f"应为“是”或“否”，实际为“{re_text}”")
            reassign = False
        out[c] = Preferences(tuple(groups), tuple(orders) if any(orders) else (), reassign)
    return out, p
