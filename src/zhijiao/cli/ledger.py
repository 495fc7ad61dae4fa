"""`zhijiao ledger …`: verify the ledger against checkpoints, take and print checkpoints, the log's
public key, and a witness that cosigns only checkpoints consistent with those it cosigned before."""

from __future__ import annotations

from pathlib import Path

import typer

from zhijiao.cli.main import _, console, err, get_platform, ledger_app, progress_bar, read_text_input


def _problem_text(p: object) -> str:
    from zhijiao.services.creditbank.ledger import LedgerProblem

    assert isinstance(p, LedgerProblem)
    where = ""
    if p.account_id is not None:
        where = _("账号 {account} 第 {seq} 条").format(account=p.account_id, seq=p.seq)
        if p.entry_id is not None:
            where += f"（entry id {p.entry_id}）"
        where += "："
    return f"[{p.kind}] {where}{_(p.reason)}"


@ledger_app.command("verify")
def ledger_verify(
    checkpoint: list[Path] = typer.Option(
        [],
        "--checkpoint",
        "-c",
        help="早先保存的已签名检查点文件（可多次给出）：证明数据库的台账是它的追加延伸",
    ),
    key: str | None = typer.Option(None, "--key", help="台账公钥（名称+密钥ID+base64）；默认为本平台的公钥"),
) -> None:
    """校验台账：每条记录的哈希、每个账号的链、整棵默克尔树与给定检查点的一致性、每条成果与台账相符；完好时退出码为 0。"""
    from zhijiao.domain.creditbank.checkpoint import CheckpointError, NoteVerifier, parse_checkpoint
    from zhijiao.services.creditbank.ledger import verify_ledger

    p = get_platform()
    try:
        verifier = NoteVerifier.parse(key) if key else None
        checkpoints = [parse_checkpoint(read_text_input(path)) for path in checkpoint]
    except CheckpointError as e:
        err.print(f"[red]{_(str(e))}[/red]")
        raise typer.Exit(2) from None
    with progress_bar() as bar:
        task = bar.add_task(_("校验台账"), total=None)
        report = verify_ledger(
            p.uow(), checkpoints, verifier=verifier, progress=lambda n: bar.advance(task, n)
        )
    if report.intact:
        console.print(
            _("台账完好") + f"：{report.accounts} {_('个账号')}，{report.entries} {_('条记录')}"
            + (f"，{_('与检查点一致')}：{report.checkpoints}" if report.checkpoints else "")
        )  # fmt: skip
        return
    err.print(f"[red]{_('台账校验失败')}[/red]：{_problem_text(report.problems[0])}", highlight=False)
    for other in report.problems[1:20]:
        err.print(f"  {_problem_text(other)}", highlight=False)
    err.print(_("共发现问题 {n} 处").format(n=len(report.problems)))
    raise typer.Exit(1)


@ledger_app.command("checkpoint")
def ledger_checkpoint(
    output: Path | None = typer.Option(None, "-o", "--output", help="写入的文件（默认输出到屏幕）"),
) -> None:
    """对当前台账签发检查点（已有最新的则沿用），记入检查点历史并输出；可由 cron 定时运行。"""
    from zhijiao.services.creditbank.ledger import checkpoint_now

    found = checkpoint_now(get_platform().uow())
    if output is None:
        typer.echo(found.note, nl=False)
        return
    output.write_text(found.note, encoding="utf-8")
    err.print(f"{_('检查点已写入')}：{output}（{_('树大小')} {found.tree_size}）")


@ledger_app.command("key")
def ledger_key() -> None:
    """输出台账检查点的公钥（note 验证密钥格式：名称+密钥ID+base64 公钥），供见证方和核验者使用。"""
    typer.echo(get_platform().log_signer.verifier.encode())


@ledger_app.command("witness")
def ledger_witness(
    log_url: str = typer.Option(..., "--log", help="台账服务的地址，例如 https://credit.example.gov.cn"),
    log_key: str = typer.Option(..., "--log-key", help="台账的公钥（zhijiao ledger key 的输出）"),
    key_file: Path = typer.Option(..., "--key-file", help="见证方的 Ed25519 私钥种子（32 字节 base64）"),
    name: str = typer.Option(..., "--name", help="见证方名称，例如 witness.edu.gd.gov.cn"),
    state_dir: Path = typer.Option(..., "--state", help="见证方保存已联署检查点的目录"),
) -> None:
    """见证方：取台账的最新检查点，核验签名，并用一致性证明确认它是上次联署的检查点的追加延伸，
    才联署（C2SP tlog-cosignature）；发现分叉则拒绝并以非零退出码退出。"""
    import base64

    from zhijiao.adapters.ledger_client import HttpLog
    from zhijiao.domain.creditbank.checkpoint import COSIGNATURE_V1, CheckpointError, NoteSigner, NoteVerifier
    from zhijiao.services.creditbank.witness import Refused, witness_once

    try:
        seed = base64.b64decode(read_text_input(key_file).strip(), validate=True)
        signer = NoteSigner.from_seed(name, seed, COSIGNATURE_V1)
        verifier = NoteVerifier.parse(log_key)
    except (ValueError, CheckpointError) as e:
        err.print(f"[red]{_('见证方配置错误')}：{_(str(e))}[/red]")
        raise typer.Exit(2) from None
    try:
        cosigned = witness_once(HttpLog(log_url), verifier, signer, state_dir)
    except Refused as e:
        err.print(f"[red]{_('拒绝联署')}[/red]：{_(e.reason)}", highlight=False)
        raise typer.Exit(1) from None
    console.print(f"{_('已联署检查点')}：{_('树大小')} {cosigned.size} → {state_dir / 'checkpoint'}")
