"""The menu registry: each app declares its pages, the permission each needs and its place in the
menu; the web shell draws the menu from here. A person sees exactly the entries whose permission
one of their roles grants somewhere, so no link leads to a refusal.

`core` knows no app: apps register their entries when Django starts (in `AppConfig.ready`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from gridgov.core.scoping import Actor


@dataclass(frozen=True)
class MenuEntry:
    key: str  # stable, for tests and for pages that link to a section
    label: str | Promise  # translatable (gettext_lazy)
    url_name: str
    permission: str
    # Place in the menu: lower first. Work pages 100s, the tree 500s, administration 900s.
    order: int
    # The name of a template context value shown as a count beside the label (an unread count).
    badge: str = ""


@dataclass(frozen=True)
class MenuLink:
    entry: MenuEntry
    url: str


_ENTRIES: dict[str, MenuEntry] = {}


def register_menu(*entries: MenuEntry) -> None:
    """Add pages to the menu; registering a key again replaces its entry (reloads, tests)."""
    for entry in entries:
        _ENTRIES[entry.key] = entry


def menu_entries() -> list[MenuEntry]:
    """Every registered entry, in menu order."""
    return sorted(_ENTRIES.values(), key=lambda entry: (entry.order, entry.key))


def menu_for(actor: Actor | None) -> list[MenuLink]:
    """The entries `actor` may open, in menu order, with their addresses."""
    if actor is None or not actor.is_authenticated:
        return []
    links = []
    for entry in menu_entries():
        if not actor.jurisdiction_codes(entry.permission):
            continue
        try:
            links.append(MenuLink(entry=entry, url=reverse(entry.url_name)))
        except NoReverseMatch:
            continue
    return links
