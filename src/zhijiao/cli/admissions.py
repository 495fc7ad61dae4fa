"""`zhijiao admissions policy-template | policy-check | run`: a province's classified admission from files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from zhijiao.cli import main as cli
from zhijiao.domain.errors import DomainError

admissions_app = typer.Typer(help="分类考试招生：录取政策、平行志愿投档与录取。", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(admissions_app, name="admissions")


def _input(path: Path) -> Any:
    from zhijiao.adapters.admissions.files import InputFile

    return InputFile(path.name, cli.read_input(path))


def _tr(text: str) -> str:
    from zhijiao.adapters.admissions.english import translate

    return translate(cli.state["lang"])(text)


def _say(text: str) -> None:
    """Print a composed line; in English with Western punctuation."""
    from zhijiao.adapters.admissions.english import punctuated

    cli.console.print(punctuated(text) if cli.state["lang"] == "en" else text)


def _fail(exc: DomainError) -> typer.Exit:
    from rich.markup import escape

    cli.err.print(f"[red]{escape(_tr(exc.message))}[/red]", highlight=False, soft_wrap=True)
    return typer.Exit(1)


@admissions_app.command("policy-template")
def policy_template(
    output: Path = typer.Option(..., "-o", "--output", help="写出的政策文件（.yaml）"),
) -> None:
    """写出带说明的录取政策示例（职业技能 ≥ 50%、免考群体、技能拔尖免试、同分排序），供省级考试院修改。"""
    from zhijiao.adapters.admissions.policy_io import policy_template as template

    output.write_text(template(), "utf-8")
    _say(f"{cli._('已写出录取政策示例')}：{output}")


@admissions_app.command("policy-check")
def policy_check(file: Path = typer.Argument(..., help=".yaml / .yml 或 .json")) -> None:
    """按发布的 schema 校验录取政策，列出全部问题。"""
    from zhijiao.adapters.admissions.policy_io import read_policy

    try:
        policy = read_policy(cli.read_text_input(file), file.name)
    except DomainError as exc:
        raise _fail(exc) from None
    _say(
        f"{cli._('录取政策有效')}：{policy.name}（{cli._('职业技能占比')} {policy.skill_share * 100:.1f}%，"
        f"{cli._('投档比例')} {policy.dispatch_ratio}）"
    )


@admissions_app.command("run")
def run(
    policy: Path = typer.Option(..., "--policy", help="录取政策（.yaml / .json）"),
    programmes: Path = typer.Option(..., "--programmes", help="专业组文件：专业组代码,院校代码,院校名称,计划数"),
    candidates: Path = typer.Option(..., "--candidates", help="考生文件：考生号,姓名,考生类别,文化素质成绩,职业技能成绩,志愿1…,服从调剂"),
    output: Path = typer.Option(..., "-o", "--output", help="输出目录"),
    majors: Path | None = typer.Option(None, "--majors", help="专业文件：专业组代码,专业代码,专业名称,计划数"),
    supplementary: Path | None = typer.Option(None, "--supplementary", help="征集志愿文件：考生号,志愿1…,服从调剂"),
    dispatch_ratio: float | None = typer.Option(None, "--dispatch-ratio", help="覆盖政策中的投档比例（≤ 1.05）"),
    min_score: float | None = typer.Option(None, "--min-score", help="覆盖批次最低控制线"),
    tie_break: str | None = typer.Option(None, "--tie-break", help="覆盖同分排序，如 skill,culture,preference"),
    exempt_mode: str | None = typer.Option(None, "--exempt-mode", help="覆盖免考群体排序方式：skill_only / fixed_culture"),
    exempt_culture_value: float | None = typer.Option(None, "--exempt-culture-value", help="覆盖免考群体文化素质固定分值"),
    credit_bank: bool = typer.Option(True, "--credit-bank/--no-credit-bank",
                                     help="考生文件有“学习账号”时在学分银行核验获奖与证书"),
    workbook: bool = typer.Option(True, "--xlsx/--no-xlsx", help="同时写出 Excel 工作簿"),
) -> None:  # fmt: skip
    """平行志愿投档与录取：写出 录取结果.csv、投档线.csv、录取结果.xlsx 和 运行记录.json（各文件 SHA-256）。"""
    from zhijiao.domain.access import SYSTEM
    from zhijiao.services.admissions.runs import RunFiles, run_admissions, write_run

    overrides: dict[str, Any] = {}
    if dispatch_ratio is not None:
        overrides["dispatch_ratio"] = dispatch_ratio
    if min_score is not None:
        overrides["batch_min_score"] = min_score
    if tie_break is not None:
        overrides["tie_break"] = [t.strip() for t in tie_break.split(",") if t.strip()]
    if exempt_mode is not None:
        overrides["exempt_groups.mode"] = exempt_mode
    if exempt_culture_value is not None:
        overrides["exempt_groups.culture_value"] = exempt_culture_value
    files = RunFiles(_input(policy), _input(programmes), _input(candidates),
                     _input(majors) if majors else None, _input(supplementary) if supplementary else None)  # fmt: skip
    bank = (lambda: cli.get_platform().uow()) if credit_bank else None
    try:
        with cli.err.status(cli._("录取中……")):
            done = run_admissions(files, overrides=overrides, credit_bank=bank, principal=SYSTEM)
            write_run(done, files, output, overrides=overrides, workbook=workbook)
    except DomainError as exc:
        raise _fail(exc) from None
    _summary(done, output)


def _summary(done: Any, output: Path) -> None:
    _ = cli._
    c = done.counts
    table = Table(title=f"{done.policy.name}{': ' if cli.state['lang'] == 'en' else '：'}{_('录取结果')}")
    for h in ("考生", "录取", "其中征集志愿录取", "退档", "未投档"):
        table.add_column(_(h), justify="right")
    table.add_row(
        *(
            str(c[k])
            for k in ("candidates", "admitted", "admitted_supplementary", "rejected", "not_dispatched")
        )
    )
    cli.console.print(table)
    quota = sum(g.quota for g in done.inputs.programmes)
    unfilled = sum(
        max(g.quota - a, 0)
        for g, a in zip(done.inputs.programmes, done.result.admitted_per_group, strict=True)
    )
    _say(f"{_('专业组')} {len(done.inputs.programmes)}，{_('计划数')} {quota}，{_('未完成计划')} {unfilled}")
    if done.checks is not None:
        k = done.checks
        _say(f"{_('学分银行核验')}：{_('学习账号')} {k.accounts}，{_('找到')} {k.found}，"
                          f"{_('获奖认定')} {k.awards_confirmed}，{_('证书认定')} {k.certificates_confirmed}")  # fmt: skip
    seconds = sum(done.timings.values())
    _say(f"{_('输出目录')}：{output}（{_('用时')} {seconds:.1f} s）")
    for name, digest in done.outputs.items():
        if digest:
            cli.console.print(f"  {name}  sha256:{digest}", highlight=False, soft_wrap=True)
