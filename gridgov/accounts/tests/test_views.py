"""Account management pages: list, create, roles (assign and revoke) and unlock, for the system
administrator inside their jurisdiction only (the roles that read personal data are the security
administrator's: test_separation_of_powers)."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from gridgov.accounts.models import RoleAssignment, User
from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.testing import TEST_PASSWORD

USERS_URL = reverse("accounts:users")
CREATE_URL = reverse("accounts:user-create")
NEW_PASSWORD = "plum-river-lantern-1987"


def client_as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def user_url(user: User) -> str:
    return reverse("accounts:user", args=[user.pk])


def usernames_listed(response) -> set[str]:
    return set(re.findall(r'<tr data-user="([^"]+)"', response.content.decode()))


def create_form(**overrides: str) -> dict[str, str]:
    data = {
        "username": "wang_grid",
        "display_name": "王网格",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        # A role that reads no personal data: the system administrator's to give.
        "role": Role.VOLUNTEER,
        "region_code": "610324001200001",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin(tree, user_factory) -> User:
    return user_factory(Role.SYSADMIN, tree.county, username="sysadmin_fufeng")


# The user list


@pytest.mark.django_db
def test_admin_lists_users_of_their_county_with_roles_and_regions(tree, user_factory, admin):
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0], username="grid_one")
    user_factory(Role.GRID_WORKER, "610323100200001", username="qishan_grid")
    # when
    response = client_as(admin).get(USERS_URL)
    # then
    assert response.status_code == 200
    assert usernames_listed(response) == {"sysadmin_fufeng", "grid_one"}
    body = response.content.decode()
    # the grid by its name and its village's, not by its code
    grid = worker.role_assignments.get().region_code
    assert f"{tree.names[grid]} · {tree.names[grid[:12]]}" in body
    assert grid not in body
    assert "610323" not in body


@pytest.mark.django_db
def test_residents_accounts_are_not_shown_to_the_admin(tree, user_factory, admin):
    # given
    user_factory(Role.RESIDENT, tree.micro_grids[0], username="resident_zhao")
    # when
    response = client_as(admin).get(USERS_URL)
    detail = client_as(admin).get(
        user_url(User.objects.get(username="resident_zhao")),
    )
    # then
    assert "resident_zhao" not in response.content.decode()
    assert detail.status_code == 404


@pytest.mark.django_db
def test_search_by_username_or_display_name(tree, user_factory, admin):
    # given
    user_factory(Role.GRID_WORKER, tree.grids[0], username="grid_one")
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0], username="sec_one")
    secretary.display_name = "李书记"
    secretary.save()
    client = client_as(admin)
    # when
    by_username = client.get(USERS_URL, {"q": "GRID_"})
    by_display_name = client.get(USERS_URL, {"q": "书记"})
    # then
    assert usernames_listed(by_username) == {"grid_one"}
    assert usernames_listed(by_display_name) == {"sec_one"}


@pytest.mark.django_db
def test_the_list_is_paginated(tree, user_factory, admin):
    # given: the admin and 55 grid workers, 56 accounts
    for n in range(55):
        user_factory(Role.GRID_WORKER, tree.grids[n % len(tree.grids)], username=f"gw{n:02d}")
    client = client_as(admin)
    # when
    first = client.get(USERS_URL)
    second = client.get(USERS_URL, {"page": 2})
    # then
    assert len(usernames_listed(first)) == 50
    assert len(usernames_listed(second)) == 6
    assert usernames_listed(first).isdisjoint(usernames_listed(second))


# Creating an account


@pytest.mark.django_db
def test_admin_creates_an_account_with_its_first_role(tree, admin):
    # when
    response = client_as(admin).post(CREATE_URL, create_form())
    # then
    user = User.objects.get(username="wang_grid")
    assert response.status_code == 302
    assert response["Location"] == user_url(user)
    assert user.display_name == "王网格"
    assert user.check_password(NEW_PASSWORD)
    assert [(a.role, a.region_code) for a in user.role_assignments.all()] == [
        (Role.VOLUNTEER, "610324001200001")
    ]
    assert set(
        AuditEntry.objects.filter(actor=admin, object_id=str(user.pk)).values_list(
            "action", flat=True
        )
    ) == {"user.create", "role.assign"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password2": "another-long-password-55"}, "password2"),
        ({"password1": "password", "password2": "password"}, "password1"),
        ({"password1": "12345678901234", "password2": "12345678901234"}, "password1"),
        ({"username": "sysadmin_fufeng"}, "username"),
        ({"username": "not a username!"}, "username"),
        ({"region_code": "61032400"}, "region_code"),
        # A grid worker is not assigned at town level.
        ({"role": Role.GRID_WORKER, "region_code": "610324001"}, "region_code"),
        # Another county: outside the admin's jurisdiction.
        ({"region_code": "610323100200001"}, "region_code"),
        # A well-formed code of a region that does not exist: found by role_assign after
        # user_create has run, so the new account must be rolled back with it.
        ({"region_code": "610324001299001"}, "region_code"),
    ],
)
def test_bad_input_shows_the_form_again_and_saves_nothing(tree, admin, overrides, field):
    # given
    client = client_as(admin)  # its login writes an audit row, before the count
    users_before = User.objects.count()
    audit_before = AuditEntry.objects.count()
    # when
    response = client.post(CREATE_URL, create_form(**overrides))
    # then
    assert response.status_code == 200
    assert f'data-field="{field}"' in response.content.decode()
    assert User.objects.count() == users_before
    assert not RoleAssignment.objects.filter(user__username="wang_grid").exists()
    assert AuditEntry.objects.count() == audit_before


# One user's page: roles, assign, revoke, unlock


@pytest.mark.django_db
def test_admin_sees_a_users_roles(tree, user_factory, admin):
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    # when
    response = client_as(admin).get(user_url(worker))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert worker.username in body
    assert tree.grids[0] in body
    assert tree.names[tree.grids[0]] in body


@pytest.mark.django_db
def test_roles_in_another_county_are_not_shown(tree, user_factory, admin):
    # given: one person holding roles in both counties
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    elsewhere = RoleAssignment(user=worker, role=Role.GRID_WORKER)
    elsewhere.set_region_code("610323100200001")
    elsewhere.save()
    # when
    response = client_as(admin).get(user_url(worker))
    # then
    body = response.content.decode()
    assert tree.grids[0] in body
    assert "610323" not in body
    assert tree.names["610323100200001"] not in body


@pytest.mark.django_db
def test_admin_assigns_a_role(tree, user_factory, admin):
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    # when
    response = client_as(admin).post(
        reverse("accounts:role-assign", args=[worker.pk]),
        {"role": Role.VOLUNTEER, "region_code": tree.micro_grids[0]},
    )
    # then
    assert response.status_code == 302
    assert worker.role_assignments.filter(
        role=Role.VOLUNTEER, region_code=tree.micro_grids[0], is_active=True
    ).exists()
    assert AuditEntry.objects.filter(
        actor=admin, action="role.assign", object_id=str(worker.pk)
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"role": Role.VILLAGE_SECRETARY, "region_code": "610324001"},  # wrong level
        {"role": Role.GRID_WORKER, "region_code": "610323100200001"},  # another county
        {"role": Role.GRID_WORKER, "region_code": "abc"},  # not a code
        {"role": "emperor", "region_code": "610324001200001"},  # not a role
        {"role": Role.RESIDENT, "region_code": "610324001200001"},  # not the admin's to give
    ],
)
def test_bad_role_assignment_shows_the_form_again(tree, user_factory, admin, data):
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    # when
    response = client_as(admin).post(reverse("accounts:role-assign", args=[worker.pk]), data)
    # then
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    assert worker.role_assignments.count() == 1


@pytest.mark.django_db
def test_admin_revokes_a_role(tree, user_factory, admin):
    # given
    worker = user_factory(Role.VOLUNTEER, tree.grids[0])
    assignment = worker.role_assignments.get()
    # when
    response = client_as(admin).post(
        reverse("accounts:role-revoke", args=[worker.pk, assignment.pk])
    )
    # then
    assignment.refresh_from_db()
    assert response.status_code == 302
    assert assignment.is_active is False
    assert AuditEntry.objects.filter(action="role.revoke", actor=admin).count() == 1
    assert usernames_listed(client_as(admin).get(USERS_URL)) >= {worker.username}


@pytest.mark.django_db
def test_admin_cannot_revoke_their_own_management_role(tree, admin):
    # given
    own = admin.role_assignments.get()
    # when
    client_as(admin).post(reverse("accounts:role-revoke", args=[admin.pk, own.pk]))
    # then
    own.refresh_from_db()
    assert own.is_active is True


@pytest.mark.django_db
def test_revoking_through_another_users_url_answers_404(tree, user_factory, admin):
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    other = user_factory(Role.GRID_WORKER, tree.grids[1])
    others_assignment = other.role_assignments.get()
    # when
    response = client_as(admin).post(
        reverse("accounts:role-revoke", args=[worker.pk, others_assignment.pk])
    )
    # then
    others_assignment.refresh_from_db()
    assert response.status_code == 404
    assert others_assignment.is_active is True


@pytest.mark.django_db
def test_admin_unlocks_a_locked_out_user(tree, user_factory, admin):
    # given: the user failed to log in until axes locked them out
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("web:login"), {"username": worker.username, "password": "wrong"})
    locked = Client().post(
        reverse("web:login"), {"username": worker.username, "password": TEST_PASSWORD}
    )
    assert locked.wsgi_request.user.is_authenticated is False
    admin_client = client_as(admin)
    page = admin_client.get(user_url(worker))
    assert 'data-locked="true"' in page.content.decode()
    # when
    response = admin_client.post(reverse("accounts:user-unlock", args=[worker.pk]))
    # then
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=worker.username).exists()
    assert AuditEntry.objects.filter(
        actor=admin, action="user.unlock", object_id=str(worker.pk)
    ).exists()
    again = Client()
    again.post(reverse("web:login"), {"username": worker.username, "password": TEST_PASSWORD})
    assert again.get(reverse("web:home")).wsgi_request.user == worker


# Jurisdiction, roles, anonymous


@pytest.fixture
def outsider(tree, user_factory) -> User:
    """A grid worker in the other county: outside the Fufeng administrator's jurisdiction."""
    return user_factory(Role.GRID_WORKER, "610323100200001", username="qishan_grid")


