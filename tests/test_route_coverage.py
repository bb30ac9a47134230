"""Every named URL route is either probed by the jurisdiction matrix or exempt with a reason; the
exempt ones are tested here for what they let through."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gridgov.core.access import Role
from gridgov.testing import Tree
from tests.matrix import EXEMPT, ROUTES

_CODE_TOKEN = re.compile(r"(?<![0-9])[0-9]{6,18}(?![0-9])")


def _walk(
    patterns: list[URLPattern | URLResolver], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str | None, str]]:
    """(namespace:name or None when unnamed, the route's pattern) of every leaf route."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner, route)
        elif pattern.name is None:
            yield None, route
        else:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route


def _routes() -> list[tuple[str | None, str]]:
    return list(_walk(get_resolver().url_patterns))


def _exempt(name: str) -> bool:
    return name in EXEMPT or f"{name.split(':')[0]}:*" in EXEMPT


def test_every_route_is_in_the_matrix_or_exempt_with_a_reason() -> None:
    # given
    routes = _routes()
    # when
    missing = sorted(
        f"{name} ({pattern})"
        for name, pattern in routes
        if name is not None and name not in ROUTES and not _exempt(name)
    )
    unnamed = sorted(
        pattern
        for name, pattern in routes
        if name is None and not any(pattern.startswith(p) for p in ("admin/",))
    )
    # then
    assert not missing, "routes missing from tests/matrix.py ROUTES:\n" + "\n".join(missing)
    assert not unnamed, "unnamed routes the matrix cannot address:\n" + "\n".join(unnamed)


def test_the_matrix_names_no_route_that_does_not_exist() -> None:
    # given
    names = {name for name, _ in _routes() if name is not None}
    # when
    stale = sorted(set(ROUTES) - names)
    exempt_but_gone = sorted(
        name for name in EXEMPT if not name.endswith(":*") and name not in names
    )
    # then
    assert not stale, f"ROUTES entries without a route: {stale}"
    assert not exempt_but_gone, f"EXEMPT entries without a route: {exempt_but_gone}"
    assert all(reason.strip() for reason in EXEMPT.values())


@pytest.mark.django_db
def test_admin_sends_anonymous_and_non_staff_users_to_its_login(tree: Tree, user_factory) -> None:
    # given
    official = user_factory(Role.COUNTY_OPERATOR, tree.county)
    signed_in = Client()
    signed_in.force_login(official)
    # when
    anonymous_answer = Client().get("/admin/")
    non_staff_answer = signed_in.get("/admin/accounts/user/")
    # then
    assert anonymous_answer.status_code == 302
    assert anonymous_answer["Location"].startswith("/admin/login/")
    assert non_staff_answer.status_code == 302
    assert non_staff_answer["Location"].startswith("/admin/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_are_public_and_hold_no_region_data(tree: Tree, path: str) -> None:
    # given
    client = Client()
    # when
    response = client.get(path)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert not [name for name in tree.names.values() if name in body]
    assert not [code for code in _CODE_TOKEN.findall(body) if code in tree.names]


@pytest.mark.django_db
def test_docs_load_their_assets_from_this_server() -> None:
    # given
    client = Client()
    # when
    body = client.get("/api/docs/").content.decode()
    # then
    assets = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert assets
    assert all(asset.startswith(("/static/", "/api/docs/")) for asset in assets), assets
    # and no inline script: the page's own code is a file too
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)


@pytest.mark.django_db
def test_swagger_ui_adds_the_token_prefix_to_a_bare_token() -> None:
    script = Client().get("/api/docs/?script=").content.decode()
    assert '"Token " + auth.trim()' in script
    assert "requestInterceptor" in script


@pytest.mark.django_db
def test_set_language_switches_the_language_and_shows_nothing(tree: Tree) -> None:
    # given
    client = Client()
    # when
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    # then
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert response.cookies["django_language"].value == "en"
    assert not [name for name in tree.names.values() if name in response.content.decode()]
