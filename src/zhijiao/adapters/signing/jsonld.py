"""Offline JSON-LD: a pyld document loader serving only the pinned contexts, and RDFC-1.0
(URDNA2015) canonicalisation to N-Quads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from pyld import jsonld

from zhijiao.domain.credentials.vocab import CREDENTIALS_V2_CONTEXT, OB_V3P0_CONTEXT

PINNED_CONTEXTS: dict[str, str] = {
    CREDENTIALS_V2_CONTEXT: "credentials-v2.jsonld",
    OB_V3P0_CONTEXT: "ob-v3p0-context-3.0.3.json",
}


class ContextNotPinned(Exception):
    """A JSON-LD context outside the pinned set was requested; we never fetch from the network."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"JSON-LD 上下文 {url} 未预置，拒绝联网加载（only pinned contexts: {sorted(PINNED_CONTEXTS)})"
        )
        self.url = url


@cache
def _pinned(url: str) -> Any:
    resource = files("zhijiao.adapters.signing").joinpath("contexts", PINNED_CONTEXTS[url])
    return json.loads(resource.read_text(encoding="utf-8"))


def load_document(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader: the pinned copy of `url`, or `ContextNotPinned`."""
    if url not in PINNED_CONTEXTS:
        raise ContextNotPinned(url)
    return {"contextUrl": None, "documentUrl": url, "document": _pinned(url)}


def canonicalize(document: Mapping[str, Any]) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (pinned contexts only)."""
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": load_document}
    try:
        result: str = jsonld.normalize(dict(document), options)
    except jsonld.JsonLdError as exc:
        refused = _refused_context(exc)
        if refused is not None:
            raise refused from exc
        raise
    return result


def _refused_context(exc: BaseException | None) -> ContextNotPinned | None:
    """pyld wraps loader errors several times; find our refusal so the caller sees the URL."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, ContextNotPinned):
            return exc
        exc = getattr(exc, "cause", None) or exc.__cause__ or exc.__context__
        seen += 1
    return None
