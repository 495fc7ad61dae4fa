"""`zhijiao transcript pdf ACCOUNT_NO -o FILE.pdf`: the transcript as a PDF, for operators (acts as SYSTEM)."""

from __future__ import annotations

from pathlib import Path

import typer

from zhijiao.cli.main import _, console, err, get_platform, state

app = typer.Typer(help="学习成果记录。", no_args_is_help=True)


@app.command("pdf")
def transcript_pdf(
    account_no: str = typer.Argument(..., help="学习账号"),
    output: Path = typer.Option(..., "-o", "--output", help="输出的 PDF 文件", dir_okay=False, writable=True),
    lang: str | None = typer.Option(None, "--lang", help="PDF 语言：zh 或 en（默认与界面语言相同）"),
) -> None:
    """把学习账号的学习成果记录导出为 PDF（以系统身份）。"""
    from zhijiao.adapters.reports.transcript import render_transcript_pdf
    from zhijiao.domain.access import SYSTEM
    from zhijiao.domain.errors import DomainError
    from zhijiao.services.transcripts import transcript

    pdf_lang = lang or state["lang"]
    if pdf_lang not in ("zh", "en"):
        err.print(f"[red]{_('语言只能是 zh 或 en')}[/red]")
        raise typer.Exit(2)
    p = get_platform()
    try:
        t = transcript(p.uow(), SYSTEM, account_no)
    except DomainError as e:
        err.print(f"[red]{_(e.message)}[/red]：{account_no}")
        raise typer.Exit(1) from None
    output.write_bytes(render_transcript_pdf(t, pdf_lang))
    console.print(f"{_('学习成果记录已导出')}：{output}（{len(t.outcomes)} {_('项')}）")
