"""Where the attendance records behind a figure are listed: the API's list and the page, with
the same filters (the people trained by kind, the trainings-attended indicator)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse


def _params(
    *,
    region_code: str = "",
    kind: str = "",
    held_from: date | None = None,
    held_to: date | None = None,
    user_id: int | None = None,
) -> dict[str, Any]:
    params: dict[str, Any] = {"attended": "true"}
    if region_code:
        params["region"] = region_code
    if kind:
        params["kind"] = kind
    if held_from:
        params["from"] = held_from.isoformat()
    if held_to:
        params["to"] = held_to.isoformat()
    if user_id is not None:
        params["user"] = user_id
    return params


def attendance_api(**filters: Any) -> str:
    return f"{reverse('trainings-api:attendance-list')}?{urlencode(_params(**filters))}"


def attendance_page(**filters: Any) -> str:
    return f"{reverse('trainings:attendance')}?{urlencode(_params(**filters))}"
