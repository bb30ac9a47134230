"""The register's API: search (name, initials, ID tail, whole ID, phone, address, household),
keyset paging, masking, the audited reveal, another jurisdiction (404) and a wrong role (403)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.people.models import Resident
from gridgov.people.selectors import ResidentFilters, resident_list
from gridgov.people.tests.conftest import Register
from gridgov.testing import make_user

pytestmark = pytest.mark.django_db


def client_as(role: str, code: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(role, code, username=f"{role}-{code}"))
    return client


def search(client: APIClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get(reverse("people-api:resident-list"), params)
    assert response.status_code == 200, response.content
    return list(response.json()["results"])


def test_a_grid_worker_finds_a_resident_of_the_grid_every_way(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    resident.phone = "+8613912340000"
    from gridgov.core.pii import search_hash

    resident.phone_hash = search_hash("+8613912340000")
    resident.save()
    full_id = resident.id_number.reveal()
    client = client_as(Role.GRID_WORKER, grid)
    # when / then each way of asking finds them
    for query in [
        resident.name,
        resident.name[:1],
        resident.name_initials,
        full_id,
        full_id.lower(),
        full_id[-4:],
        "139 1234 0000",
        resident.address,
        resident.household.number,
    ]:
        found = {row["id"] for row in search(client, q=query)}
        assert resident.pk in found, query


def test_the_list_and_the_detail_are_masked(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    client = client_as(Role.GRID_WORKER, grid)
    # when
    listed = client.get(reverse("people-api:resident-list")).content.decode()
    detail = client.get(reverse("people-api:resident-detail", args=[resident.pk])).json()
    # then
    full_id = resident.id_number.reveal()
    assert full_id not in listed
    assert detail["id_number"] == f"{full_id[:4]}{'*' * 10}{full_id[-4:]}"
    assert detail["gender"] == resident.gender
    assert detail["household"]["number"] == resident.household.number


def test_keyset_pages_walk_the_list_once_in_name_order(register: Register) -> None:
    # given
    village = register.tree.villages[0]
    client = client_as(Role.VILLAGE_SECRETARY, village)
    expected = list(
        Resident.objects.filter(village_code=village)
        .order_by("name", "id")
        .values_list("id", flat=True)
    )
    # when
    seen: list[int] = []
    url: str | None = reverse("people-api:resident-list") + "?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    # then
    assert len(expected) > 4
    assert seen == expected


def test_a_forged_cursor_or_page_size_is_bad_input(register: Register) -> None:
    client = client_as(Role.GRID_WORKER, register.tree.grids[0])
    cases: list[dict[str, Any]] = [{"cursor": "not-a-cursor"}, {"page_size": 0}, {"region": "12x"}]
    for params in cases:
        response = client.get(reverse("people-api:resident-list"), params)
        assert response.status_code == 400, params


def test_another_jurisdiction_is_not_found_like_a_missing_resident(register: Register) -> None:
    # given a resident of the neighbouring grid
    grid, other = register.tree.grids[0], register.tree.grids[1]
    theirs = register.resident_in(other)
    client = client_as(Role.GRID_WORKER, grid)
    # when
    outside = client.get(reverse("people-api:resident-detail", args=[theirs.pk]))
    missing = client.get(reverse("people-api:resident-detail", args=[987654321]))
    listed = {row["id"] for row in search(client)}
    # then
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    assert theirs.pk not in listed
    assert listed == set(Resident.objects.filter(grid_code=grid).values_list("id", flat=True))


@pytest.mark.parametrize(
    "role", [Role.SYSADMIN, Role.SECURITY_ADMIN, Role.AUDITOR, Role.VOLUNTEER, Role.MEDIATOR]
)
def test_roles_that_do_not_read_the_register_are_refused(register: Register, role: str) -> None:
    # given
    code = register.tree.county if role != Role.VOLUNTEER else register.tree.grids[0]
    code = register.tree.towns[0] if role in (Role.AUDITOR, Role.MEDIATOR) else code
    client = client_as(role, code)
    resident = register.resident_in(register.tree.grids[0])
    # then every read of the register answers 403
    for name, args in [
        ("people-api:resident-list", []),
        ("people-api:resident-detail", [resident.pk]),
        ("people-api:household-list", []),
        ("people-api:household-detail", [resident.household_id]),
        ("people-api:building-list", []),
        ("people-api:organisation-list", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert (
        client.post(
            reverse("people-api:resident-reveal", args=[resident.pk]),
            {"field": "id_number", "reason": "x"},
        ).status_code
        == 403
    )


def test_reveal_with_a_reason_answers_in_full_and_writes_an_audit_row(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    client = client_as(Role.GRID_WORKER, grid)
    # when
    response = client.post(
        reverse("people-api:resident-reveal", args=[resident.pk]),
        {"field": "id_number", "reason": "办理低保核对身份"},
        format="json",
    )
    # then
    assert response.status_code == 200
    assert response.json()["value"] == resident.id_number.reveal()
    assert response["Cache-Control"] == "no-store"
    row = AuditEntry.objects.get(action="resident.reveal")
    assert row.object_id == str(resident.pk)
    assert row.detail == {"field": "id_number", "reason": "办理低保核对身份"}
    assert row.outcome == AuditEntry.Outcome.SUCCESS


@pytest.mark.parametrize(
    "body",
    [
        {"field": "id_number", "reason": ""},
        {"field": "id_number"},
        {"field": "name", "reason": "x"},
    ],
)
def test_reveal_without_a_reason_or_of_another_field_is_bad_input(
    register: Register, body: dict[str, str]
) -> None:
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    client = client_as(Role.GRID_WORKER, grid)
    response = client.post(
        reverse("people-api:resident-reveal", args=[resident.pk]), body, format="json"
    )
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="resident.reveal").exists()


def test_reveal_is_refused_and_audited_for_a_reader_without_the_permission(
    register: Register,
) -> None:
    # given the county leader reads the register but may not unmask
    resident = register.resident_in(register.tree.grids[0])
    client = client_as(Role.COUNTY_LEADER, register.tree.county)
    # when
    response = client.post(
        reverse("people-api:resident-reveal", args=[resident.pk]),
        {"field": "phone", "reason": "看看"},
        format="json",
    )
    # then
    assert response.status_code == 403
    assert response.json()["code"] == "people.reveal_refused"
    rows = list(AuditEntry.objects.filter(action="resident.reveal"))
    assert [(row.outcome, row.object_id) for row in rows] == [
        (AuditEntry.Outcome.DENIED, str(resident.pk))
    ]


def test_reveal_in_another_grid_is_not_found(register: Register) -> None:
    theirs = register.resident_in(register.tree.grids[1])
    client = client_as(Role.GRID_WORKER, register.tree.grids[0])
    response = client.post(
        reverse("people-api:resident-reveal", args=[theirs.pk]),
        {"field": "phone", "reason": "走访"},
        format="json",
    )
    assert response.status_code == 404


def test_households_buildings_and_organisations_are_scoped(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    client = client_as(Role.GRID_WORKER, grid)
    household = register.household_in(grid)
    theirs = register.household_in(register.tree.grids[1])
    # when
    households = client.get(reverse("people-api:household-list")).json()["results"]
    detail = client.get(reverse("people-api:household-detail", args=[household.pk])).json()
    buildings = client.get(reverse("people-api:building-list")).json()["results"]
    # then
    assert {row["region_code"][:15] for row in households} == {grid}
    assert {row["region_code"][:15] for row in buildings} == {grid}
    assert len(detail["members"]) == household.members.count()
    assert all("*" in member["id_number"] for member in detail["members"])
    building_id = household.building_id
    assert client.get(reverse("people-api:building-detail", args=[building_id])).status_code == 200
    outside = client.get(reverse("people-api:household-detail", args=[theirs.pk]))
    assert outside.status_code == 404


def test_a_name_is_searched_by_its_start_and_an_address_by_its_words(register: Register) -> None:
    # given a resident whose address holds a character others' names start with
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    Resident.objects.filter(pk=resident.pk).update(name="陈东", address="东大街7号2室")
    client = client_as(Role.GRID_WORKER, grid)
    # then a text that could be a name is searched as the start of a name only
    assert resident.pk not in {row["id"] for row in search(client, q="东")}
    assert resident.pk in {row["id"] for row in search(client, q="陈东")}
    # and a text naming a place, or with a number, as words of the address too
    for query in ["东大街", "7号", "7号2室", "大街7"]:
        assert resident.pk in {row["id"] for row in search(client, q=query)}, query


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_a_county_wide_name_search_reads_an_index_not_the_register(register: Register) -> None:
    actor = make_user(Role.COUNTY_OPERATOR, register.tree.county, username="county-search")
    queryset = resident_list(actor=actor, filters=ResidentFilters(q="王")).order_by("name", "id")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [str(row[-1]) for row in cursor.fetchall()]
    table = Resident._meta.db_table
    assert not [step for step in plan if step.startswith(f"SCAN {table}")], plan
    # The index narrows by the name as well as the county: not every resident of the county.
    assert any(
        step.startswith(f"SEARCH {table} USING") and "name>? AND name<?" in step for step in plan
    ), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_on_postgresql_each_scope_has_an_index_for_the_start_of_a_name(db: None) -> None:
    # LIKE 'q%' reads a btree index under a non-C collation only with the pattern operator class;
    # whether the planner takes it depends on the table's size (the benchmark measures that).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [Resident._meta.db_table],
        )
        definitions = dict(cursor.fetchall())
    for scope in ("county", "town", "village", "grid"):
        definition = definitions[f"resident_{scope}_name_prefix"]
        assert f"({scope}_code, name text_pattern_ops)" in definition
