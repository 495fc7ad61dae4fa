"""`zhijiao quality …` on the command line, with the exact commands and formats of the issue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.factories import World
from tests.quality_world import long_csv, long_rows
from zhijiao.bootstrap import Platform
from zhijiao.cli.main import app


@pytest.fixture
def cli(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr("zhijiao.cli.main.platform", lambda: platform)
    return CliRunner()


def test_template_import_indicators_cards(cli: CliRunner, world: World, tmp_path: Path) -> None:
    code = world.school.moe_code
    form = tmp_path / "2024-状态数据.xlsx"
    r = cli.invoke(app, ["quality", "template", "--org", code, "--year", "2024", "-o", str(form)])
    assert r.exit_code == 0, r.output
    wb = load_workbook(form)
    ws = wb["学生"]
    row = next(
        r
        for r in range(3, ws.max_row + 1)
        if ws[f"F{r}"].value == "students_fulltime" and not ws[f"G{r}"].value
    )
    ws[f"C{row}"] = "8千"
    wb.save(form)
    r = cli.invoke(app, ["quality", "import", str(form), "--as", "school_staff"])
    assert (
        r.exit_code == 1 and f"工作表“学生” C{row}：应为非负整数" in r.stderr and "未导入任何数据" in r.stderr
    )

    data = tmp_path / "long.csv"
    data.write_bytes(long_csv(long_rows(code, "2023-2024", books=200000, equipment_value_yuan=10000000)))
    r = cli.invoke(app, ["quality", "import", str(data), "--as", "school_staff"])
    assert r.exit_code == 0 and "导入完成" in r.stdout
    r = cli.invoke(app, ["quality", "import", str(data), "--as", "school_staff"])
    assert r.exit_code == 0 and "没有变化" in r.stdout

    r = cli.invoke(app, ["quality", "indicators", "--org", code, "--year", "2024", "--format", "json"])
    body = json.loads(r.stdout)
    assert body["card"] == "red"  # books and equipment both under their 限制招生 lines
    ratio = next(i for i in body["indicators"] if i["indicator"] == "student_teacher_ratio")
    assert set(ratio) >= {"indicator", "value", "numerator", "denominator", "threshold", "verdict", "source"}
    assert ratio["verdict"] == "pass" and ratio["threshold"] == 18
    r = cli.invoke(app, ["quality", "indicators", "--org", code, "--year", "2024", "--format", "csv"])
    assert r.stdout.splitlines()[0] == "indicator,name,value,numerator,denominator,threshold,verdict,source"
    r = cli.invoke(app, ["quality", "indicators", "--org", code, "--year", "2024"])
    assert "红牌（暂停招生）" in r.stdout
    r = cli.invoke(app, ["quality", "cards", "--province", "44", "--year", "2024", "--format", "json"])
    cards = {s["org"]: s["card"] for s in json.loads(r.stdout)["schools"]}
    assert cards == {code: "red", world.other_school.moe_code: None}
    r = cli.invoke(app, ["quality", "cards", "--province", "44", "--year", "2024", "--as", "hn_admin"])
    assert r.exit_code == 1 and "只能查看本省" in r.stderr
    r = cli.invoke(app, ["quality", "indicators", "--org", code, "--year", "2024", "--as", "other_staff"])
    assert r.exit_code == 1 and "不存在或无权查看" in r.stderr


def test_targets_and_standards_on_the_command_line(cli: CliRunner, world: World) -> None:
    code = world.school.moe_code
    data_rows = long_rows(code, "2023-2024", teachers_dual_qualified=165)  # 165 ÷ 300 = 55 %
    assert load_rows(cli, world, data_rows).exit_code == 0
    base = ["quality", "target", "--indicator", "dual_qualified_share", "--level", "higher", "--document",
            "广东省职业教育质量标准", "--sentence", "双师型教师占专业课教师比例不低于60%", "--from", "2023-01-01"]  # fmt: skip
    r = cli.invoke(app, [*base, "--line", "0.4", "--as", "gd_admin"])
    assert r.exit_code == 1 and "只能高于国家标准" in r.stderr  # looser than the national 50 %
    r = cli.invoke(app, [*base, "--line", "0.6", "--as", "hn_admin"])
    assert r.exit_code == 0 and "province:43" in r.stdout  # Hunan's line: not Guangdong's schools
    r = cli.invoke(app, ["quality", "indicators", "--org", code, "--year", "2024", "--format", "json"])
    dual = next(i for i in json.loads(r.stdout)["indicators"] if i["indicator"] == "dual_qualified_share")
    assert (dual["threshold"], dual["verdict"]) == (0.5, "pass")
    r = cli.invoke(app, [*base, "--line", "0.6", "--as", "gd_admin"])
    assert r.exit_code == 0 and "province:44" in r.stdout
    r = cli.invoke(app, ["quality", "indicators", "--org", code, "--year", "2024", "--format", "json"])
    dual = next(i for i in json.loads(r.stdout)["indicators"] if i["indicator"] == "dual_qualified_share")
    assert (dual["threshold"], dual["verdict"], dual["standard_scope"]) == (0.6, "fail", "province:44")
    # the school's own, higher target wins over the province's
    r = cli.invoke(
        app,
        [*base[:3], "students_per_ideopolitical_teacher", *base[4:], "--line", "300", "--as", "school_staff"],
    )
    assert r.exit_code == 0 and f"school:{world.school.id}" in r.stdout, r.output
    r = cli.invoke(app, ["quality", "indicators", "--org", code, "--year", "2024", "--format", "json"])
    ideo = next(
        i
        for i in json.loads(r.stdout)["indicators"]
        if i["indicator"] == "students_per_ideopolitical_teacher"
    )
    assert (ideo["value"], ideo["threshold"], ideo["verdict"]) == (320, 300, "fail")  # 8000 ÷ 25
    r = cli.invoke(app, [*base, "--line", "0.7", "--org", code, "--as", "other_staff"])
    assert r.exit_code == 1 and "不存在或无权查看" in r.stderr
    r = cli.invoke(app, ["--lang", "en", "quality", "standards", "--level", "higher", "--format", "json"])
    rows = json.loads(r.stdout)
    assert {"verified", "restrict_verified", "checked_at", "source"} <= set(rows[0])
    assert any(s["scope"] == "province:44" and s["pass_line"] == 0.6 for s in rows)


def load_rows(cli: CliRunner, world: World, rows: list[list[str]]) -> object:
    import tempfile

    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as f:
        f.write(long_csv(rows))
    return cli.invoke(app, ["quality", "import", f.name, "--as", "school_staff"])


def test_messages_and_explanations_in_english(cli: CliRunner, world: World, tmp_path: Path) -> None:
    code = world.school.moe_code
    bad = tmp_path / "bad.csv"
    bad.write_bytes(long_csv(long_rows(code, "2023-2024", teachers_fulltime="四百")))
    r = cli.invoke(app, ["--lang", "en", "quality", "import", str(bad), "--as", "school_staff"])
    assert r.exit_code == 1
    assert (
        "bad.csv: row 9 column “Value”: should be a non-negative whole number; “四百” is not a number"
        in r.stderr
    )
    assert "problems; nothing was imported" in r.stderr
    good = tmp_path / "good.csv"
    good.write_bytes(long_csv(long_rows(code, "2023-2024", books=200000, teachers_dual_qualified=310)))
    r = cli.invoke(app, ["--lang", "en", "quality", "import", str(good), "--as", "school_staff"])
    assert r.exit_code == 0 and "Import complete" in r.stdout
    assert "Dual-qualified teachers should not outnumber professional-course teachers" in r.stderr
    r = cli.invoke(app, ["--lang", "en", "quality", "indicators", "--org", code, "--year", "2024"])
    out = " ".join(r.stdout.split())
    assert "Yellow card (enrolment restricted): Books per student misses its restricted-enrolment line" in out
    assert "Books per student = printed books ÷ weighted students = 200000 ÷ 8310" in out
    assert "(Jiaofa [2004] No. 2)" in out and "教发" not in out
    r = cli.invoke(app, ["--lang", "en", "quality", "indicators", "--org", "nope", "--year", "2024"])
    assert r.exit_code == 1 and "School “nope” does not exist or you may not see it" in r.stderr
    r = cli.invoke(app, ["--lang", "en", "quality", "approve", "--org", code, "--period", "2023-2024"])
    assert r.exit_code == 1 and "The current status is “Draft”: cannot Approve and lock" in r.stderr
