"""A refused POST (4xx) keeps nothing under its Idempotency-Key: the client may correct it and
retry with the same key, and what the user typed (personal data included) is not stored."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from gridgov.cases.models import Case
from gridgov.core.access import Role
from gridgov.core.models import AuditEntry, IdempotencyRecord

PHONE = "13812345678"


@pytest.mark.django_db
def test_a_refused_report_frees_its_key_and_stores_nothing(tree, user_factory):
    # given a grid worker and a report missing its description
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    client = APIClient()
    client.force_authenticate(worker)
    report = {
        "category": "environment-waste",
        "channel": "grid_patrol",
        "lat": 34.2,
        "lng": 107.06,
        "reporter_name": "王小明",
        "reporter_phone": PHONE,
    }
    # when it is refused, then corrected and sent again under the same key
    refused = client.post(
        "/api/v1/cases/", {**report, "description": ""}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    stored_after_refusal = list(IdempotencyRecord.objects.values_list("body", flat=True))
    accepted = client.post(
        "/api/v1/cases/",
        {**report, "description": "垃圾堆积"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    # then the refusal kept nothing, and the corrected request ran (not a 422 for a new payload)
    assert refused.status_code == 400
    assert stored_after_refusal == []
    assert accepted.status_code == 201
    assert Case.objects.count() == 1
    assert all(
        PHONE.encode() not in bytes(body)
        for body in IdempotencyRecord.objects.values_list("body", flat=True)
    )


def _reported_case(tree, user_factory) -> tuple[str, Any]:
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    client = APIClient()
    client.force_authenticate(worker)
    created = client.post(
        "/api/v1/cases/",
        {"category": "environment-waste", "description": "垃圾堆积", "lat": 34.2, "lng": 107.06},
        format="json",
    )
    assert created.status_code == 201, created.content
    return created.json()["number"], worker


def _denied_rows(action: str, number: str) -> int:
    return AuditEntry.objects.filter(
        action=action, object_id=number, outcome=AuditEntry.Outcome.DENIED
    ).count()


@pytest.mark.django_db
@pytest.mark.parametrize("key", [None, "accept-1"], ids=["without a key", "with a key"])
def test_a_forbidden_transition_keeps_its_refusal_row_with_or_without_a_key(
    tree, user_factory, key
):
    # given a case its grid worker reported; accepting is for those who route cases
    number, worker = _reported_case(tree, user_factory)
    client = APIClient()
    client.force_authenticate(worker)
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    # when they try to accept it
    response = client.post(
        f"/api/v1/cases/{number}/transition/", {"action": "accept"}, format="json", **headers
    )
    # then it is refused, and the service's refusal is in the log either way
    assert response.status_code == 403
    assert _denied_rows("case.accept", number) == 1
    # and only once: neither the service nor the API's mapping writes a second row
    assert AuditEntry.objects.filter(outcome=AuditEntry.Outcome.DENIED).count() == 1
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", [None, "far-1"], ids=["without a key", "with a key"])
def test_a_transition_outside_the_jurisdiction_keeps_its_refusal_row(tree, user_factory, key):
    # given a case in the first town, and an official of another town
    number, _ = _reported_case(tree, user_factory)
    stranger = user_factory(Role.TOWN_OFFICIAL, tree.towns[-1])
    client = APIClient()
    client.force_authenticate(stranger)
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    # when they try to move it
    response = client.post(
        f"/api/v1/cases/{number}/transition/", {"action": "accept"}, format="json", **headers
    )
    # then it answers as a missing case would, and the probe is in the log either way
    assert response.status_code == 404
    assert _denied_rows("case.view", number) == 1
