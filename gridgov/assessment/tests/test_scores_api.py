"""The scores API and pages: each score with its components, weights and links to the records
behind them; bad input 400, another jurisdiction 404, a role without scores 403."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.assessment.models import Score
from gridgov.assessment.services.scoring import scores_compute
from gridgov.assessment.tests.fixture import MONTH, NOW, build_month
from gridgov.core.access import Role
from gridgov.testing import make_user

SCORES = reverse("assessment-api:score-list")


def _path(href: str) -> str:
    parts = urlsplit(href)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def month(tree):
    built = build_month(tree)
    scores_compute(month=MONTH, now=NOW)
    return built


@pytest.mark.django_db
def test_scores_list_each_component_with_its_weight_points_and_records(month, api_as, client):
    response = api_as(month.town).get(
        SCORES, {"month": "2026-11", "region": month.tree.villages[0]}
    )
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()}
    # the village and its two workers (the town itself lies above the asked place)
    assert set(rows) == {"城关街道第1村", "w1", "w2"}
    w1 = rows["w1"]
    assert w1["total"] == "59.92"
    assert (w1["rank"], w1["ranked_among"], w1["kind"]) == (1, 2, "worker")
    reports = next(c for c in w1["components"] if c["indicator"] == "reports_made")
    assert (reports["weight"], reports["points"], reports["numerator"]) == (20, "10.00", 3.0)
    # the records behind W1's reports: the case list of W1's reports of November, as the page
    # and through the API, which list exactly c1, c2 and c3
    client.force_login(month.town)
    page = client.get(_path(reports["href"]))
    assert page.status_code == 200
    listed = {case.title for case in page.context["rows"]}
    assert listed == {"c1", "c2", "c3"}
    listed_api = api_as(month.town).get(_path(reports["api_href"])).json()["results"]
    assert {row["title"] for row in listed_api} == {"c1", "c2", "c3"}
    # the cases W1 handled: c1 to c4, which the on-time, resolution and verified rates count
    on_time = next(c for c in w1["components"] if c["indicator"] == "on_time")
    handled = api_as(month.town).get(_path(on_time["api_href"])).json()["results"]
    assert {row["title"] for row in handled} == {"c1", "c2", "c3", "c4"}
    assert on_time["denominator"] == 4
    # the visits behind W1's focus-household visits: H1 and H3 in November
    visits = next(c for c in w1["components"] if c["indicator"] == "focus_visits")
    assert visits["api_href"] is None
    page = client.get(_path(visits["href"]))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 2


@pytest.mark.django_db
def test_a_villages_records_are_its_patrol_reports(month, api_as):
    response = api_as(month.town).get(SCORES, {"month": "2026-11", "kind": "village"})
    village = next(row for row in response.json() if row["region_code"] == month.tree.villages[0])
    reports = next(c for c in village["components"] if c["indicator"] == "reports_made")
    listed = api_as(month.town).get(_path(reports["api_href"])).json()["results"]
    assert {row["title"] for row in listed} == {"c1", "c2", "c3", "c6"}
    handled = next(c for c in village["components"] if c["indicator"] == "resolution")
    listed = api_as(month.town).get(_path(handled["api_href"])).json()["results"]
    # c5 was refused at intake: not counted, not listed
    assert {row["title"] for row in listed} == {"c1", "c2", "c3", "c4", "c6"}


@pytest.mark.django_db
def test_bad_month_or_place_is_400(month, api_as):
    for params in ({"month": "2026-13"}, {"month": "November"}, {"region": "61"}, {"kind": "x"}):
        response = api_as(month.town).get(SCORES, params)
        assert response.status_code == 400, params


@pytest.mark.django_db
def test_another_jurisdictions_scores_are_not_listed_and_404_alone(month, api_as):
    other = make_user(Role.TOWN_OFFICIAL, month.tree.towns[1], username="other_town")
    listed = api_as(other).get(SCORES, {"month": "2026-11"}).json()
    assert listed
    assert all(row["region_code"].startswith(month.tree.towns[1]) for row in listed)
    w1 = Score.objects.get(month=MONTH, subject=f"user:{month.w1.pk}")
    detail = reverse("assessment-api:score-detail", args=[w1.pk])
    assert api_as(other).get(detail).status_code == 404
    assert api_as(month.town).get(detail).status_code == 200
    # a grid worker sees their own grid's score, not their neighbour's
    assert api_as(month.w2).get(detail).status_code == 404
    assert api_as(month.w1).get(detail).status_code == 200


@pytest.mark.django_db
def test_a_role_without_scores_is_403(month, api_as):
    volunteer = make_user(Role.VOLUNTEER, month.tree.villages[0], username="volunteer")
    assert api_as(volunteer).get(SCORES).status_code == 403
    recompute = reverse("assessment-api:score-recompute")
    assert api_as(volunteer).post(recompute, {"month": "2026-11"}).status_code == 403


@pytest.mark.django_db
def test_recompute_refuses_a_bad_or_future_month(month, api_as):
    recompute = reverse("assessment-api:score-recompute")
    assert api_as(month.town).post(recompute, {"month": "2026-1"}).status_code == 400
    response = api_as(month.town).post(recompute, {"month": "2999-01"})
    assert response.status_code == 400
    assert "month" in response.json()


def _login(client, user: User) -> None:
    client.force_login(user)


@pytest.mark.django_db
def test_the_scores_page_ranks_and_the_score_page_links_each_component(month, client):
    _login(client, month.town)
    page = client.get(reverse("assessment:scores"), {"month": "2026-11"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "城关街道第1村" in body
    assert "59.92" in body
    w1 = Score.objects.get(month=MONTH, subject=f"user:{month.w1.pk}")
    page = client.get(reverse("assessment:score", args=[w1.pk]))
    assert page.status_code == 200
    hrefs = [row["href"] for row in page.context["rows"]]
    assert len(hrefs) == 6
    assert all(hrefs)
    assert f"reporter={month.w1.pk}" in hrefs[0]
    assert client.get(reverse("assessment:scores"), {"month": "13"}).status_code == 400


@pytest.mark.django_db
def test_the_month_picker_starts_at_the_month_the_page_shows(month, client):
    # given an official opening the scores page without choosing a month
    _login(client, month.town)
    page = client.get(reverse("assessment:scores"))
    # then the page shows this month and its picker says so (it was blank)
    this_month = timezone.localdate().replace(day=1)
    assert page.status_code == 200
    assert page.context["month"] == this_month
    picker = re.search(r'<input[^>]*name="month"[^>]*>', page.content.decode())
    assert picker is not None
    assert f'value="{this_month:%Y-%m}"' in picker.group(0)
    # and a month asked for is kept
    page = client.get(reverse("assessment:scores"), {"month": "2026-11"})
    assert page.context["month"] == MONTH


@pytest.mark.django_db
def test_the_pages_answer_404_elsewhere_and_403_without_the_role(month, client):
    w1 = Score.objects.get(month=MONTH, subject=f"user:{month.w1.pk}")
    _login(client, make_user(Role.TOWN_OFFICIAL, month.tree.towns[1], username="other_town"))
    assert client.get(reverse("assessment:score", args=[w1.pk])).status_code == 404
    client.logout()
    _login(client, make_user(Role.VOLUNTEER, month.tree.villages[0], username="volunteer"))
    assert client.get(reverse("assessment:scores")).status_code == 403
    assert client.get(reverse("assessment:score", args=[w1.pk])).status_code == 403


@pytest.mark.django_db
def test_the_spreadsheet_holds_the_ranking_and_every_component(month, client):
    from io import BytesIO

    from openpyxl import load_workbook

    _login(client, month.town)
    response = client.get(reverse("assessment:export"), {"month": "2026-11"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    ranking = list(book.worksheets[0].iter_rows(values_only=True))
    names = {row[1]: row[4] for row in ranking[2:]}
    assert names["w1"] == 59.92
    assert names["城关街道第1村"] == 66.34
    parts = list(book.worksheets[1].iter_rows(values_only=True))
    # 4 workers' and places' scores in the town (2 workers, 2 villages, the town) x 6 indicators
    assert len(parts) - 1 == 5 * 6


@pytest.mark.django_db
def test_the_scheme_page_saves_weights_that_add_up_to_100(month, client):
    operator = make_user(Role.COUNTY_OPERATOR, month.tree.county, username="operator")
    _login(client, operator)
    page = client.get(reverse("assessment:scheme"))
    assert page.status_code == 200
    data = {
        "weight_reports_made": 30,
        "target_reports_made": 6,
        "weight_on_time": 20,
        "weight_resolution": 15,
        "weight_verified": 10,
        "weight_satisfaction": 15,
        "weight_focus_visits": 20,
        # on the page weighted 0 until the county weighs it
        "weight_patrol_coverage": 0,
        # the trainings' indicator, left out of the score
        "weight_trainings_attended": 0,
        "target_trainings_attended": 1,
    }
    # 110: refused, nothing saved
    response = client.post(reverse("assessment:scheme"), data)
    assert response.status_code == 400
    assert "110" in response.content.decode()
    data["weight_focus_visits"] = 10
    response = client.post(reverse("assessment:scheme"), data)
    assert response.status_code == 302
    scores_compute(month=MONTH, now=NOW)
    w1 = Score.objects.get(month=MONTH, subject=f"user:{month.w1.pk}")
    # reports 0.5 x 30 = 15; on time 10; resolution 11.25; verified 6.67; satisfaction 12;
    # visits 0.5 x 10 = 5 -> 59.92
    assert w1.total == Decimal("59.92")
    # the town official reads the scheme but may not change it
    client.logout()
    _login(client, month.town)
    assert client.get(reverse("assessment:scheme")).status_code == 200
    assert client.post(reverse("assessment:scheme"), data).status_code == 403


@pytest.mark.django_db
def test_the_month_is_recomputed_on_demand_from_the_page(month, client):
    _login(client, month.town)
    response = client.post(
        reverse("assessment:recompute"), {"month": "2026-11", "next": "/assessment/?month=2026-11"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/assessment/?month=2026-11"
    assert Score.objects.filter(month=date(2026, 11, 1)).exists()


@pytest.mark.django_db
def test_the_recompute_button_posts_back_the_month_it_shows(month, client):
    # the score page's button carries the month as its form renders it (a hidden field)
    client.force_login(month.town)
    w1 = Score.objects.get(month=MONTH, subject=f"user:{month.w1.pk}")
    page = client.get(reverse("assessment:score", args=[w1.pk])).content.decode()
    hidden = re.search(r'name="month" value="([^"]+)"', page)
    assert hidden is not None
    response = client.post(
        reverse("assessment:recompute"),
        {"month": hidden.group(1), "next": reverse("assessment:score", args=[w1.pk])},
    )
    assert response["Location"] == reverse("assessment:score", args=[w1.pk])
