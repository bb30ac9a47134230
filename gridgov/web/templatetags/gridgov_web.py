"""Template tags for the page frame: which sections the navigation offers the current user."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from gridgov.core.access import Perm

register = template.Library()

# (key, URL name, permission): a link shows when the user holds the permission somewhere and the
# page exists (other apps add their pages over time).
_SECTIONS = (
    ("my_tasks", "cases:my-tasks", Perm.CASES_HANDLE),
    ("cases_report", "cases:report", Perm.CASES_REPORT),
    ("queue", "cases:queue", Perm.CASES_ROUTE),
    ("overdue", "cases:overdue", Perm.CASES_VIEW),
    ("inbox", "cases:inbox", Perm.CASES_VIEW),
    ("regions", "web:regions", Perm.REGIONS_VIEW),
    ("accounts", "accounts:users", Perm.ACCOUNTS_MANAGE),
    ("audit", "audit:list", Perm.AUDIT_VIEW),
)


@register.simple_tag(takes_context=True)
def nav_links(context: dict[str, Any]) -> dict[str, str]:
    """URL of each section the user may open, by key; absent when not theirs or not built yet."""
    user = context.get("user")
    if user is None or not user.is_authenticated or not hasattr(user, "jurisdiction_codes"):
        return {}
    links = {}
    for key, url_name, permission in _SECTIONS:
        if not user.jurisdiction_codes(permission):
            continue
        try:
            links[key] = reverse(url_name)
        except NoReverseMatch:
            continue
    return links
