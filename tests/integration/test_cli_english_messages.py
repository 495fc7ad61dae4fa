"""`zhijiao --lang en …`: what the main commands of each pillar print (summaries, problems, refusals) is
English, with no Chinese outside the data (file names, people's and schools' names)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.factories import World
from tests.integration.test_admissions_cli import CANDIDATES, MAJORS, PROGRAMMES
from tests.quality_world import long_csv, long_rows
from tests.spreadsheets import csv_bytes, outcome_row
from zhijiao.bootstrap import Platform
from zhijiao.cli.main import app

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")


@pytest.fixture
def cli(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr("zhijiao.cli.main.platform", lambda: platform)
    return CliRunner()


def _english(cli: CliRunner, *args: object, code: int = 0, data: tuple[str, ...] = ()) -> str:
    r = cli.invoke(app, ["--lang", "en", *(str(a) for a in args)], env={"COLUMNS": "200"})
    out = r.output
    assert r.exit_code == code, out
    rest = out
    for kept in data:
        rest = rest.replace(kept, "")
    assert not CJK.search(rest), f"{args}: {CJK.findall(rest)}\n{out}"
    return out


def test_credit_bank_commands(cli: CliRunner, world: World, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([outcome_row(world, 1, 学时="-1"), outcome_row(world, 2, 成绩="120")]))
    out = _english(cli, "import", "outcomes", bad, code=1, data=("优/良/中/及格/不及格",))
    assert "bad.csv: row 2 column “hours”: Hours must not be negative" in out
    assert "Total 2 problems; nothing was imported" in out
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([outcome_row(world, 1)]))
    out = _english(cli, "import", "outcomes", good)
    assert "Import complete: Outcomes added 1, Accounts opened 1" in out
    assert "File not found: " in _english(cli, "import", "outcomes", tmp_path / "none.csv", code=2)
    _english(cli, "template", "outcomes", "-o", tmp_path / "t.xlsx")
    assert "Exported 1 learning outcomes: " in _english(cli, "export", "outcomes", "-o", tmp_path / "e.csv")
    _english(cli, "export", "outcomes", "-o", tmp_path / "e.pdf", code=2)
    assert "Ledger intact: " in _english(cli, "ledger", "verify")
    _english(cli, "transcript", "pdf", "4400000000000", "-o", tmp_path / "x.pdf", code=1)
    _english(cli, "user", "create", "x", "--role", "learner", "--password", "short", code=1)
    assert "The tables match the migrations" in _english(cli, "db", "check")
    out = _english(cli, "credential", "verify", bad, code=2)
    assert "Verdict: The credential is malformed" in out
    _english(cli, "convert", "suggest", "--plan", "1/510201/2023", "--cohort", "2023", code=1)


def test_admissions_commands(cli: CliRunner, tmp_path: Path) -> None:
    for name, text in (("G.csv", PROGRAMMES), ("M.csv", MAJORS), ("C.csv", CANDIDATES)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "C2.csv").write_text(CANDIDATES + "K9,,,x,1,G404,,是\n", encoding="utf-8")
    p = tmp_path / "P.yaml"
    _english(cli, "admissions", "policy-template", "-o", p)
    policy_name = ("2026年高职分类考试招生录取政策 (示例)",)  # the policy's name: data
    assert "skill share 60.0%" in _english(cli, "admissions", "policy-check", p, data=policy_name)
    run = ("admissions", "run", "--policy", p, "--programmes", tmp_path / "G.csv")
    files = ("录取结果.csv", "投档线.csv", "录取结果.xlsx")  # the published file names
    out = _english(cli, *run, "--majors", tmp_path / "M.csv", "--candidates", tmp_path / "C.csv",
                   "-o", tmp_path / "out", data=policy_name + files)  # fmt: skip
    assert "Major groups 2, Places 3, Unfilled places 1" in out
    headers = (
        "“姓名”",
        '"姓名"',
        '"考生类别"',
        '"文化素质成绩"',
        '"志愿1"',
        "普通, 退役军人, 下岗职工, 农民工, 高素质农民, 技能拔尖",
    )
    out = _english(
        cli, *run, "--candidates", tmp_path / "C2.csv", "-o", tmp_path / "o2", code=1, data=headers
    )
    assert 'group "G404" is not in the programmes file' in out
    refused = tmp_path / "P2.yaml"
    refused.write_text(p.read_text("utf-8").replace("full_marks: 450", "full_marks: 200"), encoding="utf-8")
    out = _english(cli, "admissions", "policy-check", refused, code=1, data=("职业技能",))
    assert "40.0%" in out


def test_quality_commands(cli: CliRunner, world: World, tmp_path: Path) -> None:
    code = world.school.moe_code
    _english(cli, "quality", "template", "--org", code, "--year", "2024", "-o", tmp_path / "q.xlsx")
    q = tmp_path / "q.csv"
    q.write_bytes(long_csv(long_rows(code, "2023-2024")))
    assert "Import complete" in _english(cli, "quality", "import", q, "--as", "school_staff")
    schools = (world.school.name, world.other_school.name)
    assert "Pass 1" in _english(cli, "quality", "cards", "--province", "44", "--year", "2024", data=schools)
    _english(cli, "quality", "standards", "--level", "higher")
    _english(
        cli, "quality", "approve", "--org", code, "--period", "2023-2024", "--as", "school_staff", code=1
    )
