"""Editing the register: a resident (a new ID number checked again, gender and birth date
following it and never set by hand), a household, a building, an organisation; on the pages and
through PATCH, each change audited; another jurisdiction 404, a role that only reads 403, bad
input 400 with nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.demo.people import write_organisations
from gridgov.people.idnumbers import Gender, synthetic_id
from gridgov.people.models import Building, Household, Organisation, Resident
from gridgov.people.tests.conftest import Register
from gridgov.testing import make_user

pytestmark = pytest.mark.django_db

WOMAN_1990 = synthetic_id(
    place="610324", birth_date=dt.date(1990, 5, 17), sequence=42, gender=Gender.FEMALE
)


def api_as(role: str, code: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(role, code, username=f"{role}-{code}"))
    return client


def page_as(role: str, code: str) -> Client:
    client = Client()
    client.force_login(make_user(role, code, username=f"p-{role}-{code}"))
    return client


def resident_url(resident: Resident) -> str:
    return reverse("people-api:resident-detail", args=[resident.pk])


def test_a_new_id_number_is_checked_and_gender_and_birth_date_follow_it(
    register: Register,
) -> None:
    # given
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    client = api_as(Role.GRID_WORKER, grid)
    # when
    response = client.patch(
        resident_url(resident), {"id_number": WOMAN_1990, "occupation": "教师"}, format="json"
    )
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["gender"], body["birth_date"], body["occupation"]) == (
        "female",
        "1990-05-17",
        "教师",
    )
    assert WOMAN_1990 not in response.content.decode()
    assert body["id_number"].endswith(WOMAN_1990[-4:])
    resident.refresh_from_db()
    assert resident.id_number.reveal() == WOMAN_1990
    assert resident.id_tail == WOMAN_1990[-4:]
    entry = AuditEntry.objects.get(action="resident.update", object_id=str(resident.pk))
    assert entry.detail["fields"] == ["id_number", "occupation"]
    assert WOMAN_1990 not in str(entry.detail)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"id_number": "610324199005170420"}, "id_number"),  # a wrong check character
        ({"gender": "male"}, "gender"),
        ({"birth_date": "1990-01-01"}, "birth_date"),
        ({"phone": "12345"}, "phone"),
        ({"relation": "cousin"}, "relation"),
        ({}, "non_field_errors"),
    ],
)
def test_bad_resident_changes_are_400_and_nothing_changes(
    register: Register, body: dict[str, str], field: str
) -> None:
    # given
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    before = (resident.id_hash, resident.gender, resident.birth_date, resident.relation)
    client = api_as(Role.GRID_WORKER, grid)
    # when
    response = client.patch(resident_url(resident), body, format="json")
    # then
    assert response.status_code == 400, response.content
    assert field in response.content.decode()
    resident.refresh_from_db()
    assert (resident.id_hash, resident.gender, resident.birth_date, resident.relation) == before
    assert not AuditEntry.objects.filter(action="resident.update").exists()


def test_another_residents_id_number_is_refused(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    resident, other = Resident.objects.filter(grid_code=grid).order_by("id")[:2]
    client = api_as(Role.GRID_WORKER, grid)
    # when
    response = client.patch(
        resident_url(resident), {"id_number": other.id_number.reveal()}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json()["id_number"]
    assert other.id_number.reveal() not in response.content.decode()


def test_household_building_and_organisation_are_edited_and_audited(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    write_organisations(grid_codes=[grid])
    household = register.household_in(grid)
    building = Building.objects.create(region_code=grid, address="幸福路1号")
    organisation = Organisation.objects.filter(grid_code=grid).order_by("id").first()
    assert organisation is not None
    client = api_as(Role.VILLAGE_SECRETARY, grid[:12])
    # when
    answers = [
        client.patch(
            reverse("people-api:household-detail", args=[household.pk]),
            {"address": "幸福路2号", "registration": "living"},
            format="json",
        ),
        client.patch(
            reverse("people-api:building-detail", args=[building.pk]),
            {"floors": 6, "use": "mixed"},
            format="json",
        ),
        client.patch(
            reverse("people-api:organisation-detail", args=[organisation.pk]),
            {"name": "新名称", "address": "幸福路3号"},
            format="json",
        ),
    ]
    # then
    assert [a.status_code for a in answers] == [200, 200, 200], [a.content for a in answers]
    household.refresh_from_db()
    building.refresh_from_db()
    organisation.refresh_from_db()
    assert (household.address, household.registration) == ("幸福路2号", "living")
    assert set(household.members.values_list("address", flat=True)) == {"幸福路2号"}
    assert (building.floors, building.use) == (6, "mixed")
    assert (organisation.name, organisation.address) == ("新名称", "幸福路3号")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"household.update", "building.update", "organisation.update"} <= actions


def test_bad_household_building_organisation_changes_are_400(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    household, other = Household.objects.filter(grid_code=grid).order_by("id")[:2]
    building = Building.objects.create(region_code=grid, address="幸福路1号")
    organisation = Organisation.objects.create(
        region_code=grid, name="某学校", kind=Organisation.Kind.SCHOOL
    )
    client = api_as(Role.GRID_WORKER, grid)
    # when
    answers = [
        client.patch(
            reverse("people-api:household-detail", args=[household.pk]),
            {"number": other.number},
            format="json",
        ),
        client.patch(
            reverse("people-api:building-detail", args=[building.pk]),
            {"floors": 0},
            format="json",
        ),
        client.patch(
            reverse("people-api:organisation-detail", args=[organisation.pk]),
            {"kind": "enterprise"},  # an enterprise needs its credit code
            format="json",
        ),
        client.patch(
            reverse("people-api:organisation-detail", args=[organisation.pk]),
            {"credit_code": "91610324MA6X000000"},
            format="json",
        ),
    ]
    # then
    assert [a.status_code for a in answers] == [400, 400, 400, 400]
    household.refresh_from_db()
    organisation.refresh_from_db()
    assert household.number != other.number
    assert (organisation.kind, organisation.credit_code) == ("school", "")
    assert not AuditEntry.objects.filter(action__endswith=".update").exists()


def test_another_jurisdiction_is_404_and_a_reader_403(register: Register) -> None:
    # given
    grid, other = register.tree.grids[0], register.tree.grids[1]
    elsewhere = register.resident_in(other)
    mine = register.resident_in(grid)
    worker = api_as(Role.GRID_WORKER, grid)
    leader = api_as(Role.COUNTY_LEADER, grid[:6])
    # when / then
    assert (
        worker.patch(resident_url(elsewhere), {"occupation": "x"}, format="json").status_code == 404
    )
    assert leader.patch(resident_url(mine), {"occupation": "x"}, format="json").status_code == 403
    page_worker = page_as(Role.GRID_WORKER, grid)
    page_leader = page_as(Role.COUNTY_LEADER, grid[:6])
    for kind, record in (("resident", elsewhere), ("household", elsewhere.household)):
        url = reverse(f"people:{kind}-edit", args=[record.pk])
        assert page_worker.get(url).status_code == 404
        assert page_worker.post(url, {"name": "x"}).status_code == 404
    assert page_leader.get(reverse("people:resident-edit", args=[mine.pk])).status_code == 403
    mine.refresh_from_db()
    assert mine.occupation != "x"


def test_the_edit_page_changes_a_resident_and_never_shows_the_number(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    full_id = resident.id_number.reveal()
    client = page_as(Role.GRID_WORKER, grid)
    url = reverse("people:resident-edit", args=[resident.pk])
    form = client.get(url)
    data = {
        "name": "王小红",
        "id_number": "",
        "phone": "",
        "ethnicity": "回族",
        "relation": resident.relation,
        "residence": "floating",
        "occupation": "",
    }
    # when
    bad = client.post(url, {**data, "id_number": "123"})
    good = client.post(url, data)
    # then
    assert form.status_code == 200
    assert full_id not in form.content.decode()
    assert bad.status_code == 400
    assert 'class="errorlist' in bad.content.decode()
    assert good.status_code == 302
    resident.refresh_from_db()
    assert (resident.name, resident.ethnicity, resident.residence) == ("王小红", "回族", "floating")
    assert resident.name_initials == "wxh"
    assert resident.id_number.reveal() == full_id  # an empty ID field keeps the number


@pytest.mark.parametrize("kind", ["household", "building", "organisation"])
def test_the_other_edit_pages_save_and_refuse_bad_input(register: Register, kind: str) -> None:
    # given
    grid = register.tree.grids[0]
    record: Any = {
        "household": lambda: register.household_in(grid),
        "building": lambda: Building.objects.create(region_code=grid, address="幸福路1号"),
        "organisation": lambda: Organisation.objects.create(
            region_code=grid, name="某学校", kind=Organisation.Kind.SCHOOL
        ),
    }[kind]()
    good = {
        "household": {"number": "H-NEW-1", "address": "新地址", "registration": "registered"},
        "building": {
            "name": "",
            "address": "新地址",
            "kind": "house",
            "use": "mixed",
            "floors": "3",
        },
        "organisation": {
            "name": "新名称",
            "kind": "school",
            "credit_code": "",
            "address": "新地址",
        },
    }[kind]
    client = page_as(Role.GRID_WORKER, grid)
    url = reverse(f"people:{kind}-edit", args=[record.pk])
    # when
    shown = client.get(url)
    bad = client.post(
        url, {**good, "address": ""} if kind != "organisation" else {**good, "name": ""}
    )
    saved = client.post(url, good)
    # then
    assert shown.status_code == 200
    assert bad.status_code == 400
    assert saved.status_code == 302
    record.refresh_from_db()
    assert "新" in (record.address or "") or "新" in getattr(record, "name", "")
    assert AuditEntry.objects.filter(action=f"{kind}.update").count() == 1


def test_a_stored_phone_is_removed_with_null(register: Register) -> None:
    # given a resident with a phone
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    client = api_as(Role.GRID_WORKER, grid)
    client.patch(resident_url(resident), {"phone": "13800138000"}, format="json")
    resident.refresh_from_db()
    assert resident.phone.reveal() == "+8613800138000"
    # when another field changes, then it stays
    kept = client.patch(resident_url(resident), {"occupation": "农民"}, format="json")
    resident.refresh_from_db()
    assert kept.status_code == 200, kept.content
    assert resident.phone.reveal() == "+8613800138000"
    # when null is sent, then it is gone, its search hash with it, and the change is audited
    removed = client.patch(resident_url(resident), {"phone": None}, format="json")
    assert removed.status_code == 200, removed.content
    assert removed.json()["phone"] in ("", None)
    resident.refresh_from_db()
    assert not resident.phone
    assert resident.phone_hash == ""
    entry = AuditEntry.objects.filter(object_id=str(resident.pk)).order_by("-pk").first()
    assert entry is not None
    assert entry.detail == {"fields": ["phone"]}
    # an ID number cannot be removed
    refused = client.patch(resident_url(resident), {"id_number": None}, format="json")
    assert refused.status_code == 400


def test_the_edit_page_removes_the_phone_only_when_no_new_one_is_given(
    register: Register,
) -> None:
    # given
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    api_as(Role.GRID_WORKER, grid).patch(
        resident_url(resident), {"phone": "13800138000"}, format="json"
    )
    client = page_as(Role.GRID_WORKER, grid)
    url = reverse("people:resident-edit", args=[resident.pk])
    data = {
        "name": resident.name,
        "id_number": "",
        "ethnicity": resident.ethnicity,
        "relation": resident.relation,
        "residence": resident.residence,
        "occupation": "",
    }
    # when both a new phone and removal are asked for
    both = client.post(url, {**data, "phone": "13900139000", "remove_phone": "on"})
    resident.refresh_from_db()
    # then nothing changes
    assert both.status_code == 400
    assert resident.phone.reveal() == "+8613800138000"
    # when only removal is asked for
    removed = client.post(url, {**data, "phone": "", "remove_phone": "on"})
    # then the phone is gone
    assert removed.status_code == 302
    resident.refresh_from_db()
    assert not resident.phone
