"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from gridgov.accounts.models import User
from gridgov.testing import Tree, build_tree, make_user


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
