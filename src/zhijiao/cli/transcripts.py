"""`zhijiao transcript pdf ACCOUNT_NO -o FILE.pdf`: the transcript as a PDF, for operators (acts as SYSTEM),
with the QR code and the signed transcript credential embedded."""

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
    from zhijiao.domain.access import SYSTEM
    from zhijiao.domain.errors import DomainError
    from zhijiao.services.credentials.issuers import IssuingSite
    from zhijiao.services.creditbank.transcript_pdf import transcript_pdf

    pdf_lang = lang or state["lang"]
    if pdf_lang not in ("zh", "en"):
        err.print(f"[red]{_('语言只能是 zh 或 en')}[/red]")
        raise typer.Exit(2)
    p = get_platform()
    site = IssuingSite.of(p.settings)
    try:
        made = transcript_pdf(p.uow(), SYSTEM, site, account_no, pdf_lang)
    except DomainError as e:
        err.print(f"[red]{_(e.message)}[/red]：{account_no}")
        raise typer.Exit(1) from None
    output.write_bytes(made.pdf)
    console.print(f"{_('学习成果记录已导出')}：{output}（{len(made.transcript.outcomes)} {_('项')}）")
    if made.credential is not None:
        console.print(f"{_('内嵌成绩单凭证')}：{made.credential.id}  {site.verify_url(made.credential.id)}")
