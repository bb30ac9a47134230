"""API tokens: stored as hashes, replaced at each login, revocable by their owner (DELETE on the
token endpoint, or the account page) and by an account administrator, listed without the secret."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gridgov.accounts.models import ApiToken, User
from gridgov.accounts.services import api_token_issue
from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.testing import TEST_PASSWORD, Tree

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"
ACCOUNT_URL = reverse("accounts:me")


def _login(username: str, **extra: Any) -> str:
    response = APIClient().post(
        TOKEN_URL, {"username": username, "password": TEST_PASSWORD}, format="json", **extra
    )
    assert response.status_code == 200
    return str(response.json()["token"])


def _api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def official(tree: Tree, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.TOWN_OFFICIAL, tree.towns[0], username="official_one")


@pytest.fixture
def admin(tree: Tree, user_factory: Callable[..., User]) -> User:
    return user_factory(Role.SYSADMIN, tree.county, username="sysadmin_fufeng")


# Storage


@pytest.mark.django_db
def test_only_a_hash_and_a_short_prefix_of_the_token_are_stored(official: User) -> None:
    # when
    key = _login(official.username, HTTP_USER_AGENT="GridApp/2.1 " + "x" * 300)
    # then no column of the row holds the secret
    stored = ApiToken.objects.get(user=official)
    row = ApiToken.objects.filter(pk=stored.pk).values().get()
    assert all(key not in str(value) for value in row.values())
    assert stored.key_hash == ApiToken.hash_of(key) != key
    assert stored.prefix == key[:8]
    assert len(stored.prefix) == 8 < len(key)
    # and the login is described: when, from where, with what, until when
    assert stored.client_address == "127.0.0.1"
    assert stored.user_agent.startswith("GridApp/2.1 ")
    assert len(stored.user_agent) == 200
    assert stored.expires_at - stored.created_at == timedelta(hours=12)


@pytest.mark.django_db
def test_the_clear_text_token_table_is_gone(db: None) -> None:
    # then the migration dropped DRF's table of tokens kept in clear
    assert "authtoken_token" not in connection.introspection.table_names()


# Authentication


@pytest.mark.django_db
def test_an_older_token_is_refused_after_a_new_login(official: User) -> None:
    # given
    first = _login(official.username)
    # when
    second = _login(official.username)
    # then
    assert _api(first).get(ME_URL).status_code == 401
    assert _api(second).get(ME_URL).status_code == 200
    assert ApiToken.objects.filter(user=official, revoked_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_login_works_whatever_stale_token_the_client_still_sends(official: User) -> None:
    # given a token already replaced
    stale = _login(official.username)
    _login(official.username)
    # when the client logs in again, still sending the stale token
    response = _api(stale).post(
        TOKEN_URL, {"username": official.username, "password": TEST_PASSWORD}, format="json"
    )
    # then
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_disabled_accounts_token_is_refused(official: User) -> None:
    # given
    key = _login(official.username)
    official.is_active = False
    official.save(update_fields=["is_active"])
    # when
    response = _api(key).get(ME_URL)
    # then
    assert response.status_code == 401


@pytest.mark.django_db
def test_last_use_is_written_at_most_once_a_minute(official: User) -> None:
    # given
    key = _login(official.username)
    start = timezone.now()
    # when: three requests within a minute, then one more after it
    with time_machine.travel(start, tick=False):
        assert _api(key).get(ME_URL).status_code == 200
    first_use = ApiToken.objects.get(user=official).last_used_at
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        _api(key).get(ME_URL)
        _api(key).get(ME_URL)
    within_the_minute = ApiToken.objects.get(user=official).last_used_at
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        _api(key).get(ME_URL)
    later = ApiToken.objects.get(user=official).last_used_at
    # then
    assert first_use == start
    assert within_the_minute == start
    assert later == start + timedelta(seconds=61)


@pytest.mark.django_db
def test_a_request_within_the_minute_writes_nothing(
    official: User, django_assert_num_queries: Callable[..., object]
) -> None:
    # given a token used just now
    token = api_token_issue(user=official)
    client = _api(token.key)
    client.get(ME_URL)
    # when used again: the token (with its user) and the roles are read, nothing is written (the
    # names of the roles' regions are kept from the first request)
    with django_assert_num_queries(2) as context:  # type: ignore[attr-defined]
        assert client.get(ME_URL).status_code == 200
    # then
    assert not [q for q in context.captured_queries if q["sql"].startswith("UPDATE")]


# DELETE /api/v1/auth/token/


@pytest.mark.django_db
def test_delete_revokes_the_presented_token_and_is_audited(official: User) -> None:
    # given
    key = _login(official.username)
    client = _api(key)
    # when
    response = client.delete(TOKEN_URL)
    # then
    assert response.status_code == 204
    assert client.get(ME_URL).status_code == 401
    assert client.delete(TOKEN_URL).status_code == 401
    stored = ApiToken.objects.get(user=official)
    assert stored.revoked_at is not None
    row = AuditEntry.objects.get(action="api_token.revoke")
    assert row.actor_id == official.pk
    assert row.object_id == str(official.pk)
    assert row.detail["prefix"] == key[:8]
    assert key not in str(row.detail)


@pytest.mark.django_db
def test_delete_revokes_only_the_presented_token(
    official: User, tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given another user's token
    other = user_factory(Role.TOWN_OFFICIAL, tree.towns[1])
    others_key = _login(other.username)
    key = _login(official.username)
    # when
    assert _api(key).delete(TOKEN_URL).status_code == 204
    # then the other user's token still works
    assert _api(others_key).get(ME_URL).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    ["", "Token 0123456789abcdef0123456789abcdef01234567", "Token", "Bearer abc"],
)
def test_delete_without_a_valid_token_is_401(db: None, authorization: str) -> None:
    # given
    client = APIClient()
    if authorization:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    # when
    response = client.delete(TOKEN_URL)
    # then
    assert response.status_code == 401
    assert not AuditEntry.objects.filter(action="api_token.revoke").exists()


@pytest.mark.django_db
def test_a_session_cannot_delete_a_token(official: User) -> None:
    # given a page login and an API token of the same user
    key = _login(official.username)
    client = APIClient()
    client.force_login(official)
    # when
    response = client.delete(TOKEN_URL)
    # then
    assert response.status_code == 401
    assert _api(key).get(ME_URL).status_code == 200


# The account page


@pytest.mark.django_db
def test_the_account_page_lists_live_tokens_by_prefix_only(official: User) -> None:
    # given a replaced token, a live one, and another user's
    replaced = _login(official.username)
    live = _login(official.username)
    # when
    response = _page_client(official).get(ACCOUNT_URL)
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert live[:8] in page
    assert live not in page
    assert replaced[:8] not in page
    token = ApiToken.objects.get(user=official, revoked_at__isnull=True)
    assert page.count("data-token=") == 1
    assert f'data-token="{token.pk}"' in page
    assert reverse("accounts:token-revoke", args=[token.pk]) in page


@pytest.mark.django_db
def test_the_account_page_leaves_out_lapsed_tokens(official: User) -> None:
    # given
    key = _login(official.username)
    # when 13 hours later
    with time_machine.travel(timezone.now() + timedelta(hours=13), tick=False):
        response = _page_client(official).get(ACCOUNT_URL)
    # then
    assert response.status_code == 200
    assert key[:8] not in response.content.decode()


@pytest.mark.django_db
def test_the_account_page_needs_a_login(db: None) -> None:
    # when
    response = Client().get(ACCOUNT_URL)
    # then
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_every_signed_in_role_has_an_account_page(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    resident = user_factory(Role.RESIDENT, tree.grids[0])
    # when
    response = _page_client(resident).get(ACCOUNT_URL)
    # then
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_owner_revokes_a_token_from_the_account_page(official: User) -> None:
    # given
    key = _login(official.username)
    token = ApiToken.objects.get(user=official)
    # when
    response = _page_client(official).post(reverse("accounts:token-revoke", args=[token.pk]))
    # then
    assert response.status_code == 302
    assert response["Location"] == ACCOUNT_URL
    assert _api(key).get(ME_URL).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke", actor_id=official.pk).count() == 1


@pytest.mark.django_db
def test_revoking_twice_is_a_no_op_written_once(official: User) -> None:
    # given
    _login(official.username)
    token = ApiToken.objects.get(user=official)
    client = _page_client(official)
    url = reverse("accounts:token-revoke", args=[token.pk])
    # when
    first, second = client.post(url), client.post(url)
    # then
    assert first.status_code == second.status_code == 302
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


@pytest.mark.django_db
def test_another_users_token_cannot_be_revoked_from_ones_page(
    official: User, tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    other = user_factory(Role.TOWN_OFFICIAL, tree.towns[1])
    others_key = _login(other.username)
    others_token = ApiToken.objects.get(user=other)
    # when
    response = _page_client(official).post(reverse("accounts:token-revoke", args=[others_token.pk]))
    missing = _page_client(official).post(reverse("accounts:token-revoke", args=[987654321]))
    # then it looks missing, and still works
    assert response.status_code == missing.status_code == 404
    assert _api(others_key).get(ME_URL).status_code == 200
    assert not AuditEntry.objects.filter(action="api_token.revoke").exists()


@pytest.mark.django_db
def test_the_revoke_button_takes_only_post(official: User) -> None:
    # given
    _login(official.username)
    token = ApiToken.objects.get(user=official)
    # when
    response = _page_client(official).get(reverse("accounts:token-revoke", args=[token.pk]))
    # then
    assert response.status_code == 405


# The administrator's user page


@pytest.mark.django_db
def test_the_administrator_sees_a_users_tokens_without_the_secret(
    admin: User, official: User
) -> None:
    # given
    key = _login(official.username)
    token = ApiToken.objects.get(user=official)
    # when
    response = _page_client(admin).get(reverse("accounts:user", args=[official.pk]))
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-token="{token.pk}"' in page
    assert key[:8] in page
    assert key not in page
    assert reverse("accounts:user-token-revoke", args=[official.pk, token.pk]) in page


@pytest.mark.django_db
def test_the_administrator_revokes_a_users_token(admin: User, official: User) -> None:
    # given
    key = _login(official.username)
    token = ApiToken.objects.get(user=official)
    # when
    response = _page_client(admin).post(
        reverse("accounts:user-token-revoke", args=[official.pk, token.pk])
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user", args=[official.pk])
    assert _api(key).get(ME_URL).status_code == 401
    row = AuditEntry.objects.get(action="api_token.revoke")
    assert row.actor_id == admin.pk
    assert row.object_id == str(official.pk)
    assert row.region_code == official.active_assignments()[0].region_code


@pytest.mark.django_db
def test_a_token_of_another_user_than_the_pages_is_404(
    admin: User, official: User, tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given a token of someone else than the user in the address
    other = user_factory(Role.TOWN_OFFICIAL, tree.towns[1])
    others_key = _login(other.username)
    others_token = ApiToken.objects.get(user=other)
    # when
    response = _page_client(admin).post(
        reverse("accounts:user-token-revoke", args=[official.pk, others_token.pk])
    )
    # then
    assert response.status_code == 404
    assert _api(others_key).get(ME_URL).status_code == 200


@pytest.mark.django_db
def test_an_administrator_of_another_county_gets_404(
    official: User, tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    elsewhere = user_factory(Role.SYSADMIN, tree.other_county)
    key = _login(official.username)
    token = ApiToken.objects.get(user=official)
    # when
    response = _page_client(elsewhere).post(
        reverse("accounts:user-token-revoke", args=[official.pk, token.pk])
    )
    # then
    assert response.status_code == 404
    assert _api(key).get(ME_URL).status_code == 200


@pytest.mark.django_db
def test_a_role_that_manages_no_accounts_gets_403(
    official: User, tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given a county leader, who reads cases but manages no accounts
    leader = user_factory(Role.COUNTY_LEADER, tree.county)
    key = _login(official.username)
    token = ApiToken.objects.get(user=official)
    # when
    response = _page_client(leader).post(
        reverse("accounts:user-token-revoke", args=[official.pk, token.pk])
    )
    # then
    assert response.status_code == 403
    assert _api(key).get(ME_URL).status_code == 200
