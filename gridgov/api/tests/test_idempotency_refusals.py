"""A refused POST (4xx) keeps nothing under its Idempotency-Key: the client may correct it and
retry with the same key, and what the user typed (personal data included) is not stored."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from gridgov.cases.models import Case
from gridgov.core.access import Role
from gridgov.core.models import IdempotencyRecord

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
