"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from gridgov.accounts.models import User
from gridgov.testing import Tree, build_tree, make_user

# Every response the test clients receive is scanned for full ID numbers and mobile numbers.
pytest_plugins = ["gridgov.masking_scan"]

# Whether the migrations created the audit log's append-only triggers (tested in test_audit).
AUDIT_TRIGGERS_MIGRATED: dict[str, bool] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The suite empties tables between tests and forges audit rows to test the chain check, so
    it drops the triggers that keep the audit log append-only; `core/tests/test_audit_triggers.py`
    puts them back inside its own tests."""
    from django.db import connection

    from gridgov.core.audit_triggers import audit_triggers_present, drop_audit_triggers

    with django_db_blocker.unblock():
        AUDIT_TRIGGERS_MIGRATED["present"] = audit_triggers_present(connection)
        drop_audit_triggers(connection)


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with empty caches: rate limits and the once-an-hour anonymous refusal
    rows count there, and one test's count must not decide another's."""
    from django.core.cache import cache

    from gridgov.regions.names import forget_names

    cache.clear()
    forget_names()  # regions kept by name in this process belong to an earlier test's tree


@pytest.fixture(autouse=True)
def _seeded_categories(request: pytest.FixtureRequest) -> None:
    """Transactional tests flush the database after they run, seeded rows included; put the
    migration-seeded case categories back for the ones that need a real database."""
    if not _is_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from gridgov.cases.catalogue import seed_categories
    from gridgov.cases.models import Category

    seed_categories(Category)
    _seed_scoring_scheme()


# The data migrations that seed the county's scoring scheme, run again after a flush: without
# them a transactional test that scores (the assessment journey) found no indicator when it ran
# after another transactional test, and every total was 0.
SCHEME_MIGRATIONS = ("0002_default_scheme", "0003_patrol_coverage", "0004_trainings_attended")


def _seed_scoring_scheme() -> None:
    import importlib

    from django.apps import apps

    for name in SCHEME_MIGRATIONS:
        importlib.import_module(f"gridgov.assessment.migrations.{name}").seed(apps, None)


@pytest.fixture
def tree(db: None) -> Tree:
    return build_tree()


@pytest.fixture
def user_factory(db: None) -> Callable[..., User]:
    return make_user


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as() -> Callable[[User], APIClient]:
    def client_for(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return client_for


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Debian's Chromium, headless (see gridgov/browser_testing.py)."""
    from gridgov.browser_testing import CHROMIUM, CHROMIUM_ARGS, require_browser

    sync_playwright = require_browser()
    # Playwright's sync API runs an event loop in this thread; the ORM calls made here meanwhile
    # (fixtures, assertions) are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
