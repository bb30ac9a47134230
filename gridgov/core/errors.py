"""Domain errors with stable codes.

A service refuses by raising one of the errors below with an `ErrorCode` from its app's catalogue
(`<app>/errors.py`) and the parameters its message needs; it never writes a sentence itself. The
code (`case.not_in_state`) is what clients and tests match on; the message is a translatable
template rendered when someone reads it, in their language, so a page in English and the API in
Chinese both say it properly. One mapping turns the errors into HTTP (`core.api_errors` for the
API, `core.pages` for pages): NotFound 404, PermissionDenied 403, ValidationFailed 400,
Conflict 409.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gridgov.core.messages import Catalogue, Message, ParamLabels


class ErrorCode(Message):
    """A stable refusal code (`case.not_in_state`) and the template that explains it."""

    @property
    def code(self) -> str:
        return self.key

    def bind(self, **params: Any) -> Problem:
        return Problem(self, params)


_CATALOGUE = Catalogue("error code", ErrorCode)


def error_code(
    code: str, template: str | Promise, *, labels: ParamLabels | None = None
) -> ErrorCode:
    """Declare a code once, in its app's catalogue (`<app>/errors.py`)."""
    declared: ErrorCode = _CATALOGUE.declare(code, template, labels=labels)
    return declared


def declared_codes() -> dict[str, ErrorCode]:
    """Every declared code (for the tests that check each one renders in every language)."""
    return cast(dict[str, ErrorCode], _CATALOGUE.entries())


@dataclass(frozen=True)
class Problem:
    """One reason a request was refused: a code with its parameters."""

    error: ErrorCode
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def message(self) -> str:
        return self.error.render(self.params)

    def __str__(self) -> str:
        return self.message


# Messages that arrive already written (a Django form's or validator's errors, in the request's
# language) travel under these generic codes.
INVALID = error_code("invalid", _("%(message)s"))
NOT_FOUND = error_code("not_found", _("Not found."))
PERMISSION_DENIED = error_code("permission_denied", _("You may not do this."))
AUTHENTICATION_REQUIRED = error_code("authentication_required", _("Log in first."))
NO_ROLE_GRANTS = error_code("no_role_grants", _("None of your roles allows this (%(permission)s)."))
TOO_LONG = error_code("text.too_long", _("At most %(limit)d characters."))
BAD_CURSOR = error_code(
    "cursor.invalid", _("This page link is not valid any more; start from the first page.")
)


def written(message: str) -> Problem:
    """A message somebody else already wrote and translated (Django's validators, forms)."""
    return INVALID.bind(message=message)


@dataclass(frozen=True)
class RefusalTarget:
    """What a refused operation was aimed at, so the one refusal writer can name it in the audit
    log (`<object_type>.<operation>`) without the service writing a row itself."""

    object_type: str
    object_id: str
    operation: str
    region_code: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


class DomainError(Exception):
    """Base of every error a service may raise on purpose: a code and its parameters."""

    default = INVALID

    def __init__(self, error: ErrorCode | Problem | None = None, **params: Any) -> None:
        if not isinstance(error, Problem):
            error = Problem(error or self.default, params)
        self.problem = error
        super().__init__(error.code)

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def params(self) -> Mapping[str, Any]:
        return self.problem.params

    @property
    def message(self) -> str:
        """The explanation in the active language: read it where the reader's language is set."""
        return self.problem.message


class NotFound(DomainError):
    """Missing, or outside the actor's jurisdiction: the two answer the same."""

    default = NOT_FOUND


class PermissionDenied(DomainError):
    """The actor's roles do not allow the operation (on this object, when `target` names it)."""

    default = PERMISSION_DENIED

    def __init__(
        self,
        error: ErrorCode | Problem | None = None,
        *,
        target: RefusalTarget | None = None,
        **params: Any,
    ) -> None:
        super().__init__(error, **params)
        self.target = target


class ValidationFailed(DomainError):
    """Bad input, field by field: each field ("__all__" for the whole) with its problems."""

    def __init__(self, problems: Mapping[str, Sequence[ErrorCode | Problem]]) -> None:
        self.problems: dict[str, list[Problem]] = {
            name: [item if isinstance(item, Problem) else Problem(item) for item in items]
            for name, items in problems.items()
            if items
        }
        first = next(iter(self.problems.values()), [written("")])[0]
        super().__init__(first)

    @classmethod
    def on(cls, field_name: str, error: ErrorCode | Problem, **params: Any) -> ValidationFailed:
        """One problem with one field: `ValidationFailed.on("note", NOTE_REQUIRED)`."""
        problem = error if isinstance(error, Problem) else Problem(error, params)
        return cls({field_name: [problem]})

    @classmethod
    def from_messages(cls, messages: Mapping[str, Sequence[Any]]) -> ValidationFailed:
        """Errors a Django form or validator already wrote, field by field."""
        return cls(
            {name: [written(str(text)) for text in texts] for name, texts in messages.items()}
        )

    @property
    def errors(self) -> dict[str, list[str]]:
        """The messages field by field, in the active language."""
        return {name: [p.message for p in items] for name, items in self.problems.items()}


class Conflict(DomainError):
    """The request is valid but the object's state does not allow it (illegal transition, ...)."""
