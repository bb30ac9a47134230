"""The role matrix of the focus groups: for each kind and each role, a resident in that group is
shown in it exactly when the role's permission for the kind covers the resident's grid; the
filter by kind answers 403 to a role without it; the other kinds stay hidden."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from gridgov.core.access import Perm, Role, role_grants
from gridgov.people.models import FocusKind, FocusMembership
from gridgov.people.policy import FOCUS_PERMS
from gridgov.people.tests.conftest import Register
from gridgov.testing import make_user

pytestmark = pytest.mark.django_db
TALLY: Counter[str] = Counter()


def _placement(register: Register, role: str, grid: str) -> str:
    levels: dict[str, int] = {
        Role.COUNTY_LEADER: 6,
        Role.COUNTY_OPERATOR: 6,
        Role.SYSADMIN: 6,
        Role.SECURITY_ADMIN: 6,
        Role.TOWN_OFFICIAL: 9,
        Role.AUDITOR: 9,
        Role.MEDIATOR: 9,
        Role.VILLAGE_SECRETARY: 12,
    }
    level = levels.get(role, 15)
    return grid[:level]


def test_every_kind_is_shown_exactly_to_the_roles_allowed_it(register: Register) -> None:
    # given a resident in every focus group
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    for kind in FocusKind.values:
        FocusMembership.objects.create(resident=resident, kind=kind, region_code=grid)
    problems = []
    for role in Role.values:
        client = APIClient()
        client.force_authenticate(make_user(role, _placement(register, role, grid)))
        # when
        detail = client.get(reverse("people-api:resident-detail", args=[resident.pk]))
        listed = client.get(reverse("people-api:resident-list"), {"q": resident.name})
        # then
        if not role_grants(role, Perm.PEOPLE_VIEW):
            TALLY["refused"] += 1
            if detail.status_code != 403:
                problems.append(f"{role}: detail {detail.status_code}, want 403")
            continue
        shown = set(detail.json()["focus_groups"])
        in_list = next(row for row in listed.json()["results"] if row["id"] == resident.pk)
        for kind in FocusKind.values:
            TALLY["checks"] += 1
            allowed = role_grants(role, FOCUS_PERMS[kind])
            if (kind in shown) != allowed or (kind in in_list["focus_groups"]) != allowed:
                problems.append(f"{role} {kind}: shown {kind in shown}, allowed {allowed}")
            filtered = client.get(reverse("people-api:resident-list"), {"focus": kind})
            want = 200 if allowed else 403
            if filtered.status_code != want:
                problems.append(f"{role} ?focus={kind}: {filtered.status_code}, want {want}")
            elif allowed and resident.pk not in {row["id"] for row in filtered.json()["results"]}:
                problems.append(f"{role} ?focus={kind}: resident not listed")
    assert not problems, "\n".join(problems)
    assert TALLY["checks"] == 8 * 5


def test_a_focus_group_outside_the_grid_is_not_shown_to_its_neighbour(register: Register) -> None:
    # given a resident under community correction in the next grid
    theirs = register.resident_in(register.tree.grids[1])
    FocusMembership.objects.create(
        resident=theirs, kind=FocusKind.COMMUNITY_CORRECTION, region_code=theirs.region_code
    )
    client = APIClient()
    client.force_authenticate(make_user(Role.GRID_WORKER, register.tree.grids[0]))
    # when
    listed = client.get(
        reverse("people-api:resident-list"), {"focus": FocusKind.COMMUNITY_CORRECTION}
    )
    # then
    assert listed.status_code == 200
    assert listed.json()["results"] == []


def test_the_system_administrator_holds_no_permission_over_the_register() -> None:
    register_perms = {
        Perm.PEOPLE_VIEW,
        Perm.PEOPLE_REVEAL,
        Perm.PEOPLE_MANAGE,
        *FOCUS_PERMS.values(),
    }
    for role in (Role.SYSADMIN, Role.SECURITY_ADMIN, Role.AUDITOR):
        assert not any(role_grants(role, perm) for perm in register_perms), role
