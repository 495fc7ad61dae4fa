"""`zhijiao admissions policy-template | policy-check | run`: files in (UTF-8/GBK CSV, Excel), files out
(录取结果.csv, 投档线.csv, the workbook, the run record), every problem at once, overrides."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from zhijiao.cli import main

PROGRAMMES = "专业组代码,院校代码,院校名称,计划数\nG001,10001,甲职业技术学院,2\nG002,10002,乙技师学院,1\n"
MAJORS = "专业组代码,专业代码,专业名称,计划数\nG001,01,数控技术,1\nG001,02,模具设计,1\nG002,01,电工,1\n"
CANDIDATES = (
    "考生号,姓名,考生类别,文化素质成绩,职业技能成绩,志愿1,志愿2,服从调剂\n"
    "K001,张三,普通,200,400,G001:01,G002,是\n"
    "K002,李四,普通,210,380,G001:01,G002,否\n"
    "K003,王五,退役军人,,430,G002,,是\n"
    "K004,赵六,普通,100,300,G001,G002,是\n"
    "K005,钱七,普通,50,60,G001,,是\n"
)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    return lambda *args: runner.invoke(main.app, [str(a) for a in args])


def _files(tmp: Path, *, encoding: str = "utf-8", candidates: str = CANDIDATES) -> dict[str, Path]:
    out = {}
    for name, text in (("G.csv", PROGRAMMES), ("M.csv", MAJORS), ("C.csv", candidates)):
        (tmp / name).write_bytes(text.encode(encoding))
        out[name] = tmp / name
    return out


def _policy(tmp: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    p = tmp / "P.yaml"
    done = cli("admissions", "policy-template", "-o", p)
    assert done.exit_code == 0, done.output
    return p


def _read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_template_is_a_valid_documented_policy(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = _policy(tmp_path, cli)
    text = p.read_text("utf-8")
    assert "职业技能测试分值不低于总分值的50%" in text and "tie_break" in text and "退役军人" in text
    done = cli("admissions", "policy-check", p)
    assert done.exit_code == 0 and "60.0%" in done.output


def test_policy_with_skill_below_half_is_refused_with_the_figures(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = _policy(tmp_path, cli)
    p.write_text(p.read_text("utf-8").replace("full_marks: 450", "full_marks: 200"), "utf-8")
    done = cli("admissions", "policy-check", p)
    assert done.exit_code == 1
    assert "40.0%" in done.output and "200" in done.output and "500" in done.output and "50%" in done.output


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_run_writes_results_lines_workbook_and_record(cli, tmp_path: Path, encoding: str) -> None:  # type: ignore[no-untyped-def]
    f = _files(tmp_path, encoding=encoding)
    out = tmp_path / "out"
    done = cli("admissions", "run", "--policy", _policy(tmp_path, cli), "--programmes", f["G.csv"],
               "--majors", f["M.csv"], "--candidates", f["C.csv"], "-o", out)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "录取" in done.output and "未投档" in done.output
    results = _read_csv(out / "录取结果.csv")
    assert list(results[0]) == ["考生号", "结果", "专业组代码", "专业代码", "原因"]
    by_no = {r["考生号"]: r for r in results}
    # K001 (600) before K002 (590): K001 gets major 01 of G001
    assert (by_no["K001"]["结果"], by_no["K001"]["专业组代码"], by_no["K001"]["专业代码"]) == (
        "录取",
        "G001",
        "01",
    )
    # K002 wanted only 01, does not accept reassignment: 退档, and not dispatched again to G002 this round
    assert by_no["K002"]["结果"] == "退档" and "不服从专业调剂" in by_no["K002"]["原因"]
    # the veteran counts 150 (fixed culture value) + 430 = 580: G002
    assert (by_no["K003"]["结果"], by_no["K003"]["专业组代码"]) == ("录取", "G002")
    # G001's two dispatch places (2 × 1.05) went to K001 and K002; K002's 退档 leaves a place for the
    # supplementary round, K004 is not dispatched in this round
    assert by_no["K004"]["结果"] == "未投档" and by_no["K004"]["原因"] == "所填 2 个志愿均分数不足，未投档"
    assert by_no["K005"]["结果"] == "未投档" and "批次最低控制线" in by_no["K005"]["原因"]
    lines = _read_csv(out / "投档线.csv")
    assert list(lines[0]) == ["专业组代码", "计划数", "投档数", "最低投档分", "最低位次"]
    assert {r["专业组代码"]: r["最低投档分"] for r in lines} == {"G001": "590", "G002": "580"}
    wb = load_workbook(out / "录取结果.xlsx", read_only=True)
    assert wb.sheetnames[:2] == ["录取结果", "投档线"]
    rows = list(wb["录取结果"].iter_rows(values_only=True))
    assert rows[0] == ("考生号", "结果", "专业组代码", "专业代码", "原因") and len(rows) == 6
    assert list(wb["投档线"].iter_rows(values_only=True))[1][1] == 2  # numbers as numbers
    record = json.loads((out / "运行记录.json").read_text("utf-8"))
    inputs = {i["role"]: i["sha256"] for i in record["inputs"]}
    assert inputs["candidates"] == hashlib.sha256(f["C.csv"].read_bytes()).hexdigest()
    assert set(inputs) == {"policy", "programmes", "majors", "candidates"}
    for o in record["outputs"]:
        assert o["sha256"] == hashlib.sha256((out / o["file"]).read_bytes()).hexdigest()
    assert record["counts"]["admitted"] == 2 and record["finished_at"].endswith("+08:00")


def test_same_inputs_give_the_same_output_digests(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = _files(tmp_path)
    p = _policy(tmp_path, cli)
    digests = []
    for out in (tmp_path / "a", tmp_path / "b"):
        assert cli("admissions", "run", "--policy", p, "--programmes", f["G.csv"], "--majors", f["M.csv"],
                   "--candidates", f["C.csv"], "-o", out).exit_code == 0  # fmt: skip
        digests.append(json.loads((out / "运行记录.json").read_text("utf-8"))["outputs"])
    assert digests[0] == digests[1]


def test_excel_input_with_english_headers(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(
        ["candidate_no", "name", "category", "culture_score", "skill_score", "choice1", "accept_reassignment"]
    )
    ws.append(["K1", "张三", "ordinary", 200, 300.5, "G002", "yes"])
    wb.save(tmp_path / "C.xlsx")
    g = tmp_path / "G.csv"
    g.write_text("group,school_code,school_name,quota\nG002,10002,乙技师学院,1\n", "utf-8")
    out = tmp_path / "out"
    done = cli("admissions", "run", "--policy", _policy(tmp_path, cli), "--programmes", g,
               "--candidates", tmp_path / "C.xlsx", "-o", out)  # fmt: skip
    assert done.exit_code == 0, done.output
    assert _read_csv(out / "录取结果.csv")[0]["结果"] == "录取"
    assert _read_csv(out / "投档线.csv")[0]["最低投档分"] == "500.5"


def test_bad_files_are_reported_all_at_once_and_nothing_runs(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = CANDIDATES + "K001,重复,普通,10,10,G001,,是\nK9,,学生,abc,999,G404,G001:77,也许\n"
    f = _files(tmp_path, candidates=bad)
    out = tmp_path / "out"
    done = cli("admissions", "run", "--policy", _policy(tmp_path, cli), "--programmes", f["G.csv"],
               "--majors", f["M.csv"], "--candidates", f["C.csv"], "-o", out)  # fmt: skip
    assert done.exit_code == 1
    text = done.output
    for expected in ("第 7 行“考生号”：“K001”与第 2 行重复", "第 8 行“姓名”：不能为空", "第 8 行“考生类别”",
                     "第 8 行“文化素质成绩”：应为数字", "第 8 行“职业技能成绩”：应在 0 到 450 之间",
                     "第 8 行“志愿1”：专业组“G404”不在专业组文件中", "第 8 行“志愿2”：专业“77”不在专业组“G001”中",
                     "第 8 行“服从调剂”"):  # fmt: skip
        assert expected in text, expected
    assert not out.exists()


def test_majors_must_add_up_to_the_group_quota(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = _files(tmp_path)
    f["M.csv"].write_text(MAJORS.replace("G001,02,模具设计,1", "G001,02,模具设计,3"), "utf-8")
    done = cli("admissions", "run", "--policy", _policy(tmp_path, cli), "--programmes", f["G.csv"],
               "--majors", f["M.csv"], "--candidates", f["C.csv"], "-o", tmp_path / "out")  # fmt: skip
    assert done.exit_code == 1 and "各专业计划数之和为 4，与专业组计划数 2 不一致" in done.output


def test_overrides_are_validated_like_the_policy(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = _files(tmp_path)
    p = _policy(tmp_path, cli)
    args = ["admissions", "run", "--policy", p, "--programmes", f["G.csv"], "--candidates", f["C.csv"]]
    done = cli(*args, "-o", tmp_path / "o1", "--dispatch-ratio", "1.2")
    assert done.exit_code == 1 and "1.05" in done.output
    # a what-if run: no batch line, the culture part counted at 0 for the veteran
    done = cli(*args, "-o", tmp_path / "o2", "--min-score", "0", "--exempt-culture-value", "0")
    assert done.exit_code == 0, done.output
    by_no = {r["考生号"]: r for r in _read_csv(tmp_path / "o2" / "录取结果.csv")}
    assert by_no["K005"]["结果"] == "未投档" and "分数不足" in by_no["K005"]["原因"]
    record = json.loads((tmp_path / "o2" / "运行记录.json").read_text("utf-8"))
    assert record["policy"]["overrides"] == {"batch_min_score": 0.0, "exempt_groups.culture_value": 0.0}


def test_english_messages_with_lang_en(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = _policy(tmp_path, cli)
    assert (
        "Example admission policy written"
        in cli("--lang", "en", "admissions", "policy-template", "-o", p).output
    )
    refused = tmp_path / "R.yaml"
    refused.write_text(p.read_text("utf-8").replace("full_marks: 450", "full_marks: 200"), "utf-8")
    done = cli("--lang", "en", "admissions", "policy-check", refused)
    assert done.exit_code == 1 and "the skill test counts for 40.0% of the total" in done.output
    assert "full marks 200" in done.output and "total 500" in done.output
    bad = CANDIDATES + "K9,,学生,abc,999,G404,,也许\n"
    f = _files(tmp_path, candidates=bad)
    done = cli("--lang", "en", "admissions", "run", "--policy", p, "--programmes", f["G.csv"],
               "--candidates", f["C.csv"], "-o", tmp_path / "o1")  # fmt: skip
    text = " ".join(done.output.split())
    assert done.exit_code == 1 and "nothing was run" in text
    for expected in ('row 7, column "姓名": must not be empty', 'column "文化素质成绩": should be a number, found "abc"',
                     "should be between 0 and 450, found 999", 'group "G404" is not in the programmes file'):  # fmt: skip
        assert expected in text, expected
    f = _files(tmp_path)
    done = cli("--lang", "en", "admissions", "run", "--policy", p, "--programmes", f["G.csv"], "--majors", f["M.csv"],
               "--candidates", f["C.csv"], "-o", tmp_path / "o2", "--no-xlsx")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert (
        "Admission results" in done.output
        and "Unfilled places" in done.output
        and "录取中" not in done.output
    )
