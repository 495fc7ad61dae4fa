"""`zhijiao credential …` and `zhijiao issuer …`: issue, bulk-issue, change status, verify, rotate keys.

Commands act as the platform's system operator (国家级管理员权限); every change is in the ledger."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from zhijiao.bootstrap import Platform
from zhijiao.cli.main import _, console, err, get_platform, progress_bar, read_input
from zhijiao.cli.verdicts import EXIT_CODES
from zhijiao.domain.access import SYSTEM
from zhijiao.domain.credentials.records import CHECK_LABELS, OUTCOME_LABELS, KeyAlgorithm
from zhijiao.domain.credentials.verify import CredentialState, Verdict
from zhijiao.domain.errors import DomainError
from zhijiao.services.credentials.issuers import IssuingSite

credential_app = typer.Typer(help="可验证凭证：签发、批量签发、撤销/暂停/恢复、核验。", no_args_is_help=True)
issuer_app = typer.Typer(help="发证机构与签名密钥。", no_args_is_help=True)


def _fail(e: DomainError) -> typer.Exit:
    err.print(f"[red]{_(e.message)}[/red]")
    return typer.Exit(1)


def _site() -> tuple[Platform, IssuingSite]:
    p = get_platform()
    return p, IssuingSite.of(p.settings)


@credential_app.command("issue")
def issue(
    outcome: int = typer.Option(..., "--outcome", help="学习成果编号"),
    algorithm: KeyAlgorithm = typer.Option(KeyAlgorithm.eddsa, "--alg", help="JWS 算法：EdDSA 或 RS256"),
    hashed: bool = typer.Option(False, "--hashed-subject", help="以加盐 identityHash 标识学习者"),
) -> None:
    """为一项学习成果签发凭证，打印凭证编号与核验链接。"""
    from zhijiao.services.credentials.issuance import IssueOptions, issue_for_outcome

    p, site = _site()
    try:
        c = issue_for_outcome(p.uow(), SYSTEM, site, outcome, IssueOptions(algorithm, hashed))
    except DomainError as e:
        raise _fail(e) from None
    console.print(f"{_('凭证已签发')}：{c.id}  {site.verify_url(c.id)}")


@credential_app.command("issue-cohort")
def issue_cohort(
    institution: int = typer.Option(..., "--institution", help="机构编号"),
    cohort: int = typer.Option(..., "--cohort", help="届别（入学或毕业年份，如 2025）"),
    major: str | None = typer.Option(None, "--major", help="专业代码"),
) -> None:
    """为一届学生批量签发本机构颁发的学习成果凭证（已有有效凭证的跳过）。"""
    from zhijiao.services.credentials.issuance import issue_cohort as run

    p, site = _site()
    with progress_bar() as bar:
        task = bar.add_task(_("签发凭证"), total=None)
        try:
            result = run(
                p.uow(), SYSTEM, site, institution_id=institution, cohort_year=cohort, major_code=major,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )  # fmt: skip
        except DomainError as e:
            raise _fail(e) from None
    console.print(
        f"{_('批量签发完成')}：{result.accounts} {_('个账号')}，{_('新签发')} {result.issued}，"
        f"{_('已有凭证')} {result.already}"
    )


def _change(credential_id: str, reason: str, target: CredentialState) -> None:
    from zhijiao.domain.credentials.records import CREDENTIAL_STATE_LABELS
    from zhijiao.services.credentials.issuance import change_status

    p = get_platform()
    try:
        c = change_status(p.uow(), SYSTEM, credential_id, target, reason)
    except DomainError as e:
        raise _fail(e) from None
    console.print(f"{_('凭证状态')}：{c.id} → {_(CREDENTIAL_STATE_LABELS[c.state])}")


@credential_app.command("revoke")
def revoke(credential_id: str, reason: str = typer.Option(..., "--reason", help="原因（记入台账）")) -> None:
    """撤销凭证（不可恢复）。"""
    _change(credential_id, reason, CredentialState.revoked)


@credential_app.command("suspend")
def suspend(credential_id: str, reason: str = typer.Option(..., "--reason", help="原因（记入台账）")) -> None:
    """暂停凭证。"""
    _change(credential_id, reason, CredentialState.suspended)


@credential_app.command("reinstate")
def reinstate(
    credential_id: str, reason: str = typer.Option(..., "--reason", help="原因（记入台账）")
) -> None:
    """恢复已暂停的凭证。"""
    _change(credential_id, reason, CredentialState.active)


@credential_app.command("verify")
def verify(file: Path = typer.Argument(..., help="凭证文件：JWS 文本或含 proof 的 JSON")) -> None:
    """核验凭证：逐项显示签名、发证机构、有效期、状态、结构的检查结果；有效时退出码为 0。"""
    from zhijiao.domain.credentials.verify import VERDICT_LABELS
    from zhijiao.services.credentials.verification import MAX_INPUT
    from zhijiao.services.credentials.verification import verify as run

    raw = read_input(file, limit=MAX_INPUT + 1, exit_code=EXIT_CODES[Verdict.malformed])
    p, site = _site()
    report = run(p.uow(), site, raw)
    table = Table(title=f"{_('凭证核验')}：{file.name}")
    table.add_column(_("检查项"))
    table.add_column(_("结果"))
    table.add_column(_("原因"))
    for key, check in report.checks().items():
        style = {"passed": "green", "failed": "red"}.get(check.outcome.value, "yellow")
        table.add_row(
            _(CHECK_LABELS[key]), f"[{style}]{_(OUTCOME_LABELS[check.outcome])}[/{style}]", _(check.reason)
        )
    console.print(table)
    colour = "green" if report.valid else "red"
    console.print(f"[{colour}]{_('结论')}：{_(VERDICT_LABELS[report.verdict])}[/{colour}]")
    raise typer.Exit(EXIT_CODES[report.verdict])


@credential_app.command("reissue")
def reissue(
    dry_run: bool = typer.Option(False, "--dry-run", help="只报告待重新签发的数量，不做改动"),
) -> None:
    """重新签发按旧版 VC 2.0 上下文与 message 状态签发的凭证（同一编号，新签名，状态改为 revocation）。"""
    from zhijiao.services.credentials.reissue import pending, reissue_legacy

    p, site = _site()
    lists, count = pending(p.uow())
    if dry_run or not lists:
        console.print(f"{_('待重新签发')}：{lists} {_('个状态列表')}，{count} {_('份凭证')}")
        return
    with progress_bar() as bar:
        task = bar.add_task(_("重新签发凭证"), total=None)
        report = reissue_legacy(
            p.uow(),
            site,
            SYSTEM.actor,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    console.print(
        f"{_('重新签发完成')}：{report.lists} {_('个状态列表')}，{report.achievements} {_('份成果凭证')}，"
        f"{report.transcripts} {_('份成绩单凭证')}（{_('其中已撤销')} {report.revoked}，{_('已暂停')} "
        f"{report.suspended}，{_('状态记录已按列表更正')} {report.state_corrected}）"
    )


@issuer_app.command("rotate-keys")
def rotate_keys(
    institution: int | None = typer.Option(None, "--institution", help="机构编号；不填为学分银行平台"),
) -> None:
    """轮换发证密钥；旧公钥保留，已签发的凭证仍可验证。"""
    from zhijiao.services.credentials.issuers import rotate_keys as run

    p, site = _site()
    try:
        issuer = run(p.uow(), SYSTEM, site, institution)
    except DomainError as e:
        raise _fail(e) from None
    console.print(f"{_('密钥已轮换')}：{issuer.name}  {issuer.did}")
