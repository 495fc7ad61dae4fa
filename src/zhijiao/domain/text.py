"""Text normalisation: the one place where text read from people is made comparable.

Everything that identifies someone or something (national ID numbers, account numbers, codes, names,
usernames, import cells) goes through `clean` before it is validated, hashed or compared, so that
"４４０３…" (full-width digits), "4403\u200b…" (a zero-width space pasted from a web page) and
" 4403… " are the same number as "4403…". NFKC folds compatibility forms (full-width letters and
digits, ideographic space) into their ordinary forms; zero-width characters and soft hyphens are
removed; surrounding white space is trimmed.
"""

from __future__ import annotations

import re
import unicodedata

ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH = dict.fromkeys(map(ord, ZERO_WIDTH_CHARS), None)
_HAS_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH_CHARS}]").search
_is_normalized = unicodedata.is_normalized


def clean(text: str) -> str:
    """NFKC, zero-width characters removed, surrounding white space trimmed."""
    if text.isascii() or (_is_normalized("NFKC", text) and _HAS_ZERO_WIDTH(text) is None):
        return text.strip()  # the common case: checking is much cheaper than normalising
    return unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).strip()


def clean_compact(text: str) -> str:
    """`clean`, and runs of inner white space made one space."""
    return " ".join(clean(text).split())


def is_clean(text: str) -> bool:
    """True when `text` is already NFKC with no zero-width characters (only trimming left to do)."""
    return text.isascii() or (_is_normalized("NFKC", text) and _HAS_ZERO_WIDTH(text) is None)
