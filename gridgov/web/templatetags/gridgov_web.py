"""Template tags for the page frame: the menu, drawn from the apps' registered pages."""

from __future__ import annotations

from typing import Any

from django import template

from gridgov.core.menu import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The menu entries the user may open, in order, each with its address and badge count."""
    links = menu_for(context.get("user"))
    return [
        {
            "key": link.entry.key,
            "label": link.entry.label,
            "url": link.url,
            "badge": context.get(link.entry.badge) if link.entry.badge else None,
        }
        for link in links
    ]


@register.simple_tag(takes_context=True)
def nav_links(context: dict[str, Any]) -> dict[str, str]:
    """URL of each menu entry the user may open, by key, for pages that link to a section."""
    return {link.entry.key: link.url for link in menu_for(context.get("user"))}
