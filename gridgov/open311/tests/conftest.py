"""Fixtures of the Open311 tests: an API key, and a POST helper with a valid default request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gridgov.open311.services import open311_client_create

BASE = "/open311/v2/"
# Inside the first grid of the test tree (its first micro-grid).
INSIDE = {"lat": "34.2", "long": "107.06"}


@pytest.fixture
def api_key(db: None) -> str:
    _, raw_key = open311_client_create(name="test-app")
    return raw_key


@pytest.fixture
def post_request(client: Client, api_key: str) -> Callable[..., Any]:
    """POST requests.{fmt} with a valid report, overridden by `fields` (None drops a field).
    The reporter consents to publication, so the request shows in GET requests."""

    def post(fmt: str = "json", **fields: Any) -> Any:
        data: dict[str, Any] = {
            "api_key": api_key,
            "service_code": "infrastructure-streetlight",
            "description": "村口路灯不亮",
            "publication_consent": "true",
            **INSIDE,
        }
        data.update(fields)
        return client.post(
            f"{BASE}requests.{fmt}", {k: v for k, v in data.items() if v is not None}
        )

    return post
