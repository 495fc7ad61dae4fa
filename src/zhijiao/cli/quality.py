"""`zhijiao quality …`: the school's form, imports, the workflow, indicators and cards."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import typer

from zhijiao.domain.access import Principal

quality_app = typer.Typer(help="质量监测：状态数据填报、指标、标准与黄牌红牌。", no_args_is_help=True)
AS_HELP = "以该用户的身份和权限执行（默认：系统国家级管理员）"
FORMATS = ("table", "json", "csv")


def register(app: typer.Typer) -> None:
    app.add_typer(quality_app, name="quality")


def _cli() -> ModuleType:
    from zhijiao.cli import main

    return main


def _principal(username: str | None) -> Principal:
    from zhijiao.cli.imports import _principal as principal_of

    return principal_of(username)


def _run(fn: Callable[[], Any]) -> Any:
    """Run a service call; a domain error becomes its Chinese message and exit code 1."""
    from zhijiao.domain.errors import DomainError

    cli = _cli()
    try:
        return fn()
    except DomainError as e:
        cli.err.print(f"[red]{cli._(e.message)}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


def _colon() -> str:
    return ": " if _cli().state["lang"] == "en" else "："


def _fmt(fmt: str) -> str:
    if fmt not in FORMATS:
        cli = _cli()
        cli.err.print(f"[red]{cli._('格式只能是 table、json 或 csv')}[/red]")
        raise typer.Exit(2)
    return fmt


@quality_app.command("template")
def template(
    org: str = typer.Option(..., "--org", help="学校标识码或统一社会信用代码"),
    year: int = typer.Option(..., "--year", help="年度：表单期间为该年结束的学年（如 2024 → 2023-2024）"),
    output: Path = typer.Option(..., "-o", "--output", help="填报表文件（.xlsx）"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """生成学校的状态数据填报表（Excel）：每部分一个工作表、锁定标签、数据校验、隐藏代码与表单版本。"""
    from zhijiao.services.quality.forms import school_form

    cli = _cli()
    if output.suffix.lower() != ".xlsx":
        cli.err.print(f"[red]{cli._('模板文件须以 .xlsx 结尾')}[/red]")
        raise typer.Exit(2)
    principal = _principal(as_user)
    data = _run(lambda: school_form(cli.get_platform().uow(), principal, org, year))
    output.write_bytes(data)
    cli.console.print(f"{cli._('填报表已生成')}{_colon()}{output}", highlight=False)


@quality_app.command("import")
def import_file(
    file: Path = typer.Argument(
        ..., help="填报表（.xlsx）或长表（.csv / .xlsx：机构代码,期间,数据元代码,分类,值）"
    ),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """导入状态数据：全部导入或一项也不导入；有问题时逐项列出工作表和单元格（或行和列）。"""
    from zhijiao.adapters.spreadsheets.quality_form import read_quality_file
    from zhijiao.adapters.spreadsheets.reading import SpreadsheetError
    from zhijiao.services.quality.collection import import_values

    cli = _cli()
    _ = cli._
    data = cli.read_input(file)
    principal = _principal(as_user)
    try:
        read = read_quality_file(file.name, data)
    except SpreadsheetError as e:
        cli.err.print(f"[red]{_(e.message)}[/red]", highlight=False)
        raise typer.Exit(1) from None
    result = _run(
        lambda: import_values(
            cli.get_platform().uow(), principal, read.values, filename=read.filename, file_sha256=read.sha256,
            file_kind=read.kind, file_problems=read.problems,
        )
    )  # fmt: skip
    if not result.ok:
        for problem in result.problems:
            text = problem.describe(result.filename)
            if cli.state["lang"] == "en":
                place = problem.where.describe_en(problem.column)
                text = f"{result.filename}: {place + ': ' if place else ''}{_(problem.message)}"
            cli.err.print(text, markup=False, highlight=False, soft_wrap=True)
        cli.err.print(
            f"[red]{_('共')} {len(result.problems)} {_('处问题，未导入任何数据')}[/red]", highlight=False
        )
        raise typer.Exit(1)
    for warning in result.warnings_en if cli.state["lang"] == "en" else result.warnings:
        cli.err.print(
            f"[yellow]{_('一致性提示')}[/yellow]{_colon()}{warning}", highlight=False, soft_wrap=True
        )
    if result.values_written == 0:
        cli.console.print(
            f"{_('没有变化：文件中的数据均已记录')} ({result.values_unchanged})", highlight=False
        )
        return
    cli.console.print(
        f"{_('导入完成')}{_colon()}{_('新增或更新')} {result.values_written}, {_('未变')} {result.values_unchanged}"
        f" ({_('批次')} {result.batch_id})",
        highlight=False,
    )


@quality_app.command("indicators")
def indicators(
    org: str = typer.Option(..., "--org", help="学校标识码或统一社会信用代码"),
    year: int = typer.Option(..., "--year", help="年度：该年的自然年和该年结束的学年"),
    fmt: str = typer.Option("table", "--format", help="table、json 或 csv"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """学校某年度的各项指标、标准、结论（达标/预警/不达标）与黄牌红牌。"""
    from zhijiao.domain.quality.verdicts import CARD_LABELS, VERDICT_LABELS
    from zhijiao.services.quality.verdicts import school_year
    from zhijiao.services.quality.views import school_year_json

    cli = _cli()
    _ = cli._
    fmt = _fmt(fmt)
    principal = _principal(as_user)
    report = _run(lambda: school_year(cli.get_platform().uow(), principal, org, year))
    body = school_year_json(report)
    rows = body["indicators"]
    if fmt == "json":
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    en = cli.state["lang"] == "en"
    if fmt == "csv":  # in English: the English name and source (the JSON carries both languages)
        buf = io.StringIO()
        keys = ("indicator", "name", "value", "numerator", "denominator", "threshold", "verdict", "source")
        fields = {"name": "name_en", "source": "source_en"} if en else {}
        w = csv.writer(buf)
        w.writerow(keys)
        w.writerows(
            [[r[fields.get(k, k)] if r[fields.get(k, k)] is not None else "" for k in keys] for r in rows]
        )
        typer.echo(buf.getvalue(), nl=False)
        return
    from rich.table import Table

    year_label = str(year) if en else f"{year} 年度"
    table = Table(title=f"{report.school.name} · {year_label} · {_(CARD_LABELS[report.card.card])}")
    for h in ("指标", "值", "上年", "标准", "结论"):
        table.add_column(_(h))
    for line in report.lines:
        v = line.verdict
        show = v.indicator.show_en if en else v.indicator.show
        table.add_row(
            v.indicator.name_en if en else v.indicator.name, show(v.result.value), show(line.previous),
            show(v.threshold) if v.threshold is not None else "—", _(VERDICT_LABELS[v.verdict]),
        )  # fmt: skip
    cli.console.print(table)
    lang = cli.state["lang"]
    cli.console.print(report.card.explain(lang), highlight=False, soft_wrap=True)
    for line in report.lines:
        cli.console.print(f"· {line.verdict.explain(lang)}", highlight=False, soft_wrap=True, markup=False)
    for violation in report.violations:
        cli.console.print(
            f"[yellow]{_('一致性提示')}[/yellow]{_colon()}{violation.explain(lang)}", highlight=False
        )


@quality_app.command("cards")
def cards(
    year: int = typer.Option(..., "--year", help="年度"),
    province: str | None = typer.Option(
        None, "--province", help="省级行政区划代码（如 44）；省级管理员默认本省"
    ),
    fmt: str = typer.Option("table", "--format", help="table、json 或 csv"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """一省（或全国）各校某年度的黄牌、红牌与异常值。"""
    from zhijiao.domain.quality.indicators import INDICATOR_BY_CODE
    from zhijiao.domain.quality.verdicts import CARD_LABELS
    from zhijiao.services.quality.verdicts import cards as province_cards
    from zhijiao.services.quality.views import cards_json

    cli = _cli()
    _ = cli._
    fmt = _fmt(fmt)
    principal = _principal(as_user)
    found = _run(lambda: province_cards(cli.get_platform().uow(), principal, year, province))
    rows = cards_json(found)
    if fmt == "json":
        typer.echo(
            json.dumps({"province": province, "year": year, "schools": rows}, ensure_ascii=False, indent=2)
        )
        return
    en = cli.state["lang"] == "en"
    if fmt == "csv":  # in English: the indicators' English names and the outliers in English
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(("org", "school", "card", "below", "status", "outliers"))
        sep = "; " if en else "；"
        for r in rows:
            below, outliers = (r["below_en"], r["outliers_en"]) if en else (r["below"], r["outliers"])
            w.writerow(
                (r["org"], r["school"], r["card"] or "", sep.join(below), r["status"], sep.join(outliers))
            )
        typer.echo(buf.getvalue(), nl=False)
        return
    from rich.table import Table

    table = Table(title=f"{province or _('全国')} · {year if en else f'{year} 年度'}")
    for h in ("机构代码", "学校", "结论", "原因", "异常值"):
        table.add_column(_(h))
    for c in found:
        table.add_row(
            c.school.code, c.school.name, _(CARD_LABELS[c.card]) if c.card else _("未填报"),
            (", " if en else "、").join(INDICATOR_BY_CODE[b].name_en if en else INDICATOR_BY_CODE[b].name for b in c.below_codes),
            ("; " if en else "；").join(c.outliers_en if en else c.outliers),
        )  # fmt: skip
    cli.console.print(table)
    counts: dict[str, int] = {}
    for c in found:
        key = c.card.value if c.card else "none"
        counts[key] = counts.get(key, 0) + 1
    cli.console.print(
        f"{_('合格')} {counts.get('pass', 0)}, {_('黄牌')} {counts.get('yellow', 0)}, {_('红牌')} {counts.get('red', 0)}, "
        f"{_('未填报')} {counts.get('none', 0)}",
        highlight=False,
    )


def _act(action: str, org: str, period: str, comment: str, declared_by: str, as_user: str | None) -> None:
    from zhijiao.domain.quality.workflow import STATUS_LABELS, Action
    from zhijiao.services.quality.collection import act

    cli = _cli()
    principal = _principal(as_user)
    state = _run(
        lambda: act(
            cli.get_platform().uow(),
            principal,
            org,
            period,
            Action(action),
            comment=comment,
            declared_by=declared_by,
        )
    )
    cli.console.print(
        f"{state.school_name} {state.period}{_colon()}{cli._(STATUS_LABELS[state.status])}", highlight=False
    )


ORG = typer.Option(..., "--org", help="学校标识码或统一社会信用代码")
PERIOD = typer.Option(..., "--period", help="期间：2024 或 2023-2024")


@quality_app.command("submit")
def submit(
    org: str = ORG, period: str = PERIOD,
    declared_by: str = typer.Option(..., "--declared-by", help="确认真实性声明的责任人姓名"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:  # fmt: skip
    """提交审核（须由具名责任人确认真实性声明）。"""
    _act("submit", org, period, "", declared_by, as_user)


@quality_app.command("approve")
def approve(
    org: str = ORG, period: str = PERIOD, as_user: str | None = typer.Option(None, "--as", help=AS_HELP)
) -> None:
    """省级审核通过并锁定。"""
    _act("approve", org, period, "", "", as_user)


@quality_app.command("return")
def return_(
    org: str = ORG, period: str = PERIOD, comment: str = typer.Option(..., "--comment", help="退回意见"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:  # fmt: skip
    """退回学校修改（须填写意见）。"""
    _act("return", org, period, comment, "", as_user)


@quality_app.command("reopen")
def reopen(
    org: str = ORG, period: str = PERIOD, comment: str = typer.Option(..., "--comment", help="重新开放的理由（记录在案）"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:  # fmt: skip
    """重新开放已锁定的数据（理由记录在案）。"""
    _act("reopen", org, period, comment, "", as_user)


@quality_app.command("trace")
def trace(
    org: str = ORG, year: int = typer.Option(..., "--year"), indicator: str = typer.Option(..., "--indicator"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:  # fmt: skip
    """追溯某项指标值来自哪些单元格：文件、SHA-256、工作表与单元格（或行）、填报人与时间、历史版本。"""
    from zhijiao.services.quality.verdicts import trace as trace_value
    from zhijiao.services.quality.views import trace_json

    cli = _cli()
    principal = _principal(as_user)
    t = _run(lambda: trace_value(cli.get_platform().uow(), principal, org, year, indicator))
    typer.echo(json.dumps(trace_json(t), ensure_ascii=False, indent=2))


@quality_app.command("completeness")
def completeness(
    period: str = typer.Option(..., "--period", help="期间：2024 或 2023-2024"),
    province: str | None = typer.Option(None, "--province"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """各省填报完成率与按时率。"""
    from rich.table import Table

    from zhijiao.services.quality.collection import completeness as rates

    cli = _cli()
    _ = cli._
    principal = _principal(as_user)
    found = _run(lambda: rates(cli.get_platform().uow(), principal, period, province))
    table = Table(title=f"{period} {_('填报完成情况')}")
    for h in ("省份", "学校数", "已填报", "已提交", "已审核", "完成率", "按时率"):
        table.add_column(_(h))
    for c in found:
        table.add_row(c.province, str(c.schools), str(c.reported), str(c.submitted), str(c.approved),
                      f"{c.completeness_rate:.0%}", f"{c.on_time_rate:.0%}")  # fmt: skip
    cli.console.print(table)


@quality_app.command("discipline")
def discipline(
    org: str = ORG,
    kind: str = typer.Option(
        ..., "--type", help="comprehensive / engineering / medical / humanities / sports / arts"
    ),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """设置学校的办学类型（决定适用的国家标准）。"""
    from zhijiao.domain.quality.elements import DISCIPLINE_LABELS, DisciplineType
    from zhijiao.services.quality.schools import set_discipline_type

    cli = _cli()
    try:
        d = DisciplineType(kind)
    except ValueError:
        cli.err.print(f"[red]{cli._('未知的办学类型')}“{kind}”[/red]")
        raise typer.Exit(2) from None
    principal = _principal(as_user)
    school = _run(lambda: set_discipline_type(cli.get_platform().uow(), principal, org, d))
    cli.console.print(f"{school.name}{_colon()}{cli._(DISCIPLINE_LABELS[d])}", highlight=False)


@quality_app.command("target")
def target(
    indicator: str = typer.Option(..., "--indicator", help="指标代码，如 dual_qualified_share"),
    level: str = typer.Option(
        ..., "--level", help="secondary（中职）/ higher（高职专科）/ bachelor（职业本科）"
    ),
    line: str = typer.Option(..., "--line", help="合格线，如 0.6（比例用小数）"),
    document: str = typer.Option(..., "--document", help="依据的文件名称"),
    sentence: str = typer.Option(..., "--sentence", help="依据的条文"),
    number: str = typer.Option("", "--number", help="文号"),
    effective_from: str = typer.Option(..., "--from", help="生效日期，如 2024-09-01"),
    org: str | None = typer.Option(
        None, "--org", help="学校目标：学校标识码或统一社会信用代码；省级标准不填"
    ),
    kind: str | None = typer.Option(None, "--type", help="只适用于该办学类型（默认：全部）"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """设定省级标准（省级管理员）或学校自己的更高目标（学校或管理员 --org），只能严于国家标准，须注明依据。"""
    from datetime import date

    from zhijiao.domain.errors import ValidationFailed
    from zhijiao.domain.quality.elements import DisciplineType, SchoolLevel
    from zhijiao.services.quality.standards import set_target

    cli = _cli()
    _ = cli._

    def run() -> Any:
        try:
            lv = SchoolLevel(level)
            d = DisciplineType(kind) if kind else None
            start = date.fromisoformat(effective_from)
        except ValueError:
            raise ValidationFailed("学校层次、办学类型或生效日期不正确", field="level") from None
        return set_target(
            cli.get_platform().uow(), _principal(as_user), indicator=indicator, level=lv, pass_line=line,
            document=document, number=number, sentence=sentence, effective_from=start, school=org, discipline=d,
        )  # fmt: skip

    s = _run(run)
    cli.console.print(
        f"{_('标准已设定')}{_colon()}{s.indicator} {_(s.scope_label)} {s.pass_line} ({s.scope}, {_('自')} {s.effective_from})",
        highlight=False,
    )


@quality_app.command("standards")
def standards_list(
    level: str | None = typer.Option(None, "--level", help="secondary / higher / bachelor"),
    fmt: str = typer.Option("table", "--format", help="table、json 或 csv"),
) -> None:
    """在用的标准：国家标准、省级标准和学校目标，每条注明出处以及能否对照原文核实。"""
    from zhijiao.services.quality.standards import standards_in_force

    cli = _cli()
    _ = cli._
    fmt = _fmt(fmt)
    with cli.get_platform().uow().read() as uow:
        found = standards_in_force(uow)
    rows = [
        {"indicator": s.indicator, "level": s.level.value, "discipline_type": s.discipline.value if s.discipline else None,
         "pass_line": float(s.pass_line), "restrict_line": float(s.restrict_line) if s.restrict_line is not None else None,
         "effective_from": s.effective_from.isoformat(), "effective_to": s.effective_to.isoformat() if s.effective_to else None,
         "scope": s.scope, "verified": s.verified, "restrict_verified": s.restrict_verified, "checked_at": s.checked_at,
         "source": s.source.cite(), "source_en": s.source.cite_en()}
        for s in found if level is None or s.level.value == level
    ]  # fmt: skip
    if fmt == "csv" and cli.state["lang"] == "en":  # the English source in its place (JSON: both)
        rows = [{**{k: v for k, v in r.items() if k != "source_en"}, "source": r["source_en"]} for r in rows]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["indicator"])
        w.writeheader()
        w.writerows(rows)
        typer.echo(buf.getvalue(), nl=False)
        return
    from rich.table import Table

    table = Table(title=_("在用的标准"))
    for h in ("指标", "层次", "办学类型", "合格线", "限制招生线", "范围", "已核实"):
        table.add_column(_(h))
    for r in rows:
        table.add_row(
            str(r["indicator"]), str(r["level"]), str(r["discipline_type"] or "—"), str(r["pass_line"]),
            "—" if r["restrict_line"] is None else str(r["restrict_line"]), r["scope"],
            _("是") if r["verified"] and r["restrict_verified"] else _("否"),
        )  # fmt: skip
    cli.console.print(table)
