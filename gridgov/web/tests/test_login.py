"""Logging in and out through the web form: errors shown, lockout explained, logout by POST."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gridgov.core.access import Role
from gridgov.testing import TEST_PASSWORD

LOCKOUT_CALLABLE = "gridgov.web.lockout.lockout_response"


@pytest.fixture
def lockout_page(settings):
    # The project's settings name this callable; set here too so the test does not depend on it.
    settings.AXES_LOCKOUT_CALLABLE = LOCKOUT_CALLABLE


@pytest.mark.django_db
def test_login_page_renders_the_form(client):
    # when
    response = client.get(reverse("web:login"))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="username"' in body
    assert 'name="password"' in body


@pytest.mark.django_db
def test_good_login_goes_to_the_home_page(tree, user_factory):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    client = Client()
    # when
    response = client.post(
        reverse("web:login"), {"username": official.username, "password": TEST_PASSWORD}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200


@pytest.mark.django_db
def test_good_login_follows_next(tree, user_factory):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    target = reverse("web:region", kwargs={"code": tree.villages[0]})
    # when
    response = Client().post(
        reverse("web:login"),
        {"username": official.username, "password": TEST_PASSWORD, "next": target},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.django_db
def test_wrong_password_shows_the_form_again_with_an_error(tree, user_factory):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    # when
    response = Client().post(
        reverse("web:login"), {"username": official.username, "password": "not-the-password"}
    )
    # then
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors
    body = response.content.decode()
    assert all(str(error) in body for error in errors)
    # The username is kept, the password is not.
    assert f'value="{official.username}"' in body
    assert "not-the-password" not in body


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_out_with_an_explanation(
    tree, user_factory, settings, lockout_page
):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    client = Client()
    bad = {"username": official.username, "password": "not-the-password"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("web:login"), bad).status_code == 200
    # when
    locked = client.post(reverse("web:login"), bad)
    then_good = client.post(
        reverse("web:login"), {"username": official.username, "password": TEST_PASSWORD}
    )
    # then
    assert locked.status_code == 429
    with translation.override("zh-hans"):
        explanation = translation.gettext(
            "Too many failed log-in attempts for this account from this address."
        )
    assert explanation in locked.content.decode()
    assert 'id="lockout"' in locked.content.decode()
    # Even the right password is refused while the lockout lasts.
    assert then_good.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_on_the_api_stays_json(tree, user_factory, settings, lockout_page, api_client):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    bad = {"username": official.username, "password": "not-the-password"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post("/api/v1/auth/token/", bad)
    # when
    response = api_client.post("/api/v1/auth/token/", bad)
    # then
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


@pytest.mark.django_db
def test_logout_ends_the_session(tree, user_factory, client_as):
    # given
    client = client_as(user_factory(Role.TOWN_OFFICIAL, tree.towns[0]))
    # when
    response = client.post(reverse("web:logout"))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login")
    home = client.get(reverse("web:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("web:login"))


@pytest.mark.django_db
def test_a_resident_at_the_front_door_finds_the_report_and_tracking_pages(tree):
    # given someone with no account who opens the site's address
    response = Client().get("/", follow=True)
    body = response.content.decode()
    # then the page they land on offers both, before the staff log-in
    report, track = reverse("public:report"), reverse("public:track")
    assert f'href="{report}"' in body
    assert f'href="{track}"' in body
    assert body.index(report) < body.index('name="password"')
    assert Client().get(report).status_code == 200
    assert Client().get(track).status_code == 200
