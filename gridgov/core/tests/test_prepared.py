"""A prepared query gives what its queryset gives, with the values of each call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, QuerySet
from django.utils import timezone

from gridgov.accounts.models import ApiToken, RoleAssignment, User
from gridgov.core.access import Role
from gridgov.core.prepared import PreparedQuery, PreparedValues

STAND_IN = "\x00stand-in"


def _token(user: User, key: str) -> ApiToken:
    now = timezone.now()
    return ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash_of(key),
        prefix=key[:8],
        created_at=now,
        expires_at=now + timedelta(days=1),
    )


@pytest.mark.django_db
def test_rows_come_back_as_the_queryset_gives_them_with_the_related_row(
    django_assert_num_queries: object,
) -> None:
    ann = User.objects.create_user("ann", display_name="Ann")
    bob = User.objects.create_user("bob", display_name="Bob")
    _token(ann, "ann-key-000000000")
    _token(bob, "bob-key-000000000")
    by_hash = PreparedQuery(
        lambda key_hash: ApiToken.objects.select_related("user").filter(key_hash=key_hash),
        key_hash=STAND_IN,
    )
    for user, key in ((ann, "ann-key-000000000"), (bob, "bob-key-000000000")):
        expected = ApiToken.objects.select_related("user").get(key_hash=ApiToken.hash_of(key))
        with django_assert_num_queries(1):  # type: ignore[operator]
            (found,) = by_hash.fetch(key_hash=ApiToken.hash_of(key))
            assert found.user.display_name == user.display_name  # no second query
        assert found.pk == expected.pk
        assert found.user == user
        # converted as the ORM converts: aware datetimes, equal to the stored ones
        assert found.expires_at == expected.expires_at
        assert timezone.is_aware(found.expires_at)
        assert not found._state.adding
    assert by_hash.fetch(key_hash=ApiToken.hash_of("nobody")) == []


@pytest.mark.django_db
def test_constants_stay_and_order_is_kept() -> None:
    ann = User.objects.create_user("ann")
    for code, active in (("610324102", True), ("610324", True), ("610324101", False)):
        RoleAssignment.objects.create(
            user=ann, role=Role.TOWN_OFFICIAL, region_code=code, is_active=active
        )
    active_of = PreparedQuery(
        lambda user_id: RoleAssignment.objects.filter(user_id=user_id, is_active=True).order_by(
            "-region_code"
        ),
        user_id=-1_234_567,
    )
    assert [a.region_code for a in active_of.fetch(user_id=ann.pk)] == ["610324102", "610324"]
    assert all(a.is_active is True for a in active_of.fetch(user_id=ann.pk))


def test_a_stand_in_must_reach_the_sql_once() -> None:
    twice = PreparedQuery(
        lambda name: User.objects.filter(username=name) | User.objects.filter(first_name=name),
        name=STAND_IN,
    )
    with pytest.raises(ImproperlyConfigured, match="2 times"):
        twice.fetch(name="ann")
    never = PreparedQuery(lambda name: User.objects.filter(username="ann"), name=STAND_IN)
    with pytest.raises(ImproperlyConfigured, match="0 times"):
        never.fetch(name="ann")


def test_only_plain_model_lookups() -> None:
    builds: list[Callable[[str], QuerySet[Any]]] = [
        lambda name: User.objects.filter(username=name).values("id"),
        lambda name: User.objects.filter(username=name).prefetch_related("role_assignments"),
        lambda name: User.objects.filter(username=name).annotate(n=Count("role_assignments")),
    ]
    for build in builds:
        with pytest.raises(ImproperlyConfigured, match="plain model lookups"):
            PreparedQuery(build, name=STAND_IN).fetch(name="ann")


def test_the_values_must_be_the_named_ones() -> None:
    by_name = PreparedQuery(lambda name: User.objects.filter(username=name), name=STAND_IN)
    with pytest.raises(TypeError):
        by_name.fetch(username="ann")


@pytest.mark.django_db
def test_values_come_back_as_the_queryset_gives_them() -> None:
    ann = User.objects.create_user("ann", display_name="Ann")
    bob = User.objects.create_user("bob", display_name="Bob")
    _token(ann, "ann-key-000000000")
    _token(bob, "bob-key-000000000")
    fields = ("id", "prefix", "user__username", "expires_at", "revoked_at")
    of_user = PreparedValues(
        lambda user_id: (
            ApiToken.objects.filter(user_id=user_id).values(*fields).order_by("-id")[:5]
        ),
        user_id=-1_234_567,
    )
    for user in (ann, bob):
        expected = list(ApiToken.objects.filter(user_id=user.pk).values(*fields).order_by("-id"))
        found = of_user.fetch(user_id=user.pk)
        assert found == expected
        assert list(found[0]) == list(fields)
        # the same instants in the same zone as the ORM gives them, None kept
        assert found[0]["expires_at"].tzinfo == expected[0]["expires_at"].tzinfo
        assert timezone.is_aware(found[0]["expires_at"])
        assert found[0]["revoked_at"] is None
    assert of_user.fetch(user_id=-1) == []


def test_values_only_of_plain_fields() -> None:
    builds: list[Callable[[str], QuerySet[Any, Any]]] = [
        lambda name: User.objects.filter(username=name),
        lambda name: User.objects.filter(username=name).values_list("id"),
        lambda name: User.objects.filter(username=name).values("id", n=Count("role_assignments")),
        lambda name: User.objects.filter(username=name).values("id").prefetch_related("groups"),
    ]
    for build in builds:
        with pytest.raises(ImproperlyConfigured, match="values"):
            PreparedValues(build, name=STAND_IN).fetch(name="ann")
