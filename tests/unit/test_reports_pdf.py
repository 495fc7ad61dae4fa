"""The PDF adapter fetches nothing but the packaged fonts (and data: URLs); number formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhijiao.adapters.reports.pdf import FONT_DIR, FONT_FILES, LocalOnlyFetcher, font_face_css
from zhijiao.adapters.reports.transcript import number


def test_packaged_fonts_and_licence_are_there() -> None:
    for name in (*FONT_FILES.values(), "OFL.txt", "README.md"):
        assert (FONT_DIR / name).is_file(), name
    css = font_face_css()
    assert css.count("file://") == 2 and "http" not in css


@pytest.mark.parametrize(
    "url",
    ["https://fonts.googleapis.com/css2?family=Noto+Sans+SC", "http://127.0.0.1/x.css", "ftp://x/y",
     "file:///etc/passwd", "file:///usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"],
)  # fmt: skip
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="拒绝"):
        LocalOnlyFetcher().fetch(url)


def test_packaged_fonts_and_data_urls_are_served() -> None:
    fetcher = LocalOnlyFetcher()
    font = fetcher.fetch((FONT_DIR / FONT_FILES["normal"]).as_uri())
    assert font.read(4) == b"wOF2"
    font.close()
    assert fetcher.fetch("data:application/json;base64,e30=").read() == b"{}"


@pytest.mark.parametrize(
    ("value", "text"), [(None, "—"), (Decimal("2.50"), "2.5"), (Decimal("32.0"), "32"), (Decimal(100), "100")]
)
def test_numbers_drop_trailing_zeros(value: Decimal | None, text: str) -> None:
    assert number(value) == text
