"""Domain errors. Services raise these; the API's exception handler and the web views map them
to HTTP statuses (404, 403, 400, 409), so no layer invents its own."""

from __future__ import annotations


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


class PermissionDenied(DomainError):
    """The actor's roles do not allow the operation anywhere."""

    code = "permission_denied"


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
