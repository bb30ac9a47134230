"""What the audit log page shows a person instead of codes: an action's label, the names of the
keys of its details, and the names of regions.

`core` knows no app: each app registers the labels of the actions it writes and the regions app
registers how region codes become names, when Django starts (in `AppConfig.ready`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Label = str | Promise

_ACTIONS: dict[str, Label] = {
    "auth.login": _("Signed in (or failed to)"),
    "auth.logout": _("Signed out"),
    "path.get": _("Opened a page or address"),
    "path.post": _("Sent a form or request"),
    "path.put": _("Replaced a resource"),
    "path.patch": _("Changed a resource"),
    "path.delete": _("Deleted a resource"),
}
_DETAIL_KEYS: dict[str, Label] = {
    "reason": _("reason"),
    "note": _("note"),
    "rows": _("rows"),
    "filters": _("filters"),
    "field": _("field"),
    "path": _("address"),
    "method": _("method"),
    "role": _("role"),
    "region_code": _("region"),
}
_region_namer: Callable[[set[str]], dict[str, str]] | None = None


def register_audit_actions(labels: Mapping[str, Label]) -> None:
    """Labels of exact action names ("case.accept") or of a family ending in "." ("region.")."""
    _ACTIONS.update(labels)


def register_audit_detail_keys(labels: Mapping[str, Label]) -> None:
    _DETAIL_KEYS.update(labels)


def register_region_namer(namer: Callable[[set[str]], dict[str, str]]) -> None:
    """How region codes become names (the regions app registers it)."""
    global _region_namer
    _region_namer = namer


def action_label(action: str) -> str:
    """The action's label; for an unregistered action its family's, else the name itself."""
    if action in _ACTIONS:
        return str(_ACTIONS[action])
    family = action.rsplit(".", 1)[0] + "."
    if family in _ACTIONS:
        return f"{_ACTIONS[family]} ({action})"
    return action


def action_choices() -> list[tuple[str, str]]:
    """The log's action filter: each family of actions ("region." finds every change to the
    tree), then each registered action under it, by label."""
    families: dict[str, list[str]] = {}
    for name in _ACTIONS:
        family = name if name.endswith(".") else name.rsplit(".", 1)[0] + "."
        families.setdefault(family, [])
        if name != family:
            families[family].append(name)
    choices: list[tuple[str, str]] = []
    for family in sorted(families):
        label = _ACTIONS.get(family)
        choices.append((family, str(label) if label else _("All “%s”") % family.rstrip(".")))
        choices += [(name, f"— {_ACTIONS[name]}") for name in sorted(families[family])]
    return choices


def region_display_names(codes: Iterable[str]) -> dict[str, str]:
    wanted = {code for code in codes if code}
    if not wanted or _region_namer is None:
        return {}
    return _region_namer(wanted)


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | tuple):
        return "、".join(_value_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{detail_key_label(k)}: {_value_text(v)}" for k, v in value.items())
    return str(value)


def detail_key_label(key: str) -> str:
    return str(_DETAIL_KEYS.get(key, key.replace("_", " ")))


def detail_lines(detail: Mapping[str, Any]) -> list[tuple[str, str]]:
    """An entry's details as (label, text) lines a person can read."""
    return [(detail_key_label(key), _value_text(value)) for key, value in detail.items()]
