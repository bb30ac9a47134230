"""API tokens lapse after API_TOKEN_TTL_HOURS; logging in again issues a fresh one."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from gridgov.core.access import Role
from gridgov.testing import TEST_PASSWORD


def _login(client: APIClient, username: str) -> str:
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    return response.json()["token"]


@pytest.mark.django_db
def test_a_token_lapses_and_a_new_login_replaces_it(tree, user_factory, settings):
    # given a token issued now
    settings.API_TOKEN_TTL_HOURS = 12
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    client = APIClient()
    token = _login(client, official.username)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").status_code == 200
    # when 13 hours pass
    with time_machine.travel(timezone.now() + timedelta(hours=13), tick=False):
        lapsed = client.get("/api/v1/me/")
        fresh = _login(APIClient(), official.username)
    # then the old token is refused and the new login gave a different, working one
    assert lapsed.status_code == 401
    assert fresh != token
    client.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
    assert client.get("/api/v1/me/").status_code == 200
