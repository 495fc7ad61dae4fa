"""`zhijiao convert suggest`, `zhijiao plan import`, `zhijiao rules import|export` (as the system user)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from zhijiao.cli import main as cli
from zhijiao.domain.access import SYSTEM
from zhijiao.domain.errors import DomainError

convert_app = typer.Typer(help="学习成果转换：全年级免修预审。", no_args_is_help=True)
plan_app = typer.Typer(help="人才培养方案。", no_args_is_help=True)
rules_app = typer.Typer(help="学习成果转换办法（规则）。", no_args_is_help=True)


def _fail(exc: DomainError) -> typer.Exit:
    cli.err.print(f"[red]{cli._(exc.message)}[/red]")
    return typer.Exit(1)


@convert_app.command("suggest")
def suggest(
    plan: str = typer.Option(..., "--plan", help="院校编号/专业代码（或 院校编号/专业代码/年级）"),
    cohort: int | None = typer.Option(None, "--cohort", help="年级，如 2023"),
    on: str | None = typer.Option(None, "--on", help="按哪一天生效的规则（YYYY-MM-DD，默认今天）"),
    output: Path | None = typer.Option(None, "-o", "--output", help="另存为 CSV 文件"),
) -> None:
    """列出全年级每位学习者可申请的免修（供学校通知学习者）。"""
    from zhijiao.services.conversion.cohort import suggest_for_cohort
    from zhijiao.services.conversion.plans import parse_plan_key

    p = cli.get_platform()
    try:
        key = parse_plan_key(plan, cohort)
        day = date.fromisoformat(on) if on else None
        with cli.progress_bar() as bar:
            task = bar.add_task(cli._("全年级预审"), total=1)
            found = suggest_for_cohort(p.uow(), SYSTEM, key, day)
            bar.advance(task)
    except DomainError as exc:
        raise _fail(exc) from None
    except ValueError:
        cli.err.print(f"[red]{cli._('日期格式应为 YYYY-MM-DD')}[/red]")
        raise typer.Exit(2) from None
    header = [
        cli._(h) for h in ("学习账号", "姓名", "课程代码", "课程名称", "学分", "规则", "版本", "学习成果")
    ]
    rows = [
        [found.accounts[s.learner_id][0], found.accounts[s.learner_id][1], s.course_code,
         found.plan.course(s.course_code).name, str(s.credits), s.rule_id, str(s.rule_version),
         " ".join(f"#{i}" for i in s.outcome_ids)]
        for s in found.suggestions
    ]  # fmt: skip
    if output is not None:
        with output.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
    else:
        table = Table(*header, title=f"{found.plan.name}（{key}）")
        for row in rows:
            table.add_row(*row)
        cli.console.print(table)
    learners = len({s.learner_id for s in found.suggestions})
    cli.console.print(
        f"{cli._('规则生效日')} {found.on.isoformat()}：{found.learners} {cli._('名学习者中')} {learners} "
        f"{cli._('名可申请免修')}，{cli._('共')} {len(rows)} {cli._('门课程')}"
    )


@plan_app.command("import")
def plan_import(file: Path = typer.Argument(..., help=".json 或 .xlsx")) -> None:
    """导入并发布人才培养方案。"""
    from zhijiao.services.conversion.plans import import_plan_file

    data = cli.read_input(file)
    try:
        done = import_plan_file(cli.get_platform().uow(), SYSTEM, file.name, data)
    except DomainError as exc:
        raise _fail(exc) from None
    verb = cli._("已发布") if done.created else cli._("已更新")
    cli.console.print(
        f"{verb}：{done.plan.name}（{done.plan.key}），{len(done.plan.courses)} {cli._('门课程')}"
    )


@rules_app.command("import")
def rules_import(
    file: Path = typer.Argument(..., help=".yaml / .yml 或 .json"),
    plan: str | None = typer.Option(None, "--plan", help="院校编号/专业代码/年级（核对规则集所属方案）"),
) -> None:
    """发布转换规则：新版本追加，已发布的版本不可修改。"""
    from zhijiao.services.conversion.plans import parse_plan_key
    from zhijiao.services.conversion.rules import import_rules

    fmt = "json" if file.suffix.lower() == ".json" else "yaml"
    text = cli.read_text_input(file)
    try:
        key = parse_plan_key(plan) if plan else None
        done = import_rules(cli.get_platform().uow(), SYSTEM, text, fmt, plan=key)
    except DomainError as exc:
        raise _fail(exc) from None
    added = "、".join(f"{r}@{v}" for r, v in done.added) or cli._("无")
    cli.console.print(f"{done.plan}：{cli._('新发布')} {added}；{cli._('未变')} {done.unchanged}")


@rules_app.command("export")
def rules_export(
    plan: str = typer.Option(..., "--plan", help="院校编号/专业代码/年级"),
    output: Path = typer.Option(..., "-o", "--output", help="FILE.yaml 或 FILE.json"),
) -> None:
    """导出培养方案的全部转换规则版本（符合发布的 schema）。"""
    from zhijiao.services.conversion.plans import parse_plan_key
    from zhijiao.services.conversion.rules import export_rules

    try:
        text, count = export_rules(
            cli.get_platform().uow(), parse_plan_key(plan), "json" if output.suffix.lower() == ".json" else "yaml"
        )
    except DomainError as exc:
        raise _fail(exc) from None
    output.write_text(text, "utf-8")
    cli.console.print(f"{cli._('已导出')} {count} {cli._('个规则版本')} → {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(convert_app, name="convert")
    app.add_typer(plan_app, name="plan")
    app.add_typer(rules_app, name="rules")
