"""Who may see what of the register: the permission of each focus group kind, and the checks on
one object. Pure look-ups over `core.access`; the selectors and services apply them."""

from __future__ import annotations

from typing import Any

from gridgov.core.access import Perm
from gridgov.core.codes import is_within
from gridgov.people.models import FocusKind

FOCUS_PERMS: dict[str, str] = {
    FocusKind.ELDERLY_ALONE: Perm.FOCUS_ELDERLY_ALONE,
    FocusKind.DISABLED: Perm.FOCUS_DISABLED,
    FocusKind.LEFT_BEHIND_CHILDREN: Perm.FOCUS_LEFT_BEHIND_CHILDREN,
    FocusKind.LOW_INCOME: Perm.FOCUS_LOW_INCOME,
    FocusKind.COMMUNITY_CORRECTION: Perm.FOCUS_COMMUNITY_CORRECTION,
    FocusKind.RELEASED: Perm.FOCUS_RELEASED,
    FocusKind.MENTAL_ILLNESS: Perm.FOCUS_MENTAL_ILLNESS,
    FocusKind.DRUG_REHABILITATION: Perm.FOCUS_DRUG_REHABILITATION,
}


def holds_at(actor: Any, permission: str, region_code: str) -> bool:
    """Whether `actor` holds `permission` over `region_code`."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return any(is_within(region_code, code) for code in actor.jurisdiction_codes(permission))


def holds_anywhere(actor: Any, permission: str) -> bool:
    """Whether `actor` holds `permission` over any region."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.jurisdiction_codes(permission))


def visible_focus_kinds(actor: Any, region_code: str) -> set[str]:
    """The focus group kinds `actor` may see at `region_code`."""
    return {kind for kind, perm in FOCUS_PERMS.items() if holds_at(actor, perm, region_code)}


def focus_codes(actor: Any) -> dict[str, list[str]]:
    """For each focus kind, the region codes where `actor` may see it (empty lists left out)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {}
    found = {kind: actor.jurisdiction_codes(perm) for kind, perm in FOCUS_PERMS.items()}
    return {kind: codes for kind, codes in found.items() if codes}
