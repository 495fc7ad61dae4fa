"""Reading by column (DuckDB `read_csv`, set-based checks) finds exactly the problems, in the same order
and words, and the same candidates as the row-by-row parser (`rows.parse_candidates`, the reference):
on files with bad cells of every kind, GBK and UTF-8, full-width text, blank lines, short rows, Excel."""

from __future__ import annotations

import io
import random

import pytest
from openpyxl import Workbook

from tests.unit.admissions.helpers import policy
from zhijiao.adapters.spreadsheets.columns import DuckColumns, read_columns
from zhijiao.adapters.spreadsheets.reading import read_table
from zhijiao.domain.admissions.column_rows import parse_candidate_columns, parse_supplementary_columns
from zhijiao.domain.admissions.model import Major, Programme
from zhijiao.domain.admissions.rows import parse_candidates, parse_supplementary

PROGRAMMES = [
    Programme("G001", "S1", "甲校", 5, majors=(Major("01", "数控", 3), Major("02", "模具", 2))),
    Programme("G002", "S2", "乙校", 3),
    Programme("G003", "S3", "丙校", 2),
]
GOOD = {
    "考生号": ["K001", "K002", "k-3_x", "Ｋ004", " K005 "],
    "姓名": ["张三", "李四", "王\u200b五", " 赵六 ", "ＡＢ"],
    "考生类别": ["普通", "退役军人", "veteran", "技能拔尖", "ordinary"],
    "文化素质成绩": ["200", "150.5", "0", "", "２１０"],
    "职业技能成绩": ["400", "300.25", "450", "1e2", ""],
    "志愿1": ["G001:01,02", "G002", "G001（02）", "G003", ""],
    "志愿2": ["G002", "", "G003", "G001:01", "G002"],
    "志愿3": ["", "G001", "", "", "G003"],
    "服从调剂": ["是", "否", "", "Y", "no"],
    "获奖": ["", "", "", "国赛二等奖", ""],
    "证书等级": ["", "中级", "", "", "高级技师"],
    "学习账号": ["", "A001", "", "", ""],
    "查询码": ["", "abcd12", "", "", ""],
}
BAD = {
    "考生号": ["", "K 1", "K001", "toolongtoolongtoolong1"],
    "姓名": ["", "  "],
    "考生类别": ["学生", ""],
    "文化素质成绩": ["abc", "300.5", "1.234", "-1", "nan", "inf"],
    "职业技能成绩": ["999", "x"],
    "志愿1": ["G999", "G001:09", "G002:01"],
    "志愿2": ["G001", "G404:1"],
    "志愿3": ["G002", "G001"],
    "服从调剂": ["也许", "maybe"],
    "获奖": ["市赛一等奖", "国赛"],
    "证书等级": ["特级"],
    "查询码": ["ab", "abc-12"],
}


def _rows(rng: random.Random, n: int, bad: float) -> list[list[str]]:
    rows = []
    for i in range(n):
        row = []
        for col, values in GOOD.items():
            v = rng.choice(values) if col != "考生号" else f"K{i:05d}"
            if col in BAD and rng.random() < bad:
                v = rng.choice(BAD[col])
            row.append(v)
        rows.append(row)
    return rows


def _csv(rows: list[list[str]], *, blank: bool = False, short: bool = False) -> str:
    out = [",".join(GOOD)]
    for i, r in enumerate(rows):
        cells = [f'"{c}"' if "," in c else c for c in r]
        if short and i % 7 == 3:
            cells = cells[:9]
        out.append(",".join(cells))
        if blank and i % 5 == 2:
            out.append("")
        if i % 11 == 4:
            out.append(",,,,")
    return "\n".join(out) + "\n"


def _both(name: str, data: bytes) -> tuple:
    p = policy()
    t = read_table(name, data)
    people, old = parse_candidates(name, t.header, t.rows, p, PROGRAMMES, normalised=t.normalised)
    cols = read_columns(name, data)
    table, new = parse_candidate_columns(name, cols, p, PROGRAMMES)
    return people, old.items, table, new.items, cols


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_columns_find_the_same_problems_and_candidates(seed: int, encoding: str) -> None:
    rng = random.Random(seed)
    rows = _rows(rng, rng.randint(1, 120), bad=rng.choice([0.0, 0.03, 0.3]))
    text = _csv(rows, blank=seed % 3 == 1, short=seed % 2 == 1)
    if encoding == "gbk":
        text = text.replace("\u200b", "").replace("ＡＢ", "AB")  # (GBK has no zero-width space)
    people, old, table, new, cols = _both("C.csv", text.encode(encoding))
    assert new == old
    if not old:
        assert list(table) == people
    if seed % 3 != 1:  # no blank line: the file went through DuckDB
        assert isinstance(cols, DuckColumns)


def test_excel_candidates_by_column() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(list(GOOD))
    for r in _rows(random.Random(9), 40, 0.1):
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    _, old, _, new, _ = _both("C.xlsx", buf.getvalue())
    assert old and new == old


def test_supplementary_by_column_as_by_row() -> None:
    rng = random.Random(3)
    rows = _rows(rng, 60, 0.0)
    people, _, table, _, _ = _both("C.csv", _csv(rows).encode())
    lines = ["考生号,志愿1,志愿2,服从调剂"]
    for _ in range(80):
        no = rng.choice([f"K{rng.randint(0, 70):05d}", "", "X1"])
        lines.append(f"{no},{rng.choice(['G001', 'G002', 'G999', '', 'G003:01'])},"
                     f"{rng.choice(['G001', 'G003', ''])},{rng.choice(['是', '否', '', '也许'])}")  # fmt: skip
    data = ("\n".join(lines) + "\n").encode()
    t = read_table("S.csv", data)
    old, p_old = parse_supplementary("S.csv", t.header, t.rows, people, PROGRAMMES, normalised=t.normalised)
    new, p_new = parse_supplementary_columns("S.csv", read_columns("S.csv", data), table, PROGRAMMES)
    assert p_old.items and p_new.items == p_old.items
    codes = table.order_codes.codes
    got = {
        int(new.candidate[r]): (
            tuple(int(g) for g in new.choices[r] if g >= 0),
            tuple(codes[int(o)][1] for o in new.orders[r][: int((new.choices[r] >= 0).sum())]),
            bool(new.reassign[r]),
        )
        for r in range(len(new))
    }
    want = {
        k: (v.choices, v.major_orders or tuple(() for _ in v.choices), v.reassign) for k, v in old.items()
    }
    assert got == want