def outsider_requests(outsider: User) -> list[tuple[str, str, dict[str, str]]]:
    assignment = outsider.role_assignments.get()
    return [
        ("get", user_url(outsider), {}),
        (
            "post",
            reverse("accounts:role-assign", args=[outsider.pk]),
            {"role": Role.GRID_WORKER, "region_code": "610324001200001"},
        ),
        ("post", reverse("accounts:role-revoke", args=[outsider.pk, assignment.pk]), {}),
        ("post", reverse("accounts:user-unlock", args=[outsider.pk]), {}),
    ]


@pytest.mark.django_db
def test_users_of_another_jurisdiction_answer_404(tree, admin, outsider):
    # given
    client = client_as(admin)
    for method, url, data in outsider_requests(outsider):
        # when
        response = getattr(client, method)(url, data)
        # then
        assert response.status_code == 404, url
        assert outsider.username not in response.content.decode()
    assert outsider.role_assignments.filter(is_active=True).count() == 1
    assert not AuditEntry.objects.filter(actor=admin, object_id=str(outsider.pk)).exists()


@pytest.mark.django_db
def test_a_missing_user_answers_404_like_one_outside(tree, admin):
    response = client_as(admin).get(reverse("accounts:user", args=[999_999]))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COUNTY_OPERATOR, Role.TOWN_OFFICIAL])
