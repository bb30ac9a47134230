"""Domain errors. Services raise these; the API's exception handler and the web views map them
to HTTP statuses (404, 403, 400, 409), so no layer invents its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class DomainError(Exception):
    """Base of every error a service may raise on purpose."""

    code = "error"

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotFound(DomainError):
    """Missing, or outside the actor's jurisdiction: the two answer the same."""

    code = "not_found"


@dataclass(frozen=True)
class RefusalTarget:
    """What a refused operation was aimed at, so the one refusal writer can name it in the audit
    log (`<object_type>.<operation>`) without the service writing a row itself."""

    object_type: str
    object_id: str
    operation: str
    region_code: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


class PermissionDenied(DomainError):
    """The actor's roles do not allow the operation (on this object, when `target` names it)."""

    code = "permission_denied"

    def __init__(
        self, message: str = "", *, code: str | None = None, target: RefusalTarget | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.target = target


class ValidationFailed(DomainError):
    """Bad input. `errors` maps a field name (or "__all__") to its messages."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]] | str, *, code: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {"__all__": [errors]}
        self.errors = errors
        first = next(iter(errors.values()), [""])
        super().__init__(str(first[0]) if first else "", code=code)


class Conflict(DomainError):
    """The request is valid but the object's state does not allow it (illegal transition, ...)."""

    code = "conflict"
