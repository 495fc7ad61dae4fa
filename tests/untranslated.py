"""Chinese left in an English page, found in its HTML: the text of every element outside data marked
`translate="no"` (names, file names) or `lang="zh-CN"`, and outside script, style and textarea — the
options of a select included — and the placeholder, aria-label and title attributes. Stricter than
the browser suite's check (tests/e2e/test_browser_pages.py), which sees only visible text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# CJK ideographs and the full-width punctuation English text must not carry
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")
_SKIP = {"script", "style", "textarea"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its subtree data (skipped)?
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        inside = bool(self.stack and self.stack[-1])
        skipped = inside or tag in _SKIP or a.get("translate") == "no" or a.get("lang") == "zh-CN"
        if not skipped:
            for name in ("placeholder", "aria-label", "title"):
                if (v := a.get(name)) and CJK.search(v):
                    self.found.append(f"@{name}: {v}")
        if tag not in _VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if text and not (self.stack and self.stack[-1]) and CJK.search(text):
            self.found.append(text)


def untranslated(html: str) -> list[str]:
    """The Chinese texts of an English page that are not marked as data."""
    body = html.split("<body", 1)[-1]
    c = _Collector()
    c.feed(body)
    return c.found
