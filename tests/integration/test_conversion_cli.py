"""`zhijiao plan import`, `zhijiao rules import|export`, `zhijiao convert suggest` on both databases."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conversion_world import build, plan_data, rules_yaml
from tests.factories import World
from zhijiao.bootstrap import Platform
from zhijiao.cli import main


@pytest.fixture
def run(platform: Platform, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(main, "platform", lambda: platform)
    runner = CliRunner()
    return lambda *args: runner.invoke(main.app, list(args))


def test_plan_and_rules_round_trip(world: World, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan_data(world)), "utf-8")
    done = run("plan", "import", str(plan_file))
    assert done.exit_code == 0, done.output
    assert "已发布" in done.output and "6 门课程" in done.output
    key = f"{world.school.id}/510201/2023"
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(rules_yaml(world), "utf-8")
    imported = run("rules", "import", str(rules_file), "--plan", key)
    assert imported.exit_code == 0, imported.output
    assert "R-DB@2" in imported.output
    wrong = run("rules", "import", str(rules_file), "--plan", f"{world.school.id}/510201/2024")
    assert wrong.exit_code == 1 and "规则集属于培养方案" in wrong.output
    out = tmp_path / "out.json"
    assert run("rules", "export", "--plan", key, "-o", str(out)).exit_code == 0
    assert len(json.loads(out.read_text("utf-8"))["rules"]) == 4
    again = run("rules", "import", str(out))
    assert again.exit_code == 0 and "未变 4" in again.output
    broken = tmp_path / "broken.yaml"
    broken.write_text(rules_yaml(world).replace("targets: [H01]", "targets: H01"), "utf-8")
    failed = run("rules", "import", str(broken))
    assert failed.exit_code == 1 and "rules[0].targets：类型应为列表" in failed.output


def test_convert_suggest_lists_the_cohort(world: World, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cw = build(world)
    table = run("convert", "suggest", "--plan", f"{world.school.id}/510201", "--cohort", "2023")
    assert table.exit_code == 0, table.output
    assert "1 名学习者中 1 名可申请免修，共 2 门课程" in table.output
    out = tmp_path / "s.csv"
    done = run("convert", "suggest", "--plan", str(cw.key), "-o", str(out), "--on", "2024-06-01")
    assert done.exit_code == 0, done.output
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["学习账号", "姓名", "课程代码"]
    assert {(r[0], r[2]) for r in rows[1:]} == {(cw.account_no, "H01"), (cw.account_no, "E01")}
    missing = run("convert", "suggest", "--plan", "1/999999", "--cohort", "2023")
    assert missing.exit_code == 1 and "不存在或未发布" in missing.output


def test_unreadable_input_files_are_named_in_chinese(world: World, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    latin = tmp_path / "规则.yaml"
    latin.write_bytes("名称: 规则".encode("gbk"))
    for args, message in (
        (["plan", "import", str(tmp_path / "无此方案.json")], "文件不存在"),
        (["rules", "import", str(latin)], "不是 UTF-8 编码的文本文件"),
        (["import", "outcomes", str(tmp_path)], "是目录，不是文件"),
        (["credential", "verify", str(tmp_path / "无此凭证.json")], "文件不存在"),
    ):
        done = run(*args)
        assert done.exit_code != 0
        assert f"{message}：{args[-1]}" in done.output
        assert "Traceback" not in done.output