def test_other_roles_are_refused_every_page_with_403(tree, user_factory, role):
    # given
    region = tree.towns[0] if role == Role.TOWN_OFFICIAL else tree.county
    user = user_factory(role, region)
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    assignment = worker.role_assignments.get()
    client = client_as(user)
    requests = [
        ("get", USERS_URL, {}),
        ("get", CREATE_URL, {}),
        ("post", CREATE_URL, create_form()),
        ("get", user_url(worker), {}),
        (
            "post",
            reverse("accounts:role-assign", args=[worker.pk]),
            {"role": Role.INFO_OFFICER, "region_code": tree.grids[0]},
        ),
        ("post", reverse("accounts:role-revoke", args=[worker.pk, assignment.pk]), {}),
        ("post", reverse("accounts:user-unlock", args=[worker.pk]), {}),
    ]
    for method, url, data in requests:
        # when
        response = getattr(client, method)(url, data)
        # then
        assert response.status_code == 403, url
        assert worker.username not in response.content.decode()
    assert not User.objects.filter(username="wang_grid").exists()
    assert list(worker.role_assignments.values_list("role", "is_active")) == [
        (Role.GRID_WORKER, True)
    ]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(tree, user_factory):
    # given
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    assignment = worker.role_assignments.get()
    urls = [
        ("get", USERS_URL),
        ("get", CREATE_URL),
        ("post", CREATE_URL),
        ("get", user_url(worker)),
        ("post", reverse("accounts:role-assign", args=[worker.pk])),
        ("post", reverse("accounts:role-revoke", args=[worker.pk, assignment.pk])),
        ("post", reverse("accounts:user-unlock", args=[worker.pk])),
    ]
    for method, url in urls:
        # when
        response = getattr(Client(), method)(url)
        # then
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("web:login"))


