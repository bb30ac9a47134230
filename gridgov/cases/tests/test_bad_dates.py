"""Impossible and out-of-range dates and ids in query strings are bad input (400), never a 500."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from gridgov.core.access import Role


def _cursor(**key: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


IMPOSSIBLE = _cursor(due_at="2024-02-30T10:00:00+08:00", created_at="2024-02-30T10:00:00", id=5)
ANCIENT = _cursor(due_at="0001-01-01T00:00:00+08:00", created_at="0001-01-01T00:00:00+08:00", id=5)


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", [IMPOSSIBLE, ANCIENT])
def test_a_forged_cursor_is_a_400_everywhere(tree, user_factory, cursor):
    # given a secretary on the web and on the API
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0])
    web = Client()
    web.force_login(secretary)
    api = APIClient()
    api.force_authenticate(secretary)
    # when each keyset-paged list is asked for a page after an impossible time
    responses = [
        web.get(f"/cases/queue/?unit={tree.villages[0]}&cursor={cursor}"),
        api.get(f"/api/v1/cases/?cursor={cursor}"),
        api.get(f"/api/v1/cases/?order=deadline&cursor={cursor}"),
        api.get(f"/api/v1/notifications/?cursor={cursor}"),
    ]
    # then each answers 400
    assert [r.status_code for r in responses] == [400, 400, 400, 400]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["date_from=0001-01-01", "date_to=9999-12-31", "date_from=2026-01-01&date_to=9999-12-31"],
)
def test_the_audit_filter_refuses_dates_out_of_range(tree, user_factory, query):
    auditor = user_factory(Role.AUDITOR, tree.county)
    client = Client()
    client.force_login(auditor)
    response = client.get(f"/audit/?{query}")
    assert response.status_code in {200, 400}
    assert "1970" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "start_date=0001-01-01T00:00:00%2B08:00",
        "end_date=9999-12-31T23:59:59-12:00",
        "start_date=2026-02-30T00:00:00Z",
    ],
)
def test_open311_refuses_dates_out_of_range(tree, query):
    response = Client().get(f"/open311/v2/requests.json?{query}")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["before=²", "before=99999999999999999999999"])
def test_the_inbox_ignores_ids_that_are_not_row_ids(tree, user_factory, query):
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    client = Client()
    client.force_login(worker)
    assert client.get(f"/inbox/?{query}").status_code == 200


@pytest.mark.django_db
def test_marking_a_huge_notification_id_read_is_refused_quietly(tree, user_factory):
    # The form is invalid, so nothing is marked and the inbox is shown again (no 500).
    worker = user_factory(Role.GRID_WORKER, tree.grids[0])
    client = Client()
    client.force_login(worker)
    response = client.post("/inbox/read/", {"notification": "99999999999999999999999"})
    assert response.status_code == 302
    assert response["Location"] == "/inbox/"
