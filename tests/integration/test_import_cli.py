"""`zhijiao template|import|export outcomes` on the command line, and killing an import midway."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.conftest import TEST_SECRET
from tests.factories import World
from tests.spreadsheets import csv_bytes, outcome_row, snapshot
from zhijiao.bootstrap import Platform
from zhijiao.cli.main import app
from zhijiao.domain.identity import make_national_id
from zhijiao.services.creditbank.ledger import verify_ledger


@pytest.fixture
def cli(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr("zhijiao.cli.main.platform", lambda: platform)
    return CliRunner()


def test_import_prints_every_problem_and_exits_1(cli: CliRunner, world: World, tmp_path: Path) -> None:
    path = tmp_path / "成果.csv"
    path.write_bytes(csv_bytes([outcome_row(world, 1, 学时="-1"), outcome_row(world, 2, 成绩="120")]))
    before = snapshot(world.platform)
    r = cli.invoke(app, ["import", "outcomes", str(path)])
    assert r.exit_code == 1
    assert "成果.csv：第 2 行“学时”列：学时不能为负数" in r.stderr
    assert "成果.csv：第 3 行“成绩”列：成绩 120 超出范围（百分制 0—100，或等级 优/良/中/及格/不及格）" in r.stderr
    assert "共 2 处问题，未导入任何数据" in r.stderr
    assert snapshot(world.platform) == before


def test_import_counts_then_nothing_new(cli: CliRunner, world: World, tmp_path: Path) -> None:
    path = tmp_path / "成果.csv"
    path.write_bytes(csv_bytes([outcome_row(world, n) for n in (1, 2, 3)]))
    r = cli.invoke(app, ["import", "outcomes", str(path)])
    assert r.exit_code == 0, r.output
    assert "导入完成：新增成果 3，新开账号 3，已存在跳过 0" in r.stdout
    again = cli.invoke(app, ["import", "outcomes", str(path)])
    assert again.exit_code == 0
    assert "没有新增数据：文件中的学习成果均已记录（已存在跳过 3）" in again.stdout


def test_import_as_a_user_uses_that_users_rights(cli: CliRunner, world: World, tmp_path: Path) -> None:
    path = tmp_path / "证书.csv"
    row = outcome_row(
        world, 1, 成果类型="职业技能等级证书", 颁发机构=world.certifier.name, 等级="高级", 学时=""
    )
    path.write_bytes(csv_bytes([row]))
    denied = cli.invoke(app, ["import", "outcomes", str(path), "--as", "school_staff"])
    assert denied.exit_code == 1
    assert f"第 2 行“颁发机构”列：无权以“{world.certifier.name}”的名义记录学习成果" in denied.stderr
    assert cli.invoke(app, ["import", "outcomes", str(path), "--as", "certifier"]).exit_code == 0
    assert cli.invoke(app, ["import", "outcomes", str(path), "--as", "nobody"]).exit_code == 2


def test_unreadable_file_is_a_clear_error(cli: CliRunner, world: World, tmp_path: Path) -> None:
    path = tmp_path / "乱码.csv"
    path.write_bytes(bytes([0x81, 0x20, 0xFF, 0x30]))
    r = cli.invoke(app, ["import", "outcomes", str(path)])
    assert r.exit_code == 1
    assert "文件“乱码.csv”不是 UTF-8 或 GBK 编码的文本" in r.stderr


def test_template_and_export(cli: CliRunner, world: World, tmp_path: Path) -> None:
    template = tmp_path / "模板.xlsx"
    assert cli.invoke(app, ["template", "outcomes", "-o", str(template)]).exit_code == 0
    assert load_workbook(template).sheetnames == ["学习成果", "填写说明"]
    data = tmp_path / "a.csv"
    data.write_bytes(csv_bytes([outcome_row(world, 1, 姓名='=HYPERLINK("http://x","点")')]))
    assert cli.invoke(app, ["import", "outcomes", str(data)]).exit_code == 0
    out = tmp_path / "导出.csv"
    r = cli.invoke(app, ["export", "outcomes", "--institution", str(world.school.id), "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in text.decode("utf-8-sig")
    assert cli.invoke(app, ["export", "outcomes", "-o", str(tmp_path / "x.pdf")]).exit_code == 2


# --- killing the process midway ------------------------------------------------------------------


def _big_file(world: World, n: int) -> bytes:
    rows = []
    for i in range(n):
        born = date(2000, 1, 1) + timedelta(days=i // 3)
        rows.append(
            outcome_row(world, i, 身份证号=make_national_id("440103", born, 11), 姓名=f"学员{i // 3}",
                        成果名称=f"课程{i % 3}", 成果代码=f"C{i % 3}")
        )  # fmt: skip
    return csv_bytes(rows)


def _start(database_url: str, path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "ZHIJIAO_DATABASE_URL": database_url, "ZHIJIAO_SECRET_KEY": TEST_SECRET}
    env.pop("ZHIJIAO_DEMO", None)
    exe = Path(sys.executable).parent / "zhijiao"
    return subprocess.Popen(
        [str(exe), "import", "outcomes", str(path)], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.slow
def test_killing_an_import_midway_leaves_the_database_as_it_was(
    database_url: str, world: World, tmp_path: Path
) -> None:
    """SIGKILL the CLI once it is writing (after accounts were inserted, before the commit), at a
    random moment, repeatedly: each time the database is exactly as before or wholly imported."""
    path = tmp_path / "大文件.csv"
    path.write_bytes(_big_file(world, 3000))
    before = snapshot(world.platform)
    states = []
    rng = random.Random(20240630)
    for attempt in range(3):
        proc = _start(database_url, path)
        assert proc.stderr is not None
        for line in proc.stderr:  # one line per step when stderr is not a terminal
            if line.startswith("开户"):  # accounts inserted, outcomes and ledger being written
                break
        else:
            pytest.fail(f"no progress from the import: {proc.wait()}")
        time.sleep(0 if attempt == 0 else rng.uniform(0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        states.append(snapshot(world.platform))
    done = _start(database_url, path)
    _, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    complete = snapshot(world.platform)
    assert complete["outcomes"] == before["outcomes"] + 3000
    assert complete["learning_accounts"] == before["learning_accounts"] + 1000
    for state in states:
        done_before = {k: v for k, v in state.items() if k != "import_batches"}
        assert state == before or done_before == {k: v for k, v in complete.items() if k != "import_batches"}
    assert states[0] == before  # killed while writing: nothing of it remains
    assert verify_ledger(world.platform.uow()).intact


def test_a_refused_export_leaves_no_file(cli: CliRunner, world: World, tmp_path: Path) -> None:
    out = tmp_path / "导出.csv"
    r = cli.invoke(
        app,
        [
            "export",
            "outcomes",
            "--institution",
            str(world.far_school.id),
            "--as",
            "school_staff",
            "-o",
            str(out),
        ],
    )
    assert r.exit_code == 1
    assert "只能导出本机构的学习成果" in r.stderr
    assert not out.exists() and not list(tmp_path.glob("*.part"))  # neither the file nor a partial one
