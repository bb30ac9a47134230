"""The menu is drawn from the pages the apps register: each role sees exactly the entries its
permissions open, in the registered order, and every entry it sees opens (no link to a 403)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from gridgov.core.access import ROLE_SPECS, Role, role_grants
from gridgov.core.menu import MenuEntry, menu_entries, menu_for, register_menu

LEVEL_ORDER = ["county", "town", "village", "grid", "micro_grid"]
_MENU_LINK = re.compile(r'data-menu="([a-z_]+)"')


def _place(tree, role: str) -> str:
    level = min(ROLE_SPECS[role].levels, key=LEVEL_ORDER.index)
    return {
        "county": tree.county,
        "town": tree.towns[0],
        "village": tree.villages[0],
        "grid": tree.grids[0],
        "micro_grid": tree.micro_grids[0],
    }[level]


def test_every_app_registered_its_pages_in_order():
    keys = [entry.key for entry in menu_entries()]
    assert keys == [
        "command_centre",
        "my_tasks",
        "cases_report",
        "queue",
        "all_cases",
        "overdue",
        "mediation",
        "mediation_register",
        "risks",
        "mediation_analysis",
        "inbox",
        "round",
        "patrol",
        "residents",
        "households",
        "buildings",
        "organisations",
        "register_import",
        "cards",
        "teams",
        "activities",
        "volunteer_events",
        "micro_wishes",
        "volunteer_hours",
        "trainings",
        "trained",
        "scores",
        "supervision",
        "my_package",
        "packages",
        "broadcasts",
        "terminals",
        "regions",
        "accounts",
        "audit",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_each_role_sees_exactly_the_pages_it_may_open(tree, user_factory, role):
    # given
    user = user_factory(role, _place(tree, role))
    client = Client()
    client.force_login(user)
    expected = [entry.key for entry in menu_entries() if role_grants(role, entry.permission)]
    # when
    body = client.get(reverse("web:home")).content.decode()
    shown = _MENU_LINK.findall(body)
    # then the menu holds exactly those, and each opens
    assert shown == expected
    for link in menu_for(user):
        assert client.get(link.url, follow=True).status_code == 200, link.entry.key


@pytest.mark.django_db
def test_a_role_with_no_permission_sees_no_entry(tree, user_factory):
    resident = user_factory(Role.RESIDENT, tree.grids[0])
    client = Client()
    client.force_login(resident)
    assert _MENU_LINK.findall(client.get(reverse("web:home")).content.decode()) == []


def test_an_entry_registered_by_a_new_app_appears_for_its_permission():
    # given an app that registers a page under a permission only the auditor holds
    extra = MenuEntry("audit_again", "Audit again", "audit:list", "audit.view", 999)
    register_menu(extra)
    try:

        class Auditor:
            pk = 1
            is_authenticated = True

            def jurisdiction_codes(self, permission: str) -> list[str]:
                return ["610324"] if permission == "audit.view" else []

        # then it is in their menu, after the others
        assert [link.entry.key for link in menu_for(Auditor())] == ["audit", "audit_again"]
    finally:
        from gridgov.core import menu

        menu._ENTRIES.pop("audit_again")
