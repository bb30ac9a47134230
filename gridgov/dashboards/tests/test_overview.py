"""The overview's figures on a small fixture equal hand-counted values, and each figure's link
opens the all-cases list holding exactly that many cases; another town's region is 404, a role
without the overview 403, a bad period 400."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from gridgov.cases.models import Case, Channel
from gridgov.cases.services.transitions import apply_transition, note_event
from gridgov.core.access import Role
from gridgov.dashboards.services import rollups_fold, rollups_rebuild
from gridgov.testing import Tree


def move(case: Case, *actions: str) -> None:
    for action in actions:
        with transaction.atomic():
            locked = Case.objects.select_for_update().select_related("category").get(pk=case.pk)
            apply_transition(
                case=locked, actor=None, action=action, note="已处理", now=timezone.now()
            )


@pytest.fixture
def cases(tree: Tree, report) -> dict[str, Case]:
    """Five cases, hand-counted: in town 1 (610324001), A closed at the village and rated 4, B
    escalated to the town, C open, D overdue; in town 2 (610324100), E open."""
    made = {
        "A": report(tree.grids[0]),
        "B": report(tree.grids[0], category="dispute-neighbour", channel=Channel.HOTLINE),
        "C": report(tree.grids[1], channel=Channel.RESIDENT_WEB),
        "D": report(tree.grids[2]),
        "E": report(tree.grids[4], channel=Channel.HOTLINE),
    }
    move(made["A"], "accept", "dispatch", "start", "resolve", "verify", "close")
    Case.objects.filter(pk=made["A"].pk).update(rating=4)
    note_event(case=made["A"], actor=None, action="rate", now=timezone.now())
    move(made["B"], "escalate")
    Case.objects.filter(pk=made["D"].pk).update(due_at=timezone.now() - timedelta(minutes=5))
    rollups_fold()
    return made


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(client: Client, href: str) -> int:
    """How many cases the all-cases list at `href` holds (one page is enough here)."""
    response = client.get(href)
    assert response.status_code == 200, href
    assert response.context["next_query"] is None
    return len(response.context["rows"])


@pytest.mark.django_db
def test_the_county_figures_equal_the_hand_counted_ones(tree, cases, user_factory):
    # given the county leader
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    # when they open the overview of the last 7 days
    response = client.get(reverse("dashboards:overview"), {"period": "7d"})
    # then the figures are the hand-counted ones
    assert response.status_code == 200
    s = response.context["s"]
    assert {key: f.value for key, f in s.totals.items()} == {
        "received": 5,
        "open": 4,
        "closed": 1,
        "overdue": 1,
        "escalated": 1,
    }
    assert s.on_time.value == 1.0
    assert (s.satisfaction, s.rated.value) == (4.0, 1)
    assert [(r.of.key, r.of.value, r.value) for r in s.where_resolved] == [
        ("village", 1, 1.0),
        ("town", 0, 0.0),
        ("county", 0, 0.0),
    ]
    assert {f.key: f.value for f in s.by_level} == {"village": 4, "town": 1, "county": 0}
    assert {f.key: f.value for f in s.by_channel} == {
        "grid_patrol": 2,
        "hotline": 2,
        "resident_web": 1,
    }
    children = {row.code: row for row in s.children}
    assert [
        (children[code].received.value, children[code].open.value, children[code].overdue.value)
        for code in tree.towns
    ] == [(4, 3, 1), (1, 1, 0)]
    assert sum(count for _day, count in s.trend) == 5
    assert 'data-figure="overdue"' in response.content.decode()


@pytest.mark.django_db
def test_each_figure_links_to_a_list_of_exactly_its_cases(tree, cases, user_factory):
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    s = client.get(reverse("dashboards:overview")).context["s"]
    figures = [
        *s.totals.values(),
        s.rated,
        *s.by_state,
        *s.by_level,
        *s.by_channel,
        *(top for top, _leaves in s.by_category),
        *(leaf for _top, leaves in s.by_category for leaf in leaves),
        *(rate.of for rate in s.where_resolved),
        *(getattr(row, name) for row in s.children for name in ("received", "open", "overdue")),
        *(problem.cases for problem in s.repeated_places),
    ]
    # then each figure's list holds as many cases as the figure says
    assert [(f.key, f.value) for f in figures] == [(f.key, listed(client, f.href)) for f in figures]


@pytest.mark.django_db
def test_a_town_official_sees_their_town_and_its_villages_only(tree, cases, user_factory):
    client = login(user_factory(Role.TOWN_OFFICIAL, tree.towns[0]))
    # their own town by default, and one of its villages
    s = client.get(reverse("dashboards:overview")).context["s"]
    assert s.region.region_code == tree.towns[0]
    assert s.totals["received"].value == 4
    village = client.get(reverse("dashboards:overview"), {"region": tree.villages[0]})
    assert village.context["s"].totals["received"].value == 3
    assert [row.code for row in village.context["s"].children] == tree.grids[:2]
    # the other town, the county and another county answer 404 like a missing region
    for code in (tree.towns[1], tree.county, tree.other_county, tree.towns[0][:-3] + "999"):
        assert client.get(reverse("dashboards:overview"), {"region": code}).status_code == 404


@pytest.mark.django_db
def test_roles_without_the_overview_are_refused(tree, cases, user_factory):
    for role, code in ((Role.GRID_WORKER, tree.grids[0]), (Role.AUDITOR, tree.county)):
        client = login(user_factory(role, code))
        assert client.get(reverse("dashboards:overview")).status_code == 403
        assert client.get(reverse("dashboards-api:summary")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"period": "forever"},
        {"from": "2026-13-01"},
        {"from": "2026-05-02", "to": "2026-05-01"},
        {"from": "1900-01-01", "to": "1900-01-02"},
        {"from": "2000-01-01", "to": "2026-01-01"},
        {"period": "7d", "from": "2026-05-01"},
    ],
)
def test_a_bad_period_is_a_400(tree, cases, user_factory, params):
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    assert client.get(reverse("dashboards:overview"), params).status_code == 400
    assert client.get(reverse("dashboards-api:summary"), params).status_code == 400


@pytest.mark.django_db
def test_the_summary_api_gives_each_figure_with_its_list(tree, cases, user_factory):
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    today = timezone.localdate()
    body = client.get(
        reverse("dashboards-api:summary"),
        {"region": tree.towns[0], "from": (today - timedelta(days=3)).isoformat()},
    ).json()
    assert body["region"]["code"] == tree.towns[0]
    assert body["period"]["start"] == (today - timedelta(days=3)).isoformat()
    overdue = body["totals"]["overdue"]
    assert overdue["value"] == 1
    assert (
        listed(client, urlsplit(overdue["href"]).path + "?" + urlsplit(overdue["href"]).query) == 1
    )
    assert body["updated_at"] is not None
    # another county's region is 404
    other = client.get(reverse("dashboards-api:summary"), {"region": tree.other_county})
    assert other.status_code == 404


@pytest.mark.django_db
def test_the_series_api_counts_each_day_and_week(tree, cases, user_factory):
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    days = client.get(reverse("dashboards-api:series"), {"period": "30d", "measure": "open"}).json()
    assert len(days["points"]) == 30
    assert sum(point["value"] for point in days["points"]) == 4
    weeks = client.get(
        reverse("dashboards-api:series"), {"period": "30d", "interval": "week"}
    ).json()
    assert sum(point["value"] for point in weeks["points"]) == 5
    bad = client.get(reverse("dashboards-api:series"), {"measure": "happiness"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_the_map_data_colours_each_child(tree, cases, user_factory):
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    body = client.get(reverse("dashboards:map"), {"period": "7d"}).json()
    properties = {f["properties"]["code"]: f["properties"] for f in body["features"]}
    assert set(properties) == set(tree.towns)
    assert properties[tree.towns[0]]["overdue"] == 1
    assert properties[tree.towns[0]]["href"].startswith(f"?region={tree.towns[0]}")


@pytest.mark.django_db
def test_the_map_places_each_grids_open_cases_at_its_centre(tree, cases, user_factory):
    # given the open cases B (grid 1), C (grid 2), D (grid 3) in town 1 and E (grid 5) in town 2
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    # when the county's map data is read
    points = client.get(reverse("dashboards:map"), {"period": "7d"}).json()["points"]
    # then each grid with open cases is a point at its centre, its list holding those cases
    by_grid = {point["code"]: point for point in points}
    assert {code: point["open"] for code, point in by_grid.items()} == {
        tree.grids[0]: 1,
        tree.grids[1]: 1,
        tree.grids[2]: 1,
        tree.grids[4]: 1,
    }
    assert all(-90 <= point["lat"] <= 90 and -180 <= point["lng"] <= 180 for point in points)
    assert [listed(client, point["href"]) for point in points] == [p["open"] for p in points]
    # and a town official's map holds only their town's grids
    town = login(user_factory(Role.TOWN_OFFICIAL, tree.towns[0]))
    codes = {p["code"] for p in town.get(reverse("dashboards:map")).json()["points"]}
    assert codes == {tree.grids[0], tree.grids[1], tree.grids[2]}


@pytest.mark.django_db
def test_the_overview_exports_as_a_workbook(tree, cases, user_factory):
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    response = client.get(reverse("dashboards:export"), {"period": "7d"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) >= 8
    towns = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[2]) for row in towns] == [(tree.towns[0], 4), (tree.towns[1], 1)]


@pytest.mark.django_db
def test_the_big_screen_and_the_home_link(tree, cases, user_factory):
    client = login(user_factory(Role.COUNTY_OPERATOR, tree.county))
    screen = client.get(reverse("dashboards:screen"))
    assert screen.status_code == 200
    assert reverse("dashboards-api:summary") in screen.content.decode()
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("dashboards:overview") in home


@pytest.mark.django_db
def test_the_overview_prints_as_a_report_with_its_region_period_and_figures(
    tree, cases, user_factory
):
    # given
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    # when
    response = client.get(reverse("dashboards:export-pdf"), {"period": "7d"})
    # then: the cover names the region and the period; the tables name the towns with their counts
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(BytesIO(response.content)).pages
    cover = pages[0].extract_text()
    assert tree.names[tree.county] in cover
    today = timezone.localdate()
    assert str(today) in cover
    assert str(today - timedelta(days=6)) in cover
    # (the table's cells come out one a line: the row is read with single spaces)
    rest = " ".join("".join(page.extract_text() for page in pages[1:]).split())
    assert f"{tree.names[tree.towns[0]]} 4 " in rest
    assert f"{tree.names[tree.towns[1]]} 1 " in rest


@pytest.mark.django_db
def test_the_report_refuses_another_countys_region_and_a_role_without_the_overview(
    tree, cases, user_factory
):
    town_official = login(user_factory(Role.TOWN_OFFICIAL, tree.towns[0]))
    grid_worker = login(user_factory(Role.GRID_WORKER, tree.grids[0]))
    assert (
        town_official.get(reverse("dashboards:export-pdf"), {"region": tree.towns[1]}).status_code
        == 404
    )
    assert grid_worker.get(reverse("dashboards:export-pdf")).status_code == 403
    bad = town_official.get(
        reverse("dashboards:export-pdf"), {"from": "2026-12-05", "to": "2026-12-01"}
    )
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_trend_goes_by_week_when_asked_and_by_default_over_a_year(tree, cases, user_factory):
    # given
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    # when
    weekly = client.get(reverse("dashboards:overview"), {"period": "30d", "interval": "week"})
    daily = client.get(reverse("dashboards:overview"), {"period": "30d"})
    year = client.get(reverse("dashboards:overview"), {"period": "year"})
    bad = client.get(reverse("dashboards:overview"), {"period": "30d", "interval": "hour"})
    # then: each weekly point is a Monday and the weeks hold the same five cases as the days
    points = weekly.context["s"].trend
    assert all(day.weekday() == 0 for day, _count in points)
    assert sum(count for _day, count in points) == 5
    assert len(daily.context["s"].trend) == 30
    assert 'data-interval="week"' in weekly.content.decode()
    assert year.context["s"].interval == ("week" if year.context["s"].period.days > 62 else "day")
    assert bad.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-12-31", "2025-03-01"),  # a day, two whole months, a day
        ("2023-06-15", "2026-12-31"),  # days, months, whole years
        ("2025-01-01", "2025-01-31"),  # one whole month
        ("2025-02-28", "2025-02-28"),  # one day
    ],
)
def test_figures_over_years_months_and_days_equal_their_lists(
    tree, cases, user_factory, start, end
):
    # given four of the five cases reported on days either side of a year's and a month's end
    days = {"A": "2024-12-31", "B": "2025-01-01", "C": "2025-02-28", "D": "2025-03-01"}
    for name, day in days.items():
        noon = timezone.make_aware(datetime.combine(date.fromisoformat(day), time(12)))
        Case.objects.filter(pk=cases[name].pk).update(created_at=noon)
    rollups_rebuild()
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    # when the leader opens the overview of a range read from whole years, months and days
    s = client.get(reverse("dashboards:overview"), {"from": start, "to": end}).context["s"]
    today = timezone.localdate().isoformat()  # E's
    inside = sum(start <= day <= end for day in [*days.values(), today])
    # then it counts exactly the cases reported in the range, and each figure's list agrees
    assert s.totals["received"].value == inside
    assert sum(count for _day, count in s.trend) == inside
    figures = [
        *s.totals.values(),
        *s.by_state,
        *s.by_channel,
        *(top for top, _leaves in s.by_category),
        *(getattr(row, name) for row in s.children for name in ("received", "open", "closed")),
        *(problem.cases for problem in s.repeated_places),
    ]
    assert [(f.key, f.value) for f in figures] == [(f.key, listed(client, f.href)) for f in figures]
