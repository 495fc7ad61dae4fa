"""The transcript (学习成果记录) as a PDF: header, totals, the outcomes table, an optional QR code
to a verification link, and optional attachments (e.g. the signed credential)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from zhijiao.adapters.reports.pdf import PdfAttachment, html_to_pdf
from zhijiao.adapters.reports.qr import qr_svg
from zhijiao.domain.creditbank.model import (
    LEVEL_LABELS,
    OUTCOME_KIND_LABELS,
    Outcome,
    OutcomeStatus,
)
from zhijiao.i18n import translator
from zhijiao.timefmt import beijing_time

if TYPE_CHECKING:
    from zhijiao.services.creditbank.transcripts import Transcript

HERE = Path(__file__).parent
AUTHOR = "职教平台 学分银行"
env = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(("html",)), auto_reload=False
)


def number(value: Decimal | None) -> str:
    """2.50 → 2.5, 32.0 → 32; None → —."""
    if value is None:
        return "—"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _row(o: Outcome, t: Transcript, _: Any) -> dict[str, Any]:
    issuer = t.issuers.get(o.issuer_id)
    result = " / ".join(x for x in (number(o.score) if o.score is not None else "", _(o.grade or "")) if x)
    return {
        "date": o.obtained_on.isoformat(),
        "kind": _(OUTCOME_KIND_LABELS[o.kind]),
        "title": o.title,
        "code": o.code,
        "issuer": issuer.name if issuer else "—",
        "hours": number(o.hours),
        "credits": number(o.credits),
        "result": result or "—",
        "level": _(LEVEL_LABELS[o.level]) if o.level else "—",
        "framework_level": o.framework_level,
        "revoked": o.status is OutcomeStatus.revoked,
    }


def page_counter(_: Any) -> str:
    """CSS `content` for the footer: 第 N 页 / 共 M 页."""
    before, _sep, rest = _("第 {n} 页 / 共 {m} 页").partition("{n}")
    middle, _sep, after = rest.partition("{m}")
    return f'"{before}" counter(page) "{middle}" counter(pages) "{after}"'


def transcript_html(t: Transcript, lang: str = "zh", verification_url: str | None = None) -> str:
    _ = translator(lang)
    acc = t.accumulation
    return env.get_template("transcript.html").render(
        _=_,
        lang="en" if lang == "en" else "zh-CN",
        author=_(AUTHOR),
        account=t.account,
        home=t.home,
        complete=t.complete,
        generated=beijing_time(t.generated_at),
        total=acc.total,
        by_kind=[(_(OUTCOME_KIND_LABELS[k]), v) for k, v in acc.by_kind.items()],
        by_framework_level=[
            (_("第 {n} 级").replace("{n}", str(k)), v) for k, v in acc.by_framework_level.items()
        ],
        by_year=[(str(k), v) for k, v in acc.by_year.items()],
        rows=[_row(o, t, _) for o in sorted(t.outcomes, key=lambda o: (o.obtained_on, o.id or 0))],
        revoked=sum(1 for o in t.outcomes if o.status is OutcomeStatus.revoked),
        number=number,
        page_counter=page_counter(_),
        verification_url=verification_url,
        qr=Markup(qr_svg(verification_url)) if verification_url else None,
    )


def render_transcript_pdf(
    transcript: Transcript,
    lang: str = "zh",
    *,
    verification_url: str | None = None,
    attachments: Sequence[PdfAttachment] = (),
) -> bytes:
    """A4 PDF of `transcript` in Chinese (or English with lang="en"); `verification_url` adds a QR code,
    `attachments` ((name, content, MIME type) triples) are embedded as PDF file attachments."""
    html = transcript_html(transcript, lang, verification_url)
    return html_to_pdf(html, attachments=attachments)
