"""The `zhijiao` command line (Typer + Rich). Messages are Chinese by default; `--lang en` (or the
environment's `ZHIJIAO_LANG=en`) for English: messages through `_`, and the help of every command,
option and argument through `english_help` before it is rendered."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup

from zhijiao.bootstrap import Platform, platform
from zhijiao.cli import imports as imports_cli
from zhijiao.i18n import to_english, translator


def english_requested(args: Sequence[str], environ: Any = os.environ) -> bool:
    """`--lang en` / `--lang=en` on the command line, else `ZHIJIAO_LANG=en` in the environment."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1] == "en"
        if arg.startswith("--lang="):
            return arg.removeprefix("--lang=") == "en"
    return str(environ.get("ZHIJIAO_LANG", "")).strip().lower() == "en"


def _help_en(text: str | None) -> str | None:
    """A help text in English: as a whole, else paragraph by paragraph (Typer keeps the docstring's)."""
    if not text:
        return text
    whole = to_english(text)
    if whole != text:
        return whole
    return "\n\n".join(to_english(part.strip()) for part in text.split("\n\n"))


def english_help(command: Any) -> None:
    """Translate, in place, the help of `command`, its parameters and every command below it. The
    command tree is built afresh for each run (`typer.main.get_command`), so Chinese runs are unaffected."""
    command.help = _help_en(command.help)
    command.short_help = _help_en(command.short_help)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _help_en(param.help)
    for sub in getattr(command, "commands", {}).values():
        english_help(sub)


class _Root(TyperGroup):
    """The `zhijiao` group: in English mode its help tree is translated before anything is parsed, so
    that `zhijiao --lang en … --help` (an eager option, answered before `--lang` is applied) is English."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        if parent is None and english_requested(args):
            english_help(self)
        return super().make_context(info_name, args, parent, **extra)


app = typer.Typer(
    cls=_Root, help="职教平台命令行：数据库、学分银行、演示数据。", no_args_is_help=True, add_completion=False
)
db_app = typer.Typer(help="数据库迁移。", no_args_is_help=True)
ledger_app = typer.Typer(help="台账。", no_args_is_help=True)
user_app = typer.Typer(help="用户。", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(ledger_app, name="ledger")
app.add_typer(user_app, name="user")
imports_cli.register(app)

state: dict[str, str] = {"lang": "zh"}
_FULL_WIDTH = (
    (re.compile(r"(?<=\S)（"), " ("), (re.compile(r"[：，；、。](?=\s|$)"), lambda m: _ASCII[m[0]].rstrip()),
    (re.compile(r"[：，；、。（）]"), lambda m: _ASCII[m[0]]),
)  # fmt: skip
_ASCII = {"：": ": ", "，": ", ", "；": "; ", "、": ", ", "。": ". ", "（": "(", "）": ")"}


def ascii_punctuation(text: str) -> str:
    """Chinese (full-width) punctuation as English text writes it: “总计：3，共 2 项” → “总计: 3, 共 2 项”."""
    for regex, repl in _FULL_WIDTH:
        text = regex.sub(repl, text)  # type: ignore[arg-type]
    return text


class _Console(Console):
    """In English mode every string the CLI prints (messages, table titles and cells) has its Chinese
    punctuation made English, so `f"{_('导出')}：{path}"` reads “Exported: path”."""

    def render_str(self, text: str, **kwargs: Any) -> Any:
        if state["lang"] == "en":
            text = ascii_punctuation(text)
        return super().render_str(text, **kwargs)


console = _Console()
err = _Console(stderr=True)


def _(text: str) -> str:
    return translator(state["lang"])(text)


@app.callback()
def main(
    lang: str = typer.Option("zh", "--lang", envvar="ZHIJIAO_LANG", help="界面语言：zh 或 en（也可设置环境变量 ZHIJIAO_LANG）"),
) -> None:
    state["lang"] = lang if lang in ("zh", "en") else "zh"


def get_platform() -> Platform:
    try:
        return platform()
    except ValidationError as e:  # settings refused (e.g. no secret key): say why, no traceback
        reason = str(e.errors()[0].get("msg", "")).removeprefix("Value error, ")
        err.print(f"[red]{_('配置错误')}：[/red]{_(reason)}")
        raise typer.Exit(2) from None


def read_input(path: Path, *, limit: int | None = None, exit_code: int = 2) -> bytes:
    """The bytes of an input file (at most `limit`), or a Chinese message naming the file and exit."""
    try:
        with path.open("rb") as handle:
            return handle.read() if limit is None else handle.read(limit)
    except FileNotFoundError:
        why = _("文件不存在")
    except IsADirectoryError:
        why = _("是目录，不是文件")
    except PermissionError:
        why = _("没有读取权限")
    except OSError as e:
        why = f"{_('无法读取文件')}（errno {e.errno}）"
    err.print(f"[red]{why}：{path}[/red]", highlight=False, soft_wrap=True)
    raise typer.Exit(exit_code)


def read_text_input(path: Path, *, exit_code: int = 2) -> str:
    """`read_input` decoded as UTF-8 (with or without a BOM)."""
    try:
        return read_input(path, exit_code=exit_code).decode("utf-8-sig")
    except UnicodeDecodeError:
        err.print(f"[red]{_('不是 UTF-8 编码的文本文件')}：{path}[/red]", highlight=False, soft_wrap=True)
        raise typer.Exit(exit_code) from None


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """把数据库迁移到最新版本。"""
    from zhijiao.adapters.db.migrate import upgrade

    p = get_platform()
    upgrade(p.settings.database_url)
    console.print(_("数据库已迁移到最新版本"))


@db_app.command("check")
def db_check() -> None:
    """检查表结构与迁移是否一致（alembic check）。"""
    from alembic.util.exc import CommandError

    from zhijiao.adapters.db.migrate import check

    p = get_platform()
    try:
        check(p.settings.database_url)
    except CommandError as e:
        err.print(f"[red]{_('表结构与迁移不一致')}[/red]: {e}")
        raise typer.Exit(1) from None
    console.print(_("表结构与迁移一致"))


@user_app.command("create")
def user_create(
    username: str,
    role: str = typer.Option(
        ..., help="learner / institution_staff / certifier / province_admin / national_admin"
    ),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    institution_id: int | None = typer.Option(None),
    province_code: str | None = typer.Option(None),
    account_id: int | None = typer.Option(None),
) -> None:
    """创建用户。"""
    from zhijiao.domain.access import Role
    from zhijiao.domain.errors import DomainError
    from zhijiao.services.users import create_user

    p = get_platform()
    try:
        create_user(
            p.uow(), username=username, password=password, role=Role(role), display_name=username,
            institution_id=institution_id, province_code=province_code, account_id=account_id,
        )  # fmt: skip
    except (DomainError, ValueError) as e:
        err.print(f"[red]{_(getattr(e, 'message', str(e)))}[/red]")
        raise typer.Exit(1) from None
    console.print(_("用户已创建") + f"：{username}")


@app.command("serve")
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """启动网页界面和 API（默认 http://127.0.0.1:8000）；--workers N：N 个进程（各自监听该端口）。"""
    from zhijiao.api import serve as server

    settings = get_platform().settings
    console.print(f"{_('网页与 API')}: http://{host}:{port}/   {_('接口文档')}: http://{host}:{port}/docs")
    note = base_url_note(settings.base_url, host, port)
    if note:
        console.print(f"[yellow]{note}[/yellow]", highlight=False)
    server.run(host, port, workers)


