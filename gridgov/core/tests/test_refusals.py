"""Refused attempts in the audit log: an anonymous client's are written once an hour per client
address and reason, so a flood of refused requests cannot flood the log; a signed-in actor's are
all written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.core.access import Role
from gridgov.core.errors import AUTHENTICATION_REQUIRED, NO_ROLE_GRANTS, PermissionDenied
from gridgov.core.models import AuditEntry
from gridgov.core.refusals import audit_refusal
from gridgov.testing import Tree

OPEN311_POST = "/open311/v2/requests.json"


def _refused(
    user: User | AnonymousUser, address: str = "203.0.113.7", path: str = "/cases/1/"
) -> HttpRequest:
    request = RequestFactory().post(path, REMOTE_ADDR=address)
    request.user = user
    return request


def _denied_rows() -> int:
    return AuditEntry.objects.filter(outcome=AuditEntry.Outcome.DENIED).count()


@pytest.mark.django_db
def test_fifty_anonymous_refusals_from_one_address_write_one_row() -> None:
    # when
    written = [
        audit_refusal(_refused(AnonymousUser()), error=PermissionDenied(AUTHENTICATION_REQUIRED))
        for _ in range(50)
    ]
    # then
    assert _denied_rows() == 1
    assert sum(entry is not None for entry in written) == 1
    assert AuditEntry.objects.get().client_address == "203.0.113.7"


@pytest.mark.django_db
def test_anonymous_refusals_from_two_addresses_write_two_rows() -> None:
    # when
    for index in range(50):
        address = "203.0.113.7" if index % 2 else "198.51.100.4"
        audit_refusal(
            _refused(AnonymousUser(), address),
            error=PermissionDenied(NO_ROLE_GRANTS, permission="cases.view"),
        )
    # then
    assert _denied_rows() == 2
    assert set(AuditEntry.objects.values_list("client_address", flat=True)) == {
        "203.0.113.7",
        "198.51.100.4",
    }


@pytest.mark.django_db
def test_another_reason_from_the_same_address_is_written() -> None:
    # when
    for _ in range(10):
        audit_refusal(_refused(AnonymousUser()), error=PermissionDenied(AUTHENTICATION_REQUIRED))
        audit_refusal(
            _refused(AnonymousUser()),
            error=PermissionDenied(NO_ROLE_GRANTS, permission="cases.view"),
        )
        audit_refusal(_refused(AnonymousUser()), reason="You do not have permission.")
    # then
    assert _denied_rows() == 3


@pytest.mark.django_db
def test_the_same_anonymous_refusal_is_written_again_an_hour_later() -> None:
    # given
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        audit_refusal(_refused(AnonymousUser()), error=PermissionDenied(AUTHENTICATION_REQUIRED))
    # when
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        audit_refusal(_refused(AnonymousUser()), error=PermissionDenied(AUTHENTICATION_REQUIRED))
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        audit_refusal(_refused(AnonymousUser()), error=PermissionDenied(AUTHENTICATION_REQUIRED))
    # then
    assert _denied_rows() == 2


@pytest.mark.django_db
def test_a_signed_in_actors_refusals_are_all_written(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    # when
    for _ in range(50):
        audit_refusal(
            _refused(official), error=PermissionDenied(NO_ROLE_GRANTS, permission="cases.view")
        )
    # then
    assert AuditEntry.objects.filter(actor_id=official.pk).count() == 50


@pytest.mark.django_db
def test_fifty_refused_open311_posts_write_one_row_per_address(tree: Tree) -> None:
    # given a client without a key, from two addresses
    data = {"service_code": "infrastructure-streetlight", "description": "路灯", "lat": "34.2"}
    first, second = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.4")
    # when
    statuses = {first.post(OPEN311_POST, {**data, "api_key": "x"}).status_code for _ in range(50)}
    statuses |= {second.post(OPEN311_POST, {**data, "api_key": "x"}).status_code}
    # then every request was refused, and the log holds one row for each address
    assert statuses == {403}
    rows = AuditEntry.objects.filter(outcome=AuditEntry.Outcome.DENIED)
    assert sorted(str(address) for address in rows.values_list("client_address", flat=True)) == [
        "198.51.100.4",
        "203.0.113.7",
    ]
