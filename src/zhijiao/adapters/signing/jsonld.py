"""Offline JSON-LD in safe mode: a pyld document loader serving only the pinned contexts, and
RDFC-1.0 (URDNA2015) canonicalisation to N-Quads that refuses documents with undefined terms.

The pinned `https://www.w3.org/ns/credentials/v2` is the final W3C Recommendation's context (no
`@vocab`): a term no context defines would be silently dropped from the canonical form, so the
signature would not cover it. Safe mode (as in jsonld.js `safe: true`) makes that an error."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from pyld import jsonld

from zhijiao.domain.credentials.vocab import CREDENTIALS_V2_CONTEXT, OB_V3P0_CONTEXT
from zhijiao.domain.errors import ValidationFailed

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


class UndefinedTerms(ValidationFailed):
    """Safe mode: the document uses terms (or relative type/id IRIs) that its contexts do not define."""

    def __init__(self, terms: list[str]) -> None:
        listed = "、".join(sorted(set(terms)))
        super().__init__(
            f"JSON-LD 安全模式：上下文未定义的术语或相对 IRI（{listed}），签名不能覆盖它们",
            code="jsonld_undefined_terms",
        )
        self.terms = sorted(set(terms))


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
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (pinned contexts only, safe mode)."""
    options: dict[str, Any] = {"documentLoader": load_document, "base": None}  # keep relative IRIs visible
    dropped: list[str] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=lambda term: dropped.append(str(term)))
    try:
        expanded = processor.expand(dict(document), options)
        unsafe = dropped + list(_relative_iris(expanded))
        if unsafe:
            raise UndefinedTerms(unsafe)
        normalize = {"algorithm": "URDNA2015", "format": "application/n-quads", **options}
        result: str = jsonld.normalize(expanded, normalize)
    except jsonld.JsonLdError as exc:
        refused = _refused_context(exc)
        if refused is not None:
            raise refused from exc
        raise
    return result


def _relative_iris(node: object) -> Iterator[str]:
    """`@type` and `@id` values of the expanded document that are neither absolute IRIs nor blank nodes."""
    if isinstance(node, list):
        for item in node:
            yield from _relative_iris(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@value":
                continue
            if key in ("@type", "@id") and "@value" not in node:
                for iri in value if isinstance(value, list) else [value]:
                    if isinstance(iri, str) and not (iri.startswith("_:") or ":" in iri):
                        yield iri
            else:
                yield from _relative_iris(value)


def _refused_context(exc: BaseException | None) -> ContextNotPinned | None:
    """pyld wraps loader errors several times; find our refusal so the caller sees the URL."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, ContextNotPinned):
            return exc
        exc = getattr(exc, "cause", None) or exc.__cause__ or exc.__context__
        seen += 1
    return None
