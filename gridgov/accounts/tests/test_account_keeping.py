"""Keeping accounts: renaming, disabling and enabling again, resetting a forgotten password (the
person must choose their own at the next login), the list's filters and the region picker; on
the pages and through the API, for the system administrator inside their jurisdiction only."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from gridgov.accounts.models import ApiToken, User
from gridgov.accounts.services import api_token_issue
from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.testing import TEST_PASSWORD

OWN_PASSWORD = "plum-river-lantern-1987"


def client_as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, user: User) -> str:
    return reverse(f"accounts:{name}", args=[user.pk])


def logged_in(username: str, password: str) -> Client | None:
    """A client logged in through the login page (as a person would, lockout checks and all), or
    None when the page refused."""
    client = Client()
    response = client.post(reverse("web:login"), {"username": username, "password": password})
    return client if response.status_code == 302 else None


def shown_password(response) -> str:
    found = re.search(r"data-temporary-password>([^<]+)<", response.content.decode())
    assert found is not None, "the page shows no new password"
    return found.group(1)


def usernames_listed(response) -> set[str]:
    return set(re.findall(r'<tr data-user="([^"]+)"', response.content.decode()))


@pytest.fixture
def volunteer(tree, user_factory) -> User:
    # A role that reads no personal data: the system administrator keeps this account alone.
    return user_factory(Role.VOLUNTEER, tree.villages[0], username="volunteer_li")


@pytest.fixture
def worker(tree, user_factory) -> User:
    # A grid worker reads residents' data.
    return user_factory(Role.GRID_WORKER, tree.grids[0], username="grid_wang")


@pytest.fixture
def outsider(tree, user_factory) -> User:
    return user_factory(Role.VOLUNTEER, "610323100200", username="qishan_volunteer")


# Renaming


@pytest.mark.django_db
def test_the_administrator_renames_an_account(sysadmin, volunteer):
    # when
    response = client_as(sysadmin).post(url("user-edit", volunteer), {"display_name": "李志愿"})
    # then
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.display_name == "李志愿"
    assert AuditEntry.objects.filter(
        action="user.change", object_id=str(volunteer.pk), actor=sysadmin
    ).exists()


@pytest.mark.django_db
def test_a_too_long_name_is_a_form_error_and_changes_nothing(sysadmin, volunteer):
    # when
    response = client_as(sysadmin).post(url("user-edit", volunteer), {"display_name": "长" * 65})
    # then
    assert response.status_code == 400
    assert 'data-field="display_name"' in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.display_name == "volunteer_li"


@pytest.mark.django_db
def test_an_account_of_another_county_cannot_be_renamed(sysadmin, outsider):
    # when
    response = client_as(sysadmin).post(url("user-edit", outsider), {"display_name": "x"})
    # then
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.display_name == "qishan_volunteer"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.COUNTY_LEADER, Role.GRID_WORKER])
def test_only_the_system_administrator_renames(tree, user_factory, volunteer, role):
    # given
    somebody = user_factory(role, tree.county if role != Role.GRID_WORKER else tree.grids[1])
    # when
    response = client_as(somebody).post(url("user-edit", volunteer), {"display_name": "x"})
    # then
    assert response.status_code == 403
    volunteer.refresh_from_db()
    assert volunteer.display_name == "volunteer_li"


# Disabling and enabling again


@pytest.mark.django_db
def test_a_disabled_account_is_logged_out_and_its_tokens_stop(sysadmin, volunteer):
    # given: the volunteer is logged in on the web and holds an API token
    theirs = client_as(volunteer)
    assert theirs.get(reverse("accounts:me")).status_code == 200
    token = api_token_issue(user=volunteer).token
    # when
    response = client_as(sysadmin).post(url("user-deactivate", volunteer))
    # then
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert not volunteer.is_active
    assert theirs.get(reverse("accounts:me")).status_code == 302  # to the login page
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert logged_in("volunteer_li", TEST_PASSWORD) is None
    assert AuditEntry.objects.filter(action="user.deactivate", object_id=str(volunteer.pk)).exists()


@pytest.mark.django_db
def test_an_enabled_account_logs_in_again_with_its_roles(sysadmin, volunteer):
    # given
    admin = client_as(sysadmin)
    admin.post(url("user-deactivate", volunteer))
    # when
    response = admin.post(url("user-reactivate", volunteer))
    # then
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.is_active
    assert volunteer.roles == [Role.VOLUNTEER]
    assert logged_in("volunteer_li", TEST_PASSWORD) is not None
    assert AuditEntry.objects.filter(action="user.reactivate", object_id=str(volunteer.pk)).exists()


@pytest.mark.django_db
def test_the_administrator_cannot_disable_their_own_account(sysadmin):
    # when
    response = client_as(sysadmin).post(url("user-deactivate", sysadmin))
    # then
    assert response.status_code == 403
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


@pytest.mark.django_db
def test_an_account_of_another_county_cannot_be_disabled(sysadmin, outsider):
    # when
    response = client_as(sysadmin).post(url("user-deactivate", outsider))
    # then
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


@pytest.mark.django_db
def test_the_security_administrator_sees_accounts_but_does_not_disable_them(security, volunteer):
    # when
    response = client_as(security).post(url("user-deactivate", volunteer))
    # then
    assert response.status_code == 403
    volunteer.refresh_from_db()
    assert volunteer.is_active


# Resetting a password


@pytest.mark.django_db
def test_a_reset_password_is_shown_once_and_must_be_changed_at_the_next_login(sysadmin, volunteer):
    # when
    response = client_as(sysadmin).post(url("user-password-reset", volunteer))
    # then: the page shows the new password, and nothing keeps it
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = shown_password(response)
    volunteer.refresh_from_db()
    assert volunteer.must_change_password
    assert not re.search(r"[01lIoO]", password)
    # and the person logs in with it, but every page leads to the password change first
    person = logged_in("volunteer_li", password)
    assert person is not None
    home = person.get(reverse("web:home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("accounts:password-change")
    page = person.get(reverse("accounts:password-change"))
    assert page.status_code == 200
    assert "data-forced" in page.content.decode()
    # when they choose their own
    changed = person.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": OWN_PASSWORD, "new_password2": OWN_PASSWORD},
    )
    # then they go on, still logged in, and the old password no longer works
    assert changed.status_code == 302
    assert person.get(reverse("accounts:me")).status_code == 200
    volunteer.refresh_from_db()
    assert not volunteer.must_change_password
    assert volunteer.check_password(OWN_PASSWORD)
    assert AuditEntry.objects.filter(
        action="user.password_reset", object_id=str(volunteer.pk), actor=sysadmin
    ).exists()
    assert AuditEntry.objects.filter(action="user.password_change", actor=volunteer).exists()


@pytest.mark.django_db
def test_a_reset_revokes_the_tokens_and_the_api_waits_for_the_persons_own_password(
    sysadmin, volunteer, api_client
):
    # given
    token = api_token_issue(user=volunteer).token
    response = client_as(sysadmin).post(url("user-password-reset", volunteer))
    password = shown_password(response)
    # when
    login = api_client.post(
        reverse("api:token"), {"username": "volunteer_li", "password": password}, format="json"
    )
    # then
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert login.status_code == 403
    assert login.json()["code"] == "account.password_change_required"


@pytest.mark.django_db
def test_the_system_administrator_does_not_reset_an_account_that_reads_personal_data(
    sysadmin, worker
):
    # when: 三员分立 — whoever sets the password could log in as the grid worker
    response = client_as(sysadmin).post(url("user-password-reset", worker))
    # then
    assert response.status_code == 403
    worker.refresh_from_db()
    assert not worker.must_change_password
    assert worker.check_password(TEST_PASSWORD)
    assert AuditEntry.objects.filter(
        action="user.password_reset", outcome=AuditEntry.Outcome.DENIED, actor=sysadmin
    ).exists()


@pytest.mark.django_db
def test_a_wrong_old_password_is_a_form_error(volunteer):
    # when
    response = client_as(volunteer).post(
        reverse("accounts:password-change"),
        {"old_password": "wrong", "new_password1": OWN_PASSWORD, "new_password2": OWN_PASSWORD},
    )
    # then
    assert response.status_code == 400
    assert 'data-field="old_password"' in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_an_account_of_another_county_cannot_be_reset(sysadmin, outsider):
    # when
    response = client_as(sysadmin).post(url("user-password-reset", outsider))
    # then
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_a_grid_worker_cannot_reset_anybodys_password(worker, volunteer):
    # when
    response = client_as(worker).post(url("user-password-reset", volunteer))
    # then
    assert response.status_code == 403


# The list's filters and the region picker


@pytest.mark.django_db
def test_the_list_filters_by_role_region_and_state(tree, sysadmin, volunteer, worker, user_factory):
    # given
    other_town = user_factory(Role.VOLUNTEER, tree.villages[2], username="volunteer_zhao")
    other_town.is_active = False
    other_town.save()
    admin = client_as(sysadmin)
    users = reverse("accounts:users")
    # when / then
    assert usernames_listed(admin.get(users, {"role": Role.VOLUNTEER})) == {
        "volunteer_li",
        "volunteer_zhao",
    }
    assert usernames_listed(admin.get(users, {"region_code": tree.towns[0]})) == {
        "volunteer_li",
        "grid_wang",
    }
    assert usernames_listed(admin.get(users, {"status": "disabled"})) == {"volunteer_zhao"}
    assert usernames_listed(
        admin.get(users, {"role": Role.VOLUNTEER, "status": "active", "region_code": tree.county})
    ) == {"volunteer_li"}


@pytest.mark.django_db
def test_a_filter_that_does_not_parse_narrows_nothing_and_says_so(sysadmin, volunteer):
    # when
    response = client_as(sysadmin).get(reverse("accounts:users"), {"region_code": "not-a-code"})
    # then
    assert response.status_code == 200
    assert 'data-field="region_code"' in response.content.decode()
    assert "volunteer_li" in usernames_listed(response)


@pytest.mark.django_db
def test_the_picker_opens_the_tree_to_the_chosen_region(tree, sysadmin):
    # when
    response = client_as(sysadmin).get(reverse("accounts:users"), {"region_code": tree.grids[0]})
    # then: the grid is checked, among its village's grids, under its town
    body = response.content.decode()
    assert re.search(rf'value="{tree.grids[0]}" checked', body)
    assert tree.names[tree.grids[1]] in body
    assert tree.names[tree.towns[1]] in body
    # the other town is closed: its villages load when it is opened
    assert tree.names[tree.villages[2]] not in body


@pytest.mark.django_db
def test_the_picker_loads_a_towns_villages_and_finds_places_by_name(tree, sysadmin):
    # given
    admin = client_as(sysadmin)
    picker = reverse("accounts:region-tree")
    # when
    children = admin.get(picker, {"parent": tree.towns[1], "field": "region_code"})
    found = admin.get(picker, {"region_q": "第2村", "field": "region_code"})
    # then
    assert children.status_code == 200
    assert set(re.findall(r'value="([0-9]+)"', children.content.decode())) == set(
        tree.villages[2:4]
    )
    found_codes = re.findall(r'value="([0-9]+)"', found.content.decode())
    assert found_codes[:2] == [tree.villages[1], tree.villages[3]]  # villages before their grids
    assert "610323" not in "".join(found_codes)


@pytest.mark.django_db
def test_the_picker_does_not_open_another_county(tree, sysadmin):
    # when
    response = client_as(sysadmin).get(reverse("accounts:region-tree"), {"parent": "610323100"})
    # then
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_picker_is_for_those_who_keep_accounts(worker):
    # when
    response = client_as(worker).get(reverse("accounts:region-tree"), {"parent": "610324001"})
    # then
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_role_is_given_at_a_region_picked_from_the_tree(tree, sysadmin, volunteer):
    # when: the form posts the radio button's value, as the picker sends it
    response = client_as(sysadmin).post(
        url("role-assign", volunteer), {"role": Role.VOLUNTEER, "region_code": tree.villages[3]}
    )
    # then
    assert response.status_code == 302
    assert volunteer.role_assignments.filter(region_code=tree.villages[3]).exists()


# The API


@pytest.mark.django_db
def test_the_api_renames_disables_enables_and_resets(sysadmin, volunteer, api_as):
    # given
    api = api_as(sysadmin)
    base = f"/api/v1/users/{volunteer.pk}/"
    # when
    renamed = api.patch(base, {"display_name": "李志愿"}, format="json")
    disabled = api.post(base + "deactivate/")
    enabled = api.post(base + "reactivate/")
    reset = api.post(base + "reset-password/")
    # then
    assert renamed.status_code == 200
    assert renamed.json()["display_name"] == "李志愿"
    assert renamed.json()["roles"][0]["region_name"]
    assert disabled.json()["is_active"] is False
    assert enabled.json()["is_active"] is True
    assert reset.status_code == 200
    assert reset["Cache-Control"] == "no-store"
    volunteer.refresh_from_db()
    assert volunteer.check_password(reset.json()["password"])
    assert api.get(base).json()["must_change_password"] is True


@pytest.mark.django_db
def test_the_api_refuses_a_bad_name_another_county_and_the_wrong_role(
    sysadmin, security, volunteer, outsider, api_as
):
    # when
    bad = api_as(sysadmin).patch(
        f"/api/v1/users/{volunteer.pk}/", {"display_name": "长" * 65}, format="json"
    )
    elsewhere = api_as(sysadmin).post(f"/api/v1/users/{outsider.pk}/deactivate/")
    wrong_role = api_as(security).post(f"/api/v1/users/{volunteer.pk}/reset-password/")
    # then
    assert bad.status_code == 400
    assert elsewhere.status_code == 404
    assert wrong_role.status_code == 403
    volunteer.refresh_from_db()
    outsider.refresh_from_db()
    assert volunteer.display_name == "volunteer_li"
    assert outsider.is_active
    assert not volunteer.must_change_password
