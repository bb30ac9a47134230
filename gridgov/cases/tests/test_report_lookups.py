"""The report form's lookups: places searched by name for those with many places, the caller's
earlier cases by phone, and the hotline as the desk's default channel."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from gridgov.cases import forms
from gridgov.cases.models import Case
from gridgov.cases.tests.test_views import client_for, report
from gridgov.cases.views.report_lookups import CALLER_CASES_SHOWN
from gridgov.core.pii import mask_phone

_PLACE = re.compile(r'data-place-code="([0-9]+)"')
CALLER = "13812345678"


@pytest.mark.django_db
def test_the_operator_searches_places_by_name_and_sees_them_told_apart(people, tree, monkeypatch):
    # given: the county operator may report anywhere in the county (too many places to scroll;
    # the test county is small, so "too many" is made small)
    monkeypatch.setattr(forms, "PLACE_SELECT_MAX", 5)
    client = client_for(people["operator"])
    village = tree.names[tree.villages[0]]
    # when
    form_page = client.get(reverse("cases:report"))
    found = client.get(reverse("cases:report-places"), {"place_query": village})
    # then: the form searches instead of listing every place
    assert form_page.context["form"].place_search
    assert 'name="place_query"' in form_page.content.decode()
    assert "<option" not in form_page.content.decode().split('id="id_region_code"')[1][:200]
    codes = _PLACE.findall(found.content.decode())
    # the village first, then its grids, each grid named with its village
    assert codes[0] == tree.villages[0]
    assert set(codes) >= {
        tree.villages[0],
        *(g for g in tree.grids if g.startswith(tree.villages[0])),
    }
    grid_label = f"{tree.names[tree.grids[0]]} · {village}"
    assert f'data-place-label="{grid_label}"' in found.content.decode()


@pytest.mark.django_db
def test_a_grid_worker_keeps_the_short_list_of_their_places(people, tree):
    # given
    client = client_for(people["worker"])
    # when
    response = client.get(reverse("cases:report"))
    # then
    form = response.context["form"]
    assert not form.place_search
    assert tree.grids[0] in dict(form.fields["region_code"].choices)


@pytest.mark.django_db
def test_the_place_search_finds_nothing_outside_the_jurisdiction(people, tree):
    # given: a village secretary of the first village
    client = client_for(people["secretary"])
    other_village = tree.names[tree.villages[1]]
    # when
    response = client.get(reverse("cases:report-places"), {"place_query": other_village})
    # then
    assert response.status_code == 200
    assert _PLACE.findall(response.content.decode()) == []
    assert "No place in your area" in response.content.decode()


@pytest.mark.django_db
def test_an_over_long_place_query_is_a_400_with_a_message(people):
    # given
    client = client_for(people["operator"])
    # when
    response = client.get(reverse("cases:report-places"), {"place_query": "村" * 51})
    # then
    assert response.status_code == 400
    assert "at most 50 characters" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["auditor", "sysadmin", "leader"])
def test_the_lookups_refuse_roles_that_do_not_report_or_read_cases(people, role):
    # given
    client = client_for(people[role])
    # when
    places = client.get(reverse("cases:report-places"), {"place_query": "村"})
    caller = client.get(reverse("cases:report-caller"), {"reporter_phone": CALLER})
    # then: the leader reads cases (caller lookups) but files no reports
    assert places.status_code == 403
    assert caller.status_code == (200 if role == "leader" else 403)


@pytest.mark.django_db
def test_the_operator_sees_the_callers_earlier_cases_masked(people, tree):
    # given: two earlier cases from the caller, one from somebody else
    first = report(people["worker"], reporter_phone=CALLER)
    second = report(people["worker"], reporter_phone="+86 138 1234 5678")
    report(people["worker"], reporter_phone="13900001111")
    client = client_for(people["operator"])
    # when
    response = client.get(reverse("cases:report-caller"), {"reporter_phone": "138-1234-5678"})
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'data-case="([^"]+)"', body) == [second.number, first.number]
    assert mask_phone("+8613812345678") in body
    assert CALLER not in body


@pytest.mark.django_db
def test_the_caller_lookup_lists_only_cases_in_the_jurisdiction(people, tree):
    # given: the caller's case lies in the first village; the second village's secretary asks
    report(people["worker"], reporter_phone=CALLER)
    client = client_for(people["other_secretary"])
    # when
    response = client.get(reverse("cases:report-caller"), {"reporter_phone": CALLER})
    # then
    assert response.status_code == 200
    assert 'data-case="' not in response.content.decode()
    assert "No earlier case" in response.content.decode()


@pytest.mark.django_db
def test_the_caller_lookup_shows_the_latest_few_and_says_there_are_more(people):
    # given
    for _ in range(CALLER_CASES_SHOWN + 1):
        report(people["worker"], reporter_phone=CALLER)
    client = client_for(people["operator"])
    # when
    response = client.get(reverse("cases:report-caller"), {"reporter_phone": CALLER})
    # then
    body = response.content.decode()
    assert body.count('data-case="') == CALLER_CASES_SHOWN
    assert "Only the latest" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("1381234", "Enter the whole phone number"),
        ("not a phone", "Enter the whole phone number"),
        ("", "This field is required."),
    ],
)
def test_a_half_typed_phone_is_a_400_that_says_what_to_do(people, phone, message):
    # given
    client = client_for(people["operator"])
    # when
    response = client.get(reverse("cases:report-caller"), {"reporter_phone": phone})
    # then
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_the_desk_defaults_to_the_hotline_and_the_grid_worker_to_patrol(people):
    # when
    desk = client_for(people["operator"]).get(reverse("cases:report"))
    worker = client_for(people["worker"]).get(reverse("cases:report"))
    # then
    assert desk.context["form"]["channel"].value() == "hotline"
    assert worker.context["form"]["channel"].value() == "grid_patrol"


@pytest.mark.django_db
def test_the_operator_reports_at_a_searched_place(people, tree):
    # given
    client = client_for(people["operator"])
    form = {
        "idempotency_key": str(uuid.uuid4()),
        "category": "policy",
        "description": "来电咨询低保政策",
        "urgency": "normal",
        "channel": "hotline",
        "region_code": tree.grids[1],
        "address": "村委会",
        "place_query": "ignored",
    }
    # when
    response = client.post(reverse("cases:report"), form)
    # then
    assert response.status_code == 302
    assert Case.objects.get().region_code == tree.grids[1]


@pytest.mark.django_db
def test_a_refused_report_shows_the_chosen_place_by_name(people, tree, monkeypatch):
    # given: the description is missing
    monkeypatch.setattr(forms, "PLACE_SELECT_MAX", 5)
    client = client_for(people["operator"])
    form = {
        "idempotency_key": str(uuid.uuid4()),
        "category": "policy",
        "urgency": "normal",
        "channel": "hotline",
        "region_code": tree.grids[1],
    }
    # when
    response = client.post(reverse("cases:report"), form)
    # then
    assert response.status_code == 400
    label = f"{tree.names[tree.grids[1]]} · {tree.names[tree.villages[0]]}"
    assert label in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_an_information_officer_reports_at_their_micro_grid(tree, user_factory):
    # given: an information officer placed at a micro-grid, below every grid of the list
    officer = user_factory("info_officer", tree.micro_grids[0])
    client = client_for(officer)
    # when
    page = client.get(reverse("cases:report"))
    sent = client.post(
        reverse("cases:report"),
        {
            "idempotency_key": str(uuid.uuid4()),
            "category": "policy",
            "description": "楼道堆放杂物",
            "urgency": "normal",
            "channel": "grid_patrol",
            "region_code": tree.micro_grids[0],
            "address": "3号楼",
        },
    )
    # then: their micro-grid is the place offered, and the report lands there
    offered = [code for code, _ in page.context["form"].fields["region_code"].choices if code]
    assert offered == [tree.micro_grids[0]]
    assert sent.status_code == 302
    assert Case.objects.get().region_code == tree.micro_grids[0]
