"""Every quality page in English shows no Chinese outside data (school and people's names, file
names, a province's own citations — marked `translate="no"`): the school's page with an upload's
problems (form cells and long-file rows), its consistency warnings and jumps, the indicators with
their verdicts and card, the declaration, provenance, the standards, the province's table with its
filters, review and return, the nation's table, and the province's export in English."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.factories import PASSWORD, World
from tests.quality_world import GOOD_HIGHER, long_csv, long_rows
from tests.untranslated import CJK, untranslated
from zhijiao.domain.quality.indicators import INDICATORS


def _sign_in(client: TestClient, username: str) -> None:
    client.cookies.clear()
    r = client.post("/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303
    client.cookies.set("zhijiao_lang", "en")


def _english(r: object, *expected: str) -> str:
    text: str = r.text  # type: ignore[attr-defined]
    assert r.status_code < 500, text[:500]  # type: ignore[attr-defined]
    assert '<html lang="en"' in text
    left = untranslated(text)
    assert not left, left
    for e in expected:
        assert e in text, e
    return text


def test_the_checker_finds_chinese_outside_data() -> None:
    page = (
        '<html lang="en"><body><p>ok</p><p>未翻译</p><span translate="no">张三</span>'
        '<select><option>选项</option></select><input placeholder="请输入"><td lang="zh-CN">师资</td>'
        "<script>var s = '脚本';</script><p>A（B）</p></body></html>"
    )
    assert untranslated(page) == ["未翻译", "选项", "@placeholder: 请输入", "A（B）"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_quality_page_in_english(client: TestClient, world: World) -> None:
    code = world.school.moe_code
    _sign_in(client, "liming")
    _english(client.get("/quality/school"), "No such school")  # an error page, in English too
    _sign_in(client, "school_staff")
    _english(client.get("/quality", follow_redirects=True), "No data for this year yet")
    _english(client.get("/quality/school?org=nope&year=2024"), "does not exist")

    # the form with a mistake in a cell: the problem names the sheet (the form's own name, as data) and cell
    form = client.get(f"/quality/school/form.xlsx?org={code}&year=2024")
    wb = load_workbook(io.BytesIO(form.content))
    ws = wb["师资"]
    ws["C3"] = "many"
    buf = io.BytesIO()
    wb.save(buf)
    files = {"file": ("form.xlsx", buf.getvalue(), "application/octet-stream")}
    r = client.post("/quality/school/upload", data={"org": code, "year": "2024"}, files=files)
    assert r.status_code == 422
    _english(r, "(Teachers) C3", "“many” is not a number", "nothing was imported")

    # a long file with several kinds of problem
    rows = long_rows(code, "2023-2024", books="x")
    rows += [[code, "2023/24", "books", "", "1"], [code, "2023-2024", "no_such_element", "", "1"],
             [code, "2023-2024", "teachers_fulltime", "professor", "1"], ["9999999999", "2023-2024", "books", "", "1"]]  # fmt: skip
    files = {"file": ("state.csv", long_csv(rows), "text/csv")}
    r = client.post("/quality/school/upload", data={"org": code, "year": "2024"}, files=files)
    assert r.status_code == 422
    _english(r, "row 20 column “Value”", "Unknown data element code", "senior (full), senior (associate)")

    # last year, then this year with a broken consistency rule, a jump and a yellow card
    files = {"file": ("2023.csv", long_csv(long_rows(code, "2022-2023")), "text/csv")}
    assert (
        client.post("/quality/school/upload", data={"org": code, "year": "2023"}, files=files).status_code
        == 200
    )
    this_year = long_rows(code, "2023-2024", teachers_dual_qualified=400, books=200000)
    files = {"file": ("2024.csv", long_csv(this_year), "text/csv")}
    r = client.post("/quality/school/upload", data={"org": code, "year": "2024"}, files=files)
    _english(
        r, "Import complete", "Dual-qualified teachers should not outnumber", "a change of", "Yellow card"
    )
    r = client.post("/quality/school/submit", data={"org": code, "year": "2024", "declared_by": "王芳"})
    _english(r, "Please tick the box")
    for ind in INDICATORS:
        _english(client.get(f"/quality/trace?org={code}&year=2024&indicator={ind.code}"), ind.name_en)
    _english(client.get(f"/quality/trace?org={code}&year=2024&indicator=teachers_fulltime_share"))  # 404 page
    r = client.post("/quality/standards", data={
        "indicator": "dual_qualified_share", "level": "higher", "document": "本校发展规划", "sentence": "双师型不低于70%",
        "effective_from": "2023-01-01", "pass_line": "0.7"})  # fmt: skip
    _english(r, "Standard set", "School target")
    r = client.post("/quality/standards", data={
        "indicator": "dual_qualified_share", "level": "higher", "document": "本校发展规划", "sentence": "x",
        "effective_from": "2023-01-01", "pass_line": "0.1"})  # fmt: skip
    _english(r, "may only be stricter")
    signed = {"org": code, "year": "2024", "declared_by": "王芳", "confirm": "1"}
    _english(client.post("/quality/school/submit", data=signed), "fail the consistency checks")
    files = {"file": ("2024.csv", long_csv(long_rows(code, "2023-2024", books=200000)), "text/csv")}
    _english(client.post("/quality/school/upload", data={"org": code, "year": "2024"}, files=files))
    _english(client.post("/quality/school/submit", data=signed), "Submitted; awaiting the province")
    files = {"file": ("again.csv", long_csv(long_rows(code, "2023-2024")), "text/csv")}
    r = client.post("/quality/school/upload", data={"org": code, "year": "2024"}, files=files)
    _english(r, "cannot be changed")

    _sign_in(client, "gd_admin")
    for query in ("", "&card=yellow", "&card=none&sort=name", "&sort=outliers", "&sort=code"):
        _english(client.get(f"/quality/province?year=2024{query}"), "Yellow card")
    _english(client.get("/quality/province?year=2024"), "Quality monitoring · 44 · 2024</h1>")
    _english(client.get(f"/quality/school?org={code}&year=2024"), "Approve and lock")
    r = client.post("/quality/province/review", data={"org": code, "year": "2024", "action": "return",
                                                     "comment": "请核实图书"}, follow_redirects=True)  # fmt: skip
    _english(r, "Returned for changes")
    _english(client.get("/quality/standards"), "Jiaofa [2004] No. 2")
    _english(client.get("/quality/province?year=2031"), "Not reported")

    x = client.get("/quality/province/export.xlsx?year=2024")
    assert x.status_code == 200
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet is not None
    names = {world.school.name, world.other_school.name, world.far_school.name}
    for row in sheet.iter_rows(values_only=True):
        for cell in row:
            if isinstance(cell, str) and cell not in names:
                assert not CJK.search(cell), cell

    _sign_in(client, "national")
    _english(client.get("/quality/national?year=2024"), "Quality monitoring")
    _english(client.get("/quality/province?province=44&year=2024"))


def test_english_names_are_english() -> None:
    from zhijiao.domain.quality.elements import CATEGORY_LABELS_EN, ELEMENTS, SECTION_LABELS_EN, SECTIONS
    from zhijiao.domain.quality.indicators import NAMES_EN

    for e in ELEMENTS:
        assert e.name_en and not CJK.search(e.name_en + e.unit_en), e.code
        assert all(c in CATEGORY_LABELS_EN for c in e.categories), e.code
    for i in INDICATORS:
        assert i.name_en and not CJK.search(i.name_en + i.formula_en() + i.show_en(None)), i.code
        assert i.source is not None and not CJK.search(i.source.cite_en()), i.code
    assert set(SECTIONS) == set(SECTION_LABELS_EN)
    from zhijiao.domain.quality.standards import NATIONAL

    for std in NATIONAL:  # every national line's citation, rendered in English
        assert not CJK.search(std.source.cite_en() + std.scope_label_en), std
    assert not any(CJK.search(v) for v in (*NAMES_EN.values(), *CATEGORY_LABELS_EN.values()))
    assert GOOD_HIGHER  # the world's values name only elements that exist
    assert set(GOOD_HIGHER) <= {e.code for e in ELEMENTS}
