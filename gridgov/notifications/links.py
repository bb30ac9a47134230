"""Where a notice leads: each app registers how to link the objects its notices are about
(`register_link("case", ...)` in the cases app's `ready`), so this app never imports them."""

from __future__ import annotations

from collections.abc import Callable

_LINKS: dict[str, Callable[[str], str]] = {}


def register_link(object_type: str, link: Callable[[str], str]) -> None:
    _LINKS[object_type] = link


def link_for(object_type: str, object_id: str) -> str:
    """The page's path, or "" when there is none to go to."""
    link = _LINKS.get(object_type)
    return link(object_id) if link is not None and object_id else ""
