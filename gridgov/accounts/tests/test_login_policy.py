"""The login policy: lockout on every login path, password rules, and the idle-session timeout."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory

from gridgov.accounts.models import User
from gridgov.accounts.services import user_create
from gridgov.core.access import Role
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.testing import TEST_PASSWORD, Tree

WRONG_PASSWORD = "not-the-right-password-1"


@dataclass(frozen=True)
class LoginPath:
    """One way in, and how to tell that it let the user in."""

    name: str
    path: str
    json: bool
    success_status: int

    def attempt(self, client: Client, username: str, password: str) -> int:
        data = {"username": username, "password": password}
        if self.json:
            return client.post(self.path, data, content_type="application/json").status_code
        return client.post(self.path, data).status_code


LOGIN_PATHS = [
    LoginPath("web", "/login/", json=False, success_status=302),
    LoginPath("admin", "/admin/login/", json=False, success_status=302),
    LoginPath("api", "/api/v1/auth/token/", json=True, success_status=200),
]


def _is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def staff_official(tree: Tree, user_factory: Callable[..., User]) -> User:
    # Staff, so that the admin login accepts the right password too.
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    official.is_staff = True
    official.save(update_fields=["is_staff"])
    return official


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGIN_PATHS, ids=[login.name for login in LOGIN_PATHS])
def test_failures_below_the_limit_do_not_lock(staff_official: User, login: LoginPath) -> None:
    # given
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login.attempt(client, staff_official.username, WRONG_PASSWORD) != 429
    # when
    status = login.attempt(client, staff_official.username, TEST_PASSWORD)
    # then
    assert status == login.success_status


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGIN_PATHS, ids=[login.name for login in LOGIN_PATHS])
def test_the_right_password_is_refused_once_locked_out(
    staff_official: User, login: LoginPath
) -> None:
    # given
    client = Client(REMOTE_ADDR="10.0.0.2")
    statuses = [
        login.attempt(client, staff_official.username, WRONG_PASSWORD)
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # when
    status = login.attempt(client, staff_official.username, TEST_PASSWORD)
    # then
    assert statuses[-1] == 429
    assert status == 429
    assert not _is_logged_in(client)


@pytest.mark.django_db
def test_failures_on_one_path_lock_the_others(staff_official: User) -> None:
    # given: the failures on the web form
    web, admin, api = LOGIN_PATHS
    client = Client(REMOTE_ADDR="10.0.0.3")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        web.attempt(client, staff_official.username, WRONG_PASSWORD)
    # when
    statuses = [
        path.attempt(client, staff_official.username, TEST_PASSWORD) for path in (admin, api)
    ]
    # then
    assert statuses == [429, 429]


@pytest.mark.django_db
def test_the_lockout_holds_a_username_at_one_address_only(staff_official: User) -> None:
    # given
    web = LOGIN_PATHS[0]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        web.attempt(Client(REMOTE_ADDR="10.0.0.4"), staff_official.username, WRONG_PASSWORD)
    # when: the same user from their own desk, not the address that guessed
    status = web.attempt(Client(REMOTE_ADDR="10.0.0.5"), staff_official.username, TEST_PASSWORD)
    # then
    assert status == web.success_status


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(staff_official: User) -> None:
    # given
    web = LOGIN_PATHS[0]
    client = Client(REMOTE_ADDR="10.0.0.6")
    start = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    with time_machine.travel(start, tick=False) as traveller:
        statuses = [
            web.attempt(client, staff_official.username, WRONG_PASSWORD)
            for _ in range(settings.AXES_FAILURE_LIMIT)
        ]
        # when (an attempt during the lockout would start the cool-off again)
        traveller.shift(cool_off + timedelta(minutes=1))
        status = web.attempt(client, staff_official.username, TEST_PASSWORD)
    # then
    assert statuses[-1] == 429
    assert status == web.success_status


@pytest.mark.django_db
def test_a_success_clears_earlier_failures_on_the_api(staff_official: User) -> None:
    # given: failures just below the limit, then a token, then the failures again
    api = LOGIN_PATHS[2]
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        api.attempt(client, staff_official.username, WRONG_PASSWORD)
    assert api.attempt(client, staff_official.username, TEST_PASSWORD) == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        api.attempt(client, staff_official.username, WRONG_PASSWORD)
    # when
    status = api.attempt(client, staff_official.username, TEST_PASSWORD)
    # then
    assert status == 200


# Passwords


@pytest.mark.parametrize(
    "password",
    [
        "Sh0rt-pass!",  # 11 characters
        "qwerty123456",  # on the common-password list
        "1q2w3e4r5t6y",  # on the common-password list
        "839201748392017",  # only digits
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    # given
    user = User(username="wang.fang", display_name="王芳")
    # when / then
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_uncommon_passphrase_is_accepted() -> None:
    # given
    user = User(username="wang.fang", display_name="王芳")
    # when / then
    validate_password("绛帐镇-grid-patrol-2024", user)


def test_a_password_like_the_username_is_refused() -> None:
    # given
    user = User(username="wangfang.fufeng", display_name="王芳")
    # when / then
    with pytest.raises(ValidationError):
        validate_password("wangfang.fufeng1", user)


@pytest.mark.django_db
def test_creating_an_account_with_a_short_password_names_the_field(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    admin = user_factory(Role.SYSADMIN, tree.county)
    # when
    with pytest.raises(ValidationFailed) as refused:
        user_create(actor=admin, username="li.lei", password="short-pw1", region_code=tree.towns[0])
    # then
    assert "password" in refused.value.errors
    assert not User.objects.filter(username="li.lei").exists()


# The idle-session timeout


def test_the_session_lasts_the_idle_timeout_and_is_renewed_on_every_request() -> None:
    assert settings.SESSION_COOKIE_AGE == settings.IDLE_TIMEOUT_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.IDLE_TIMEOUT_MINUTES == 30


def _log_in(client: Client, user: User) -> None:
    response = client.post("/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_session_idle_beyond_the_timeout_is_logged_out(staff_official: User) -> None:
    # given
    client = Client()
    with time_machine.travel(datetime(2024, 5, 6, 9, 0, tzinfo=UTC), tick=False) as traveller:
        _log_in(client, staff_official)
        assert client.get("/").status_code == 200
        # when
        traveller.shift(timedelta(minutes=settings.IDLE_TIMEOUT_MINUTES, seconds=1))
        response = client.get("/")
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_an_active_session_outlives_the_timeout(staff_official: User) -> None:
    # given: a request every 20 minutes for two hours
    client = Client()
    with time_machine.travel(datetime(2024, 5, 6, 9, 0, tzinfo=UTC), tick=False) as traveller:
        _log_in(client, staff_official)
        statuses = []
        for _ in range(6):
            traveller.shift(timedelta(minutes=20))
            # when
            statuses.append(client.get("/").status_code)
    # then
    assert statuses == [200] * 6


@pytest.mark.django_db
@pytest.mark.parametrize("login", LOGIN_PATHS, ids=[login.name for login in LOGIN_PATHS])
def test_behind_a_proxy_the_lockout_holds_the_guessing_client_only(
    staff_official: User, login: LoginPath, settings
) -> None:
    # given nginx in front (every request comes from 10.0.0.1) and a client guessing passwords
    settings.GRIDGOV_TRUSTED_PROXY_HOPS = 1

    def behind_proxy(client_address: str) -> Client:
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=client_address)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login.attempt(behind_proxy("198.51.100.9"), staff_official.username, WRONG_PASSWORD)
    # when the official logs in from their own desk, through the same proxy
    status = login.attempt(behind_proxy("203.0.113.20"), staff_official.username, TEST_PASSWORD)
    still_guessing = login.attempt(
        behind_proxy("198.51.100.9"), staff_official.username, TEST_PASSWORD
    )
    # then the official is let in, the guesser is not, and the log names the guesser
    assert status == login.success_status
    assert still_guessing == 429
    failures = AuditEntry.objects.filter(action="auth.login", outcome=AuditEntry.Outcome.FAILURE)
    assert set(failures.values_list("client_address", flat=True)) == {"198.51.100.9"}


def test_a_client_cannot_name_its_own_address_past_the_trusted_hops(settings) -> None:
    settings.GRIDGOV_TRUSTED_PROXY_HOPS = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.9"
    )
    assert client_address(request) == "198.51.100.9"
    settings.GRIDGOV_TRUSTED_PROXY_HOPS = 0
    assert client_address(request) == "10.0.0.1"
    settings.GRIDGOV_TRUSTED_PROXY_HOPS = 3
    assert client_address(request) == "10.0.0.1"