# Django admin: users with their role assignments inline, regions searchable


def user_admin_form(user: User, **extra: str) -> dict[str, str]:
    """The change form of the user admin as a browser posts it, with an empty inline set."""
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "display_name": user.display_name,
        "role_assignments-TOTAL_FORMS": "0",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def with_existing_assignments(user: User, data: dict[str, str]) -> dict[str, str]:
    assignments = list(user.role_assignments.order_by("pk"))
    for n, assignment in enumerate(assignments):
        data[f"role_assignments-{n}-id"] = str(assignment.pk)
        data[f"role_assignments-{n}-user"] = str(user.pk)
        data[f"role_assignments-{n}-role"] = assignment.role
        data[f"role_assignments-{n}-region_code"] = assignment.region_code
        if assignment.is_active:
            data[f"role_assignments-{n}-is_active"] = "on"
    data["role_assignments-TOTAL_FORMS"] = str(len(assignments) + 1)
    data["role_assignments-INITIAL_FORMS"] = str(len(assignments))
    return data


@pytest.mark.django_db
def test_admin_site_gives_no_role_even_to_a_superuser(tree, user_factory):
    # given a superuser sending the admin's user form with a role added inline (as the form did
    # when the inline was editable)
    superuser = User.objects.create_superuser("root", password=TEST_PASSWORD)
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    before = set(worker.role_assignments.values_list("pk", flat=True))
    data = with_existing_assignments(worker, user_admin_form(worker))
    data.update(
        {
            "role_assignments-1-user": str(worker.pk),
            "role_assignments-1-role": Role.COUNTY_LEADER,
            "role_assignments-1-region_code": tree.county,
            "role_assignments-1-is_active": "on",
        }
    )
    # when
    client_as(superuser).post(f"/admin/accounts/user/{worker.pk}/change/", data)
    # then no role was given, and none was audited as given
    assert set(worker.role_assignments.values_list("pk", flat=True)) == before
    assert not AuditEntry.objects.filter(action="role.assign", object_id=str(worker.pk)).exists()


@pytest.mark.django_db
def test_admin_site_searches_and_filters_regions(tree):
    # given
    superuser = User.objects.create_superuser("root", password=TEST_PASSWORD)
    client = client_as(superuser)
    # when
    by_name = client.get("/admin/regions/region/", {"q": tree.names[tree.towns[1]]})
    by_level = client.get("/admin/regions/region/", {"level__exact": "town"})
    add = client.get("/admin/regions/region/add/")
    # then
    assert tree.towns[1] in by_name.content.decode()
    assert tree.towns[0] not in by_name.content.decode()
    level_body = by_level.content.decode()
    assert all(town in level_body for town in tree.towns)
    assert tree.villages[0] not in level_body
    assert add.status_code == 403
