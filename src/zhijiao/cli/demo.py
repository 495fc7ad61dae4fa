"""`zhijiao demo`: generate the demo province and print the demo users."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from zhijiao.cli.main import _, app, console, err, get_platform, progress_bar, state

if TYPE_CHECKING:
    from rich.progress import TaskID

    from zhijiao.demo.build import DemoUser


@app.command("demo")
def demo(
    province: str = typer.Option("44", "--province", help="省级行政区划代码（默认 44 广东）"),
    learners: int | None = typer.Option(None, "--learners", min=1, help="学习者人数（默认由 --scale 决定）"),
    seed: int = typer.Option(2025, "--seed", help="随机种子：相同种子生成相同的演示省份"),
    scale: str = typer.Option("default", "--scale", help="规模：small（测试用）或 default"),
    if_empty: bool = typer.Option(False, "--if-empty", help="数据库已有数据时不再生成，只列出演示用户"),
) -> None:
    """生成演示省份：院校、企业、培训评价组织、学习者与学习成果，并列出演示用户。"""
    from zhijiao.demo.build import build_demo, demo_users, has_data
    from zhijiao.demo.province import SCALES

    if scale not in SCALES:
        err.print(f"[red]{_('未知的规模')}“{scale}”[/red]：small / default")
        raise typer.Exit(2)
    p = get_platform()
    if has_data(p):
        if not if_empty:
            err.print(f"[red]{_('数据库中已有数据，不再生成演示数据')}[/red]（--if-empty）")
            raise typer.Exit(1)
        console.print(_("数据库中已有数据，不再生成演示数据"))
        _print_users(demo_users(p))
        return
    with progress_bar() as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_(stage), total=total)
            bar.update(tasks[stage], completed=done)

        try:
            summary = build_demo(
                p, province=province, seed=seed, scale=scale, learners=learners, progress=progress
            )
        except ValueError as e:
            err.print(f"[red]{_(str(e))}[/red]")
            raise typer.Exit(2) from None
    table = Table(title=_("演示省份已生成"), show_header=False)
    table.add_column(_("项目"))
    table.add_column(_("数量"), overflow="fold")
    table.add_row(_("机构数"), f"{summary.institutions:,}")
    table.add_row(_("学习者数"), f"{summary.learners:,}")
    table.add_row(_("学习成果数"), f"{summary.outcomes:,}")
    table.add_row(_("用时"), f"{summary.seconds:.0f} s")
    if summary.showcase is not None:
        table.add_section()
        for what, value in summary.showcase.rows(_):
            table.add_row(what, value)
    if summary.quality:
        table.add_section()
        sep = "\n" if state["lang"] == "en" else "；\n"
        table.add_row(_("质量监测"), sep.join(_(part) for part in summary.quality.split("；")))
    if summary.admissions:
        sep = "\n" if state["lang"] == "en" else "；\n"
        table.add_row(_("分类考试招生"), sep.join(_(part) for part in summary.admissions.split("；")))
    console.print(table)
    if summary.showcase is not None:
        console.print(status_note(p.settings.base_url, _), highlight=False)
    _print_users(summary.users)


def status_note(base_url: str, _: Callable[[str], str]) -> str:
    """The demo's credentials name their status lists under ZHIJIAO_BASE_URL, fixed when they are signed."""
    return (
        f"{_('演示凭证的状态列表地址为')} {base_url}/…\n"
        f"{_('在其他地址或端口提供服务时，请设置相同的 ZHIJIAO_BASE_URL，')}\n"
        f"{_('否则核验显示“部分检查无法完成”。')}"
    )


def _print_users(users: list[DemoUser]) -> None:
    table = Table(title=_("演示用户"))
    for header in ("用户名", "角色", "范围", "密码"):
        table.add_column(_(header))
    for u in users:
        table.add_row(
            u.username, _(u.role), u.scope.replace("（", "\n（"), u.password
        )  # break between phrases
    console.print(table)
