"""Issue 8 item 10: one decoder for every CSV import (outcomes, quality data, admissions), and
English for every new message."""

from __future__ import annotations

import pytest

from zhijiao.adapters.spreadsheets.quality_form import read_quality_file
from zhijiao.adapters.spreadsheets.reading import SpreadsheetError, decode_text, read_table
from zhijiao.domain.text import clean
from zhijiao.i18n import translator

LATIN1 = "考生号,姓名\n1,x\n".encode("gbk")[:0] + "candidate_no,name\n1,Jöan Müller\n".encode("latin-1")
BROKEN_UTF8 = "考生号,姓名\n1,张伟\n2,李娜\n".encode().replace("李".encode(), b"\xb0\xa1")


@pytest.mark.parametrize("data", [LATIN1, BROKEN_UTF8], ids=["latin1", "broken-utf8"])
def test_every_csv_reader_refuses_garbled_text(data: bytes) -> None:
    for read in (read_table, read_quality_file):
        with pytest.raises(SpreadsheetError) as e:
            read("考生.csv", data)
        assert e.value.message.startswith("文件“考生.csv”") and "UTF-8" in e.value.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_correct_encodings_decode(encoding: str) -> None:
    text = "考生号,姓名\n1,欧阳喆\n2,张堃\n"
    assert decode_text("a.csv", text.encode(encoding)) == text


def test_the_text_normaliser() -> None:
    assert clean(" ４４０３\u200b０１\u3000") == "440301"
    assert clean("ＡＢＣ\u00ad") == "ABC"


def test_new_messages_have_english() -> None:
    en = translator("en")
    messages = []
    for data in (LATIN1, BROKEN_UTF8, b"a,b\n1,\x00\n"):
        with pytest.raises(SpreadsheetError) as e:
            decode_text("a.csv", data)
        messages.append(e.value.message)
    with pytest.raises(SpreadsheetError) as e:
        list(read_table("a.csv", ("a,b\n1," + "x" * 200_000 + "\n").encode()).rows)
    messages.append(e.value.message)
    messages += [
        "文件没有数据行（只有表头）",
        "日期“2023111”有歧义：不带分隔符时须为 8 位数字 YYYYMMDD（如 20231101），或写作 2023-11-01",
        "成绩“69.95”的小数多于 1 位：平台只保存到 0.1，请按规定取舍后再填写",
        "学时“3.25”的小数多于 1 位：平台只保存到 0.1，请按规定取舍后再填写",
        "成绩“A”无效：应为百分制 0—100 的数字，或等级 优/良/中/及格/不及格",
        "成绩 120 超出范围（百分制 0—100，或等级 优/良/中/及格/不及格）",
        "用户名不能为空",
    ]
    from zhijiao.domain.creditbank.rows import ID_AS_NUMBER

    messages.append(ID_AS_NUMBER)
    for m in messages:
        english = en(m)
        assert english != m, m
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in english.replace("优/良/中/及格/不及格", "")), english
