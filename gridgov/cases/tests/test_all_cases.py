"""The all-cases list: every case in the actor's subtree, closed ones included, searched by
number, words or the reporter's phone (exactly, through its keyed hash; shown masked), filtered by
place, state, category, channel, period, overdue and rating, paged, sorted, and exported as a
spreadsheet with personal data masked (the export audited)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from gridgov.accounts.models import User
from gridgov.cases.models import Case
from gridgov.cases.selectors import listing
from gridgov.cases.services import case_transition
from gridgov.cases.tests.test_views import SECOND_VILLAGE_LNG, client_for, report
from gridgov.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def listed(user: User, **params: Any) -> list[str]:
    response = client_for(user).get(reverse("cases:all"), params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return [case.number for case in response.context["rows"]]


@pytest.fixture
def cases(people, tree) -> dict[str, Case]:
    """A case at the first village (by phone 13812345678), a finished (not accepted) one
    there, and one at the second village reported by the operator."""
    first = report(people["worker"], description="村口路灯坏了", reporter_phone="13812345678")
    closed = report(
        people["worker"],
        description="垃圾没有清运",
        category_code="environment-waste",
        reporter_phone="13900001111",
    )
    closed = case_transition(actor=people["secretary"], case=closed, action="reject", note="重复")
    elsewhere = report(
        people["operator"],
        description="邻居噪音扰民",
        longitude=SECOND_VILLAGE_LNG,
        channel="hotline",
        reporter_phone="13700002222",
    )
    return {"first": first, "closed": closed, "elsewhere": elsewhere}


def test_a_town_official_sees_every_village_of_the_town_closed_ones_included(people, cases):
    numbers = listed(people["town"])
    assert set(numbers) == {case.number for case in cases.values()}
    # newest first by default; oldest first on request
    assert numbers == sorted(numbers, reverse=True)
    assert listed(people["town"], order="oldest") == sorted(numbers)


def test_a_village_secretary_sees_only_their_village(people, cases):
    assert set(listed(people["secretary"])) == {cases["first"].number, cases["closed"].number}


def test_search_by_number_words_and_phone(people, cases):
    first = cases["first"]
    assert listed(people["town"], q=first.number) == [first.number]
    assert listed(people["town"], q="路灯") == [first.number]
    # the phone is matched exactly whatever way it is written, and shown masked; it is sent in
    # a POST's body and the list's address carries a token, not the number
    client = client_for(people["town"])
    sent = client.post(reverse("cases:all-phone"), {"phone": "138 1234 5678"})
    assert sent.status_code == 302
    assert "5678" not in sent["Location"]
    response = client.get(sent["Location"])
    assert [case.number for case in response.context["rows"]] == [first.number]
    body = response.content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body
    other = client.post(reverse("cases:all-phone"), {"phone": "13812345679"})
    assert client.get(other["Location"]).context["rows"] == []


def test_a_bad_phone_is_a_400_and_a_forged_token_finds_nothing(people, cases):
    client = client_for(people["town"])
    bad = client.post(reverse("cases:all-phone"), {"phone": "not a phone"})
    assert bad.status_code == 400
    assert "phone" in bad.context["phone_form"].errors
    forged = client.get(reverse("cases:all"), {"caller": "forged:token"})
    assert forged.status_code == 400
    assert not forged.context["rows"]


def test_the_phone_search_is_for_those_who_read_cases(people, tree, user_factory):
    admin = user_factory("sysadmin", tree.county, username="phone_search_admin")
    response = client_for(admin).post(reverse("cases:all-phone"), {"phone": "13812345678"})
    assert response.status_code == 403


def test_filters_narrow_the_list(people, cases, tree):
    assert listed(people["town"], place=tree.villages[0]) == sorted(
        [cases["first"].number, cases["closed"].number], reverse=True
    )
    assert listed(people["town"], state="not_accepted") == [cases["closed"].number]
    assert listed(people["town"], channel="hotline") == [cases["elsewhere"].number]
    assert listed(people["town"], category="environment") == [cases["closed"].number]
    assert listed(people["town"], rated="yes") == []
    grid = cases["first"].grid_code
    assert cases["first"].number in listed(people["town"], place=tree.villages[0], grid=grid)


def test_pages_follow_one_another_without_gaps(people, cases, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    client = client_for(people["town"])
    first = client.get(reverse("cases:all"))
    second = client.get(reverse("cases:all") + "?" + first.context["next_query"])
    numbers = [c.number for c in first.context["rows"]] + [c.number for c in second.context["rows"]]
    assert sorted(numbers) == sorted(case.number for case in cases.values())
    assert second.context["next_query"] is None


def test_bad_input_is_a_400_with_the_form_and_no_list(people, cases):
    client = client_for(people["town"])
    for params in (
        {"caller": "not a token"},
        {"state": "exploded"},
        {"reported_from": "2026-12-05", "reported_to": "2026-12-01"},
        {"cursor": "forged"},
    ):
        response = client.get(reverse("cases:all"), params)
        assert response.status_code == 400, params
        assert response.context is None or not response.context.get("rows")


def test_another_jurisdictions_place_is_refused_and_roles_without_cases_get_403(
    people, cases, tree
):
    # the second village is outside the secretary's subtree: it is not a choice for them
    response = client_for(people["secretary"]).get(
        reverse("cases:all"), {"place": tree.villages[1]}
    )
    assert response.status_code == 400
    assert client_for(people["sysadmin"]).get(reverse("cases:all")).status_code == 403
    assert client_for(people["sysadmin"]).get(reverse("cases:all-export")).status_code == 403


def test_the_spreadsheet_holds_the_filtered_list_masked_and_the_export_is_audited(people, cases):
    # when the town official exports the first village's cases
    response = client_for(people["town"]).get(
        reverse("cases:all-export"), {"q": cases["first"].number}
    )
    # then it is a workbook with a header and the one case, its phone masked
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Number"
    assert [row[0] for row in rows[1:]] == [cases["first"].number]
    assert rows[1][-1] == "138****5678"
    assert "13812345678" not in str(rows)
    # and the export is in the audit log, with what was exported
    entry = AuditEntry.objects.get(action="case.export")
    assert entry.actor_id == people["town"].pk
    assert entry.detail["rows"] == 1


def test_the_api_searches_the_same_way(people, cases):
    api = APIClient()
    api.force_authenticate(people["town"])
    # the phone goes in a POST's body; the list is addressed by the token it answers
    search = api.post("/api/v1/cases/caller-search/", {"phone": "+86 138-1234-5678"}, format="json")
    assert search.status_code == 200
    answer = search.json()
    assert answer["masked"] == "138****5678"
    assert "13812345678" not in answer["cases"]
    by_phone = api.get(answer["cases"])
    assert [row["number"] for row in by_phone.json()["results"]] == [cases["first"].number]
    assert (
        by_phone.json()["results"]
        == api.get("/api/v1/cases/", {"caller": answer["caller"]}).json()["results"]
    )
    oldest = api.get("/api/v1/cases/", {"order": "oldest", "channel": "grid_patrol"})
    assert [row["number"] for row in oldest.json()["results"]] == sorted(
        [cases["first"].number, cases["closed"].number]
    )
    assert api.post("/api/v1/cases/caller-search/", {"phone": "12"}).status_code == 400
    assert api.get("/api/v1/cases/", {"caller": answer["caller"][:-2] + "xx"}).status_code == 400
    assert api.get("/api/v1/cases/", {"reported_from": "1200-01-01T00:00:00Z"}).status_code == 400


def test_a_region_code_of_no_levels_length_finds_nothing_rather_than_failing(people, cases):
    api = APIClient()
    api.force_authenticate(people["town"])
    response = api.get("/api/v1/cases/", {"region": "4292887055029040"})
    assert response.status_code == 200
    assert response.json()["results"] == []
