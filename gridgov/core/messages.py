"""Translatable messages kept by key: a stable key, a template with `%(name)s` placeholders, and
how to show enumerated parameters (a state code as its label). Rendered when someone reads it,
in their language, so nothing stored or raised is a sentence frozen in one language.

The refusal codes (`core.errors`) and the notification texts (`notifications`) are catalogues of
these; each app declares its own entries in one module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

# A parameter's value as a reader sees it: a state code becomes its label, and so on.
ParamLabels = Mapping[str, Callable[[Any], Any]]


@dataclass(frozen=True)
class Message:
    key: str
    template: str | Promise
    labels: ParamLabels = field(default_factory=dict)

    def render(self, params: Mapping[str, Any]) -> str:
        """The text in the active language, with enumerated values shown by their labels."""
        shown = {
            name: str(self.labels[name](value)) if name in self.labels else value
            for name, value in params.items()
        }
        text = str(self.template)
        try:
            return text % shown if shown else text
        except (KeyError, TypeError, ValueError):
            # A stored row whose parameters no longer fit the template still reads as the
            # template rather than breaking the page that lists it.
            return text


class Catalogue:
    """Messages of one kind, each declared once (a second declaration is a programming error)."""

    def __init__(self, kind: str, message_class: type[Message] = Message) -> None:
        self.kind = kind
        self.message_class = message_class
        self._entries: dict[str, Message] = {}

    def declare(
        self, key: str, template: str | Promise, *, labels: ParamLabels | None = None
    ) -> Any:
        message = self.message_class(key, template, dict(labels or {}))
        self.add(message)
        return message

    def add(self, message: Message) -> None:
        if message.key in self._entries:
            raise ValueError(f"{self.kind} {message.key!r} is declared twice")
        self._entries[message.key] = message

    def get(self, key: str) -> Message | None:
        return self._entries.get(key)

    def entries(self) -> dict[str, Message]:
        return dict(self._entries)
