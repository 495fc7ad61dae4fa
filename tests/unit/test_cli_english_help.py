"""`zhijiao --lang en … --help` (and ZHIJIAO_LANG=en) is English for every command of the tree; the
default stays Chinese (issue 9, “English complete”)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer.main
from typer.testing import CliRunner

from zhijiao.cli.main import app, english_requested

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")
runner = CliRunner()


def _paths(command: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _paths(sub, (*path, name))


PATHS = list(_paths(typer.main.get_command(app)))


def test_the_tree_is_walked() -> None:
    assert len(PATHS) > 50 and ("admissions", "run") in PATHS and ("quality", "target") in PATHS


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "zhijiao")
def test_help_in_both_languages(path: tuple[str, ...]) -> None:
    zh = runner.invoke(app, [*path, "--help"], env={"ZHIJIAO_LANG": "", "COLUMNS": "200"})
    assert zh.exit_code == 0, zh.output
    assert CJK.search(zh.output), zh.output  # the default is Chinese
    for args, env in (
        (["--lang", "en", *path, "--help"], {"ZHIJIAO_LANG": ""}),
        (["--lang=en", *path, "--help"], {"ZHIJIAO_LANG": ""}),
        ([*path, "--help"], {"ZHIJIAO_LANG": "en"}),
    ):
        en = runner.invoke(app, args, env={**env, "COLUMNS": "200"})
        assert en.exit_code == 0, en.output
        left = CJK.findall(en.output)
        assert not left, f"{' '.join(args)}: {''.join(left)}\n{en.output}"


def test_a_chinese_run_after_an_english_one_is_chinese() -> None:
    runner.invoke(app, ["--lang", "en", "admissions", "--help"], env={"ZHIJIAO_LANG": ""})
    again = runner.invoke(app, ["admissions", "--help"], env={"ZHIJIAO_LANG": ""})
    assert "分类考试招生" in again.output


@pytest.mark.parametrize(
    ("args", "env", "english"),
    [
        (["--lang", "en", "db"], {}, True), (["--lang=en"], {}, True), (["--lang", "zh"], {"ZHIJIAO_LANG": "en"}, False),
        (["db"], {"ZHIJIAO_LANG": "en"}, True), (["db"], {"ZHIJIAO_LANG": "EN "}, True), (["db"], {}, False),
        (["--", "--lang", "en"], {}, False), (["--lang"], {}, False),
    ],
)  # fmt: skip
def test_english_requested(args: list[str], env: dict[str, str], english: bool) -> None:
    assert english_requested(args, env) is english
