"""HTML → PDF with WeasyPrint, using only the package's own fonts and never the network.

Stylesheets load the subset Noto Sans SC faces from `zhijiao/fonts/` through `file://` URLs; the URL
fetcher serves those files (and `data:` URLs, used for attachments) and refuses every other URL.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

FONT_DIR = (Path(__file__).resolve().parent.parent.parent / "fonts").resolve()
FONT_FAMILY = "NotoSansSCZhijiao"
FONT_FILES = {"normal": "NotoSansSCZhijiao-Regular.woff2", "bold": "NotoSansSCZhijiao-Bold.woff2"}

PdfAttachment = tuple[str, bytes, str]  # file name, content, MIME type


class LocalOnlyFetcher(URLFetcher):
    """Serve the packaged fonts and `data:` URLs; refuse everything else (no network, no other files)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("file:"):
            path = Path(URLFetcherResponse(url).path or "").resolve()
            if not path.is_relative_to(FONT_DIR):
                raise ValueError(f"拒绝读取字体目录以外的文件：{url}")
        elif not url.startswith("data:"):
            raise ValueError(f"拒绝获取外部资源：{url}")
        return super().fetch(url, headers)


def font_face_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'src: url("{(FONT_DIR / name).as_uri()}") format("woff2"); }}'
        for weight, name in FONT_FILES.items()
    )


def html_to_pdf(html: str, *, stylesheet: str = "", attachments: Sequence[PdfAttachment] = ()) -> bytes:
    """Render `html` (its own `<style>` plus `stylesheet` and the @font-face rules); embed `attachments`."""
    fetcher = LocalOnlyFetcher()
    fonts = FontConfiguration()
    css = CSS(string=font_face_css() + "\n" + stylesheet, font_config=fonts, url_fetcher=fetcher)
    files = [
        Attachment(
            url=f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}",
            name=name,
            url_fetcher=fetcher,
        )
        for name, content, mime in attachments
    ]
    document = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[css], font_config=fonts, attachments=files)
    assert pdf is not None
    return pdf
