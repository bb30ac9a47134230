"""The notices apps may send: each a key, a short title (the inbox's kind column) and a message
template, declared once by the app that sends it (`cases/notices.py`) and rendered when read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from gridgov.core.messages import Catalogue, Message, ParamLabels


@dataclass(frozen=True)
class Notice(Message):
    title: str | Promise = ""


_CATALOGUE = Catalogue("notice", Notice)


def notice(
    key: str, title: str | Promise, template: str | Promise, *, labels: ParamLabels | None = None
) -> Notice:
    declared = Notice(key, template, dict(labels or {}), title)
    _CATALOGUE.add(declared)
    return declared


def declared_notices() -> dict[str, Notice]:
    return {key: entry for key, entry in _CATALOGUE.entries().items() if isinstance(entry, Notice)}


def render_notice(key: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """(title, message) in the active language; a key nobody declares any more shows as itself."""
    entry = _CATALOGUE.get(key)
    if not isinstance(entry, Notice):
        return key, key
    return str(entry.title), entry.render(params)
