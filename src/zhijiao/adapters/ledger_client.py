"""A client of a ledger's public endpoints (what a witness or an auditor fetches), with the stdlib."""

from __future__ import annotations

import base64
import json
import urllib.request


class HttpLog:
    def __init__(self, base_url: str, timeout: float = 30) -> None:
        self.base = base_url.rstrip("/")
        self.timeout = timeout

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=self.timeout) as answer:
            body: bytes = answer.read()
            return body

    def checkpoint(self) -> str:
        return self._get("/api/v1/ledger/checkpoint").decode("utf-8")

    def consistency(self, old: int, new: int) -> list[bytes]:
        found = json.loads(self._get(f"/api/v1/ledger/consistency?from={old}&to={new}"))
        return [base64.b64decode(h) for h in found["proof"]]
