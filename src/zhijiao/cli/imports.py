"""`zhijiao template|import|export outcomes`: spreadsheets in and out of the credit bank."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import typer
from rich.progress import TaskID

from zhijiao.domain.access import SYSTEM, Principal

template_app = typer.Typer(help="下载导入模板。", no_args_is_help=True)
import_app = typer.Typer(help="批量导入（.xlsx / .csv）。", no_args_is_help=True)
export_app = typer.Typer(help="导出（.csv / .xlsx）。", no_args_is_help=True)

AS_HELP = "以该用户的身份和权限执行（默认：系统国家级管理员）"


def register(app: typer.Typer) -> None:
    app.add_typer(template_app, name="template")
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")


def _cli() -> ModuleType:
    from zhijiao.cli import main  # the shared console, platform and translator

    return main


def _principal(username: str | None) -> Principal:
    if username is None:
        return SYSTEM
    from zhijiao.services.users import principal_by_username

    cli = _cli()
    principal = principal_by_username(cli.get_platform().uow(), username)
    if principal is None:
        cli.err.print(f"[red]{cli._('用户不存在或已停用')}：{username}[/red]")
        raise typer.Exit(2)
    return principal


@template_app.command("outcomes")
def template_outcomes(
    output: Path = typer.Option(..., "-o", "--output", help="模板文件（.xlsx）"),
) -> None:
    """生成学习成果导入模板（表头、下拉选项、填写说明）。"""
    from zhijiao.adapters.spreadsheets.writing import outcome_template

    cli = _cli()
    if output.suffix.lower() != ".xlsx":
        cli.err.print(f"[red]{cli._('模板文件须以 .xlsx 结尾')}[/red]")
        raise typer.Exit(2)
    output.write_bytes(outcome_template())
    cli.console.print(f"{cli._('模板已生成')}：{output}")


@import_app.command("outcomes")
def import_outcomes(
    file: Path = typer.Argument(..., help="学习成果文件（.xlsx 或 .csv）"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """批量导入学习成果：全部导入或一行也不导入；有问题时列出全部问题。"""
    from zhijiao.adapters.spreadsheets.reading import SpreadsheetError, read_outcome_file
    from zhijiao.services.creditbank.outcome_files import import_file

    cli = _cli()
    _ = cli._
    data = cli.read_input(file)
    principal = _principal(as_user)
    platform = cli.get_platform()
    try:
        sheet = read_outcome_file(file.name, data)
    except SpreadsheetError as e:
        cli.err.print(f"[red]{_(e.message)}[/red]")
        raise typer.Exit(1) from None
    with cli.progress_bar() as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_(stage), total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)
            if not cli.err.is_terminal:  # logs and pipes get one line per step
                cli.err.print(f"{_(stage)} {done}/{total}", highlight=False)

        result = import_file(platform.uow(), principal, sheet, progress=progress)
    if not result.ok:
        for problem in result.problems:
            cli.err.print(_(problem.describe(result.filename)), markup=False, highlight=False, soft_wrap=True)
        cli.err.print(
            f"[red]{_('共')} {len(result.problems)} {_('处问题，未导入任何数据')}[/red]", highlight=False
        )
        raise typer.Exit(1)
    for note in result.notes(_):
        cli.console.print(note, markup=False, highlight=False)
    if result.outcomes_created == 0 and result.accounts_created == 0:
        cli.console.print(
            f"{_('没有新增数据：文件中的学习成果均已记录')}（{_('已存在跳过')} {result.rows_skipped}）"
        )
        return
    cli.console.print(
        f"{_('导入完成')}：{_('新增成果')} {result.outcomes_created}，{_('新开账号')} "
        f"{result.accounts_created}，{_('已存在跳过')} {result.rows_skipped}",
        highlight=False,
    )


@export_app.command("outcomes")
def export_outcomes(
    output: Path = typer.Option(..., "-o", "--output", help="导出文件（.csv 或 .xlsx）"),
    institution: int | None = typer.Option(None, "--institution", help="只导出该机构颁发或其学习者的成果"),
    as_user: str | None = typer.Option(None, "--as", help=AS_HELP),
) -> None:
    """导出学习成果（证件号码脱敏；已防范电子表格公式注入）。"""
    from zhijiao.adapters.spreadsheets.writing import write_table
    from zhijiao.domain.errors import DomainError
    from zhijiao.services.creditbank.exports import export_outcomes as export

    cli = _cli()
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        cli.err.print(f"[red]{cli._('导出文件须以 .csv 或 .xlsx 结尾')}[/red]")
        raise typer.Exit(2)
    principal = _principal(as_user)
    partial_file = output.with_name(output.name + ".part")  # the output appears only when complete
    try:
        with partial_file.open("wb") as f:
            n = export(
                cli.get_platform().uow(),
                principal,
                lambda t: write_table(f, fmt, t),
                institution_id=institution,
            )
    except DomainError as e:
        partial_file.unlink(missing_ok=True)
        cli.err.print(f"[red]{cli._(e.message)}[/red]")
        raise typer.Exit(1) from None
    except BaseException:
        partial_file.unlink(missing_ok=True)
        raise
    partial_file.replace(output)
    cli.console.print(f"{cli._('已导出')} {n} {cli._('条学习成果')}：{output}", highlight=False)
