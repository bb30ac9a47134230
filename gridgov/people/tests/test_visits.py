"""Recording a visit on the round: to a household or a focus-group member, a problem found
reported as a case in the same step; the round shows who was visited this month and who is due.
Only where the worker keeps the register (another grid 404, a role without it 403), and bad input
is a form error with nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gridgov.cases.models import Case, Channel
from gridgov.core.access import Role
from gridgov.core.errors import ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.people.models import FocusKind, FocusMembership, HomeVisit
from gridgov.people.services import visit_record
from gridgov.people.tests.conftest import Register
from gridgov.testing import make_user

pytestmark = pytest.mark.django_db


def client_as(role: str, code: str) -> Client:
    client = Client()
    client.force_login(make_user(role, code, username=f"{role}-{code}"))
    return client


def visit_url(household_id: int) -> str:
    return reverse("web:household-visit", args=[household_id])


def test_a_grid_worker_records_a_visit_and_the_round_shows_the_household_visited(
    register: Register,
) -> None:
    # given
    grid = register.tree.grids[0]
    household = register.household_in(grid)
    client = client_as(Role.GRID_WORKER, grid)
    before = client.get(reverse("people:round")).content.decode()
    assert f'data-household="{household.pk}" data-visited' not in before
    today = timezone.localdate()
    # when
    form = client.get(visit_url(household.pk))
    response = client.post(
        visit_url(household.pk),
        {"visited_on": today.isoformat(), "found": "家中一切正常", "need": ""},
    )
    # then
    assert form.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("people:round")
    visit = HomeVisit.objects.get(household=household)
    assert (visit.visited_on, visit.found, visit.case_number) == (today, "家中一切正常", "")
    assert visit.grid_code == grid
    assert AuditEntry.objects.filter(action="household.visit", object_id=str(household.pk)).exists()
    after = client.get(reverse("people:round")).content.decode()
    assert f'data-household="{household.pk}" data-visited="1"' in after
    assert "家中一切正常" in client.get(visit_url(household.pk)).content.decode()


def test_a_focus_member_visited_shows_as_visited_this_month_and_is_due_again_later(
    register: Register,
) -> None:
    # given an elderly resident living alone, never visited (due now)
    grid = register.tree.grids[0]
    resident = register.resident_in(grid)
    membership = FocusMembership.objects.create(
        resident=resident,
        kind=FocusKind.ELDERLY_ALONE,
        region_code=resident.region_code,
        visit_every_days=30,
    )
    client = client_as(Role.GRID_WORKER, grid)
    today = timezone.localdate()
    page = client.get(reverse("people:round")).content.decode()
    assert f'data-visit="{resident.pk}" data-visited' not in page
    prefilled = client.get(visit_url(resident.household_id), {"resident": resident.pk})
    assert f'<option value="{resident.pk}" selected>' in prefilled.content.decode()
    # when
    response = client.post(
        visit_url(resident.household_id),
        {
            "visited_on": today.isoformat(),
            "resident": str(resident.pk),
            "found": "老人身体尚可",
            "need": "需要送药上门",
        },
    )
    # then
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.last_visited_on == today
    visit = HomeVisit.objects.get(resident=resident)
    assert visit.need == "需要送药上门"
    page = client.get(reverse("people:round")).content.decode()
    assert f'data-visit="{resident.pk}" data-visited="1"' in page
    assert (today + dt.timedelta(days=30)).strftime("%Y-%m-%d") in page


def test_a_problem_found_is_reported_as_a_case_with_the_visit(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    household = register.household_in(grid)
    client = client_as(Role.GRID_WORKER, grid)
    # when
    response = client.post(
        visit_url(household.pk),
        {
            "visited_on": timezone.localdate().isoformat(),
            "found": "楼道灯坏了",
            "need": "楼道照明需要维修",
            "report_case": "on",
            "category": "dispute-neighbour",
        },
    )
    # then
    assert response.status_code == 302
    visit = HomeVisit.objects.get(household=household)
    case = Case.objects.get(number=visit.case_number)
    assert case.channel == Channel.GRID_PATROL
    assert case.region_code == household.region_code
    assert case.description == "楼道照明需要维修"


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"visited_on": "", "found": "x"}, "visited_on"),
        ({"visited_on": "2099-01-01", "found": "x"}, "ahead"),
        ({"visited_on": "2000-01-01", "found": "x"}, "within"),
        ({"visited_on": "TODAY", "found": "  "}, "found"),
        ({"visited_on": "TODAY", "found": "x", "report_case": "on"}, "category"),
        ({"visited_on": "TODAY", "found": "x", "resident": "999999999"}, "resident"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(
    register: Register, data: dict[str, str], field_message: str
) -> None:
    # given
    grid = register.tree.grids[0]
    household = register.household_in(grid)
    client = client_as(Role.GRID_WORKER, grid)
    if data["visited_on"] == "TODAY":
        data = {**data, "visited_on": timezone.localdate().isoformat()}
    cases_before = Case.objects.count()
    # when
    response = client.post(visit_url(household.pk), data)
    # then
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not HomeVisit.objects.exists()
    assert Case.objects.count() == cases_before


def test_a_person_of_another_household_is_refused_by_the_service(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    household = register.household_in(grid)
    stranger = register.resident_in(register.tree.grids[1])
    worker = make_user(Role.GRID_WORKER, grid)
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        visit_record(
            actor=worker,
            household=household,
            resident=stranger,
            visited_on=timezone.localdate(),
            found="x",
        )
    assert refused.value.problems["resident"][0].code == "people.visit_not_a_member"
    assert not HomeVisit.objects.exists()


def test_another_grid_is_404_and_a_role_without_the_register_403(register: Register) -> None:
    # given
    grid, other = register.tree.grids[0], register.tree.grids[1]
    elsewhere = register.household_in(other)
    mine = register.household_in(grid)
    worker = client_as(Role.GRID_WORKER, grid)
    reader = client_as(Role.COUNTY_LEADER, grid[:6])  # reads the register, does not keep it
    volunteer = client_as(Role.VOLUNTEER, grid)
    data = {"visited_on": timezone.localdate().isoformat(), "found": "x"}
    # when / then
    assert worker.get(visit_url(elsewhere.pk)).status_code == 404
    assert worker.post(visit_url(elsewhere.pk), data).status_code == 404
    assert worker.get(visit_url(999999999)).status_code == 404
    assert reader.post(visit_url(mine.pk), data).status_code == 403
    assert volunteer.get(visit_url(mine.pk)).status_code == 403
    assert not HomeVisit.objects.exists()
