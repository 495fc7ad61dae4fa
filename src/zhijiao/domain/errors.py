"""Domain errors. Every message is Chinese first; `code` is the machine name."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken. `message` is shown to users (zh-CN)."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class ValidationFailed(DomainError):
    code = "validation_failed"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"
