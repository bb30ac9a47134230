"""The demo Open311 client, with a fixed key so the demo's instructions can quote it."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from gridgov.open311.services import open311_client_set_key

DEMO_CLIENT_NAME = "open311-demo"


def demo_open311_key() -> dict[str, Any]:
    """Create (or re-key) the demo client and describe it the way `demo_accounts --json` lists
    logins. Idempotent: the key depends only on the county code."""
    county_code = str(settings.GRIDGOV_COUNTY_CODE)
    raw_key = f"demo-open311-key-{county_code}"
    open311_client_set_key(name=DEMO_CLIENT_NAME, raw_key=raw_key)
    return {
        "username": DEMO_CLIENT_NAME,
        "role": "open311_client",
        "api_key": raw_key,
        "region_code": county_code,
        "password": "",
    }
