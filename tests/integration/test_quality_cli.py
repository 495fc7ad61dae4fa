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
    row = next(r for r in range(3, ws.max_row + 1) if ws[f"F{r}"].value == "students_fulltime" and not ws[f"G{r}"].value)
    ws[f"C{row}"] = "8千"
    wb.save(form)
    r = cli.invoke(app, ["quality", "import", str(form), "--as", "school_staff"])
    assert r.exit_code == 1 and f"工作表“学生” C{row}：应为非负整数" in r.stderr and "未导入任何数据" in r.stderr

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
