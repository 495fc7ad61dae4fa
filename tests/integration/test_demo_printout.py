"""Issue 9 item 7: the demo printout counts from the data and fits 80 columns; the base-URL notes."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from tests.conftest import TEST_SECRET
from zhijiao.bootstrap import Platform
from zhijiao.cli.main import base_url_note
from zhijiao.config import get_settings
from zhijiao.demo.build import DEMO_PASSWORD
from zhijiao.services.credentials import issuance as credentials
from zhijiao.services.users import authenticate


def test_demo_printout_counts_credentials_from_data_and_fits_80_columns(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhijiao.cli.main import app

    monkeypatch.setenv("ZHIJIAO_DATABASE_URL", database_url)
    monkeypatch.setenv("ZHIJIAO_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("ZHIJIAO_BASE_URL", "http://127.0.0.1:8123")
    monkeypatch.setenv("COLUMNS", "80")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["demo", "--scale", "small", "--learners", "30", "--seed", "3"])
        assert result.exit_code == 0, result.output
        out = result.output
        too_wide = [line for line in out.splitlines() if cell_len(line) > 80]
        assert not too_wide, too_wide
        p = Platform(get_settings())
        learner = authenticate(p.uow(), "learner1", DEMO_PASSWORD)
        assert learner is not None and learner.account_id is not None
        with p.uow().read() as uow:
            account = uow.accounts.get(learner.account_id)
        assert account is not None
        held = len(credentials.list_credentials(p.uow(), learner, account.account_no))
        p.dispose()
        assert held > 4  # skill certificates, the transcript and one per exempted course
        m = re.search(r"learner1 的可验证凭证\s*│\s*(\d+)", out)
        assert m and int(m[1]) == held, out
        for phrase in ("学分兑换申请数", "批量预审可免修", "人才培养方案及转换办法", "学习成果数"):
            assert phrase in out  # on one line, not wrapped mid-phrase
        assert "演示凭证的状态列表地址为 http://127.0.0.1:8123/" in out
    finally:
        get_settings.cache_clear()


def test_serve_warns_when_the_base_url_is_not_the_serving_address(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhijiao.cli import main

    monkeypatch.setitem(main.state, "lang", "zh")
    assert base_url_note("http://127.0.0.1:8000", "127.0.0.1", 8000) == ""
    assert base_url_note("http://localhost:8000", "0.0.0.0", 8000) == ""
    note = base_url_note("http://127.0.0.1:8000", "127.0.0.1", 8080)
    assert "ZHIJIAO_BASE_URL" in note and "http://127.0.0.1:8080" in note and "部分检查无法完成" in note
    assert base_url_note("https://xf.example.cn", "127.0.0.1", 8000) != ""


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_demo_quality_summary_in_english(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.untranslated import CJK
    from zhijiao.cli.main import app

    monkeypatch.setenv("ZHIJIAO_DATABASE_URL", database_url)
    monkeypatch.setenv("ZHIJIAO_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("COLUMNS", "120")
    get_settings.cache_clear()
    try:
        args = ["--lang", "en", "demo", "--scale", "small", "--learners", "30", "--seed", "3"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        rows = [line for line in result.output.splitlines() if "Quality monitoring" in line]
        lines = result.output.splitlines()
        at = lines.index(rows[-1])
        quality = " ".join(lines[at : at + 2])
        assert re.search(r"\d+ schools × 3 academic years, [\d,]+ data values", quality), quality
        assert re.search(r"[\d,]+ approved, [\d,]+ submitted late", quality), quality
        assert not CJK.search(quality), quality
        at = next(i for i, line in enumerate(lines) if "Classified admissions" in line and "│" in line)
        admissions = " ".join(lines[at : at + 3])
        assert "candidates" in admissions and not CJK.search(admissions), admissions
    finally:
        get_settings.cache_clear()