def base_url_note(base_url: str, host: str, port: int) -> str:
    """A warning when credentials (signed with ZHIJIAO_BASE_URL in their status-list address) would
    not verify against this server: its address differs from the configured one."""
    configured = urlsplit(base_url)
    same_port = (configured.port or (443 if configured.scheme == "https" else 80)) == port
    local = {"127.0.0.1", "localhost", "0.0.0.0", "::"}
    same_host = configured.hostname == host or (configured.hostname in local and host in local)
    if same_port and same_host:
        return ""
    return (
        _("注意：ZHIJIAO_BASE_URL 为 {base}，与服务地址 {serve} 不同。").format(
            base=base_url, serve=f"http://{host}:{port}"
        )
        + f"{_('凭证中的状态列表地址取自 ZHIJIAO_BASE_URL，在本地址核验会显示“部分检查无法完成”；')}"
        f"{_('请把 ZHIJIAO_BASE_URL 设为对外地址（反向代理之后可以不同）。')}"
    )


# The other areas' commands: their modules import this one (for `app`, `console`, `_`), so they are
# registered after everything above is defined.
from zhijiao.cli import admissions, convert, quality, transcripts  # noqa: E402
from zhijiao.cli import demo as _demo  # noqa: E402, F401  (its @app.command registers `zhijiao demo`)
from zhijiao.cli import ledger as _ledger  # noqa: E402, F401  (registers `zhijiao ledger …`)
from zhijiao.cli.credentials import credential_app, issuer_app  # noqa: E402

app.add_typer(transcripts.app, name="transcript")
app.add_typer(credential_app, name="credential")
app.add_typer(issuer_app, name="issuer")
convert.register(app)
admissions.register(app)
quality.register(app)
