"""The unmasked export: who may unmask (people.reveal) exports the selection in full after giving
a written reason, audited with the reason and the count; without a reason 400 and nothing handed
out; everyone else 403 (audited as refused) and the masked export as before."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.people.models import Resident
from gridgov.people.tests.conftest import Register
from gridgov.testing import make_user

pytestmark = pytest.mark.django_db

REASON = "民政部门核对低保名单"


def sheet_rows(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell.value for cell in line] for line in sheet.iter_rows(min_row=2)]


def api_as(role: str, code: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(role, code, username=f"{role}-{code}"))
    return client


def test_a_grid_worker_exports_the_grid_unmasked_with_a_reason(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    client = api_as(Role.GRID_WORKER, grid)
    residents = Resident.objects.filter(grid_code=grid)
    full_ids = {r.id_number.reveal() for r in residents}
    # when
    response = client.post(
        reverse("people-api:resident-export-unmasked"), {"reason": REASON}, format="json"
    )
    # then
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    rows = sheet_rows(response.content)
    assert {line[0] for line in rows} == {grid}
    assert {line[4] for line in rows} == full_ids
    entry = AuditEntry.objects.get(action="resident.export_unmasked")
    assert (entry.detail["reason"], entry.detail["rows"]) == (REASON, len(full_ids))


def test_the_page_exports_a_search_unmasked_and_offers_it_only_to_who_may(
    register: Register,
) -> None:
    # given
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    worker = Client()
    worker.force_login(make_user(Role.GRID_WORKER, grid, username="w"))
    leader = Client()
    leader.force_login(make_user(Role.COUNTY_LEADER, grid[:6], username="l"))
    # when
    offered = worker.get(reverse("people:residents")).content.decode()
    not_offered = leader.get(reverse("people:residents")).content.decode()
    response = worker.post(
        reverse("people:export-unmasked"), {"q": resident.name, "reason": REASON}
    )
    # then
    assert 'id="export-unmasked"' in offered
    assert 'id="export-unmasked"' not in not_offered
    assert response.status_code == 200
    rows = sheet_rows(response.content)
    assert resident.id_number.reveal() in {line[4] for line in rows}
    assert all(line[3].startswith(resident.name) for line in rows)
    entry = AuditEntry.objects.get(action="resident.export_unmasked")
    assert entry.detail["query"] == {"q": resident.name}


@pytest.mark.parametrize("reason", ["", "   "])
def test_without_a_reason_it_is_400_and_nothing_is_handed_out(
    register: Register, reason: str
) -> None:
    # given
    grid = register.tree.grids[0]
    client = api_as(Role.GRID_WORKER, grid)
    page = Client()
    page.force_login(make_user(Role.GRID_WORKER, grid, username="w"))
    # when
    answers = [
        client.post(
            reverse("people-api:resident-export-unmasked"), {"reason": reason}, format="json"
        ),
        page.post(reverse("people:export-unmasked"), {"reason": reason}),
    ]
    # then
    assert [a.status_code for a in answers] == [400, 400]
    assert all("spreadsheetml" not in a["Content-Type"] for a in answers)
    assert not AuditEntry.objects.filter(action="resident.export_unmasked").exists()


def test_who_may_not_unmask_is_refused_and_keeps_the_masked_export(register: Register) -> None:
    # given the county leader reads the register but may not unmask it
    grid = register.tree.grids[0]
    leader = api_as(Role.COUNTY_LEADER, grid[:6])
    volunteer = api_as(Role.VOLUNTEER, grid)
    # when
    refused = leader.post(
        reverse("people-api:resident-export-unmasked"), {"reason": REASON}, format="json"
    )
    outsider = volunteer.post(
        reverse("people-api:resident-export-unmasked"), {"reason": REASON}, format="json"
    )
    masked = leader.get(reverse("people-api:resident-export"))
    # then
    assert (refused.status_code, outsider.status_code) == (403, 403)
    assert "spreadsheetml" not in refused["Content-Type"]
    audited = AuditEntry.objects.filter(action="resident.export_unmasked")
    assert set(audited.values_list("outcome", flat=True)) == {"denied"}
    assert audited.filter(detail__stated_reason=REASON).exists()
    assert masked.status_code == 200
    assert all("**********" in line[4] for line in sheet_rows(masked.content))
