"""Issue 8 item 5: the template's example rows carry ID numbers that cannot be anyone's, and the
import recognises those rows and skips them with a note (zh and en) instead of refusing the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.factories import World
from tests.spreadsheets import HEADERS, outcome_row
from zhijiao.bootstrap import Platform
from zhijiao.cli.main import app
from zhijiao.domain.errors import ValidationFailed
from zhijiao.domain.identity import is_example_national_id, mod11_2_check, parse_national_id


@pytest.fixture
def cli(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr("zhijiao.cli.main.platform", lambda: platform)
    return CliRunner()


def _examples(template: Path) -> list[list[str]]:
    """The example rows of the 填写说明 sheet, as a clerk copies them."""
    ws = load_workbook(template)["填写说明"]
    rows = [[("" if v is None else str(v)) for v in r] for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0].startswith("示例行"))
    assert rows[start + 1][: len(HEADERS)] == HEADERS
    return [r[: len(HEADERS)] for r in rows[start + 2 :] if r[0]]


def test_template_examples_cannot_be_anyones_id(cli: CliRunner, tmp_path: Path) -> None:
    template = tmp_path / "模板.xlsx"
    assert cli.invoke(app, ["template", "outcomes", "-o", str(template)]).exit_code == 0
    examples = _examples(template)
    assert len(examples) == 2
    for row in examples:
        nid = row[HEADERS.index("身份证号")]
        # it looks right: 18 characters, a real region, a check digit that fits …
        assert len(nid) == 18 and nid[:6] == "440103" and mod11_2_check(nid[:17]) == nid[17]
        assert nid != "440103200405060013"
        # … but its birth date is 30 February: nobody has it
        assert nid[10:14] == "0230"
        with pytest.raises(ValidationFailed):
            parse_national_id(nid)
        assert is_example_national_id(nid)
        assert is_example_national_id(" " + nid.replace("4", "４") + "\u200b")  # as a clerk may type it


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_import_skips_the_templates_example_rows_with_a_note(
    cli: CliRunner, world: World, tmp_path: Path, lang: str
) -> None:
    template = tmp_path / "模板.xlsx"
    assert cli.invoke(app, ["template", "outcomes", "-o", str(template)]).exit_code == 0
    examples = _examples(template)
    wb = load_workbook(template)
    ws = wb["学习成果"]
    real = outcome_row(world, 1)
    for r, values in enumerate([*examples, [real[h] for h in HEADERS]], start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value or None)
    filled = tmp_path / "成果.xlsx"
    wb.save(filled)
    args = ["--lang", "en"] if lang == "en" else []
    r = cli.invoke(app, [*args, "import", "outcomes", str(filled)])
    assert r.exit_code == 0, r.output
    assert "未登记的颁发机构" not in r.output
    if lang == "zh":
        assert "第 2, 3 行是模板的示例行" in r.stdout and "已跳过" in r.stdout
        assert "导入完成：新增成果 1，新开账号 1" in r.stdout
    else:
        assert "Rows 2, 3 are the template's example rows" in r.stdout and "skipped" in r.stdout
    with world.platform.uow().read() as uow:
        assert uow.accounts.list(name_prefix="张三")[1] == 0  # nothing of the examples was stored
