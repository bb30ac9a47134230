"""The command centre shows the region's open red and orange risks: how many, linking to the risk
register narrowed the same way (the register lists exactly that many), and the first few by
name; on the overview, in the summary API and on the big screen."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gridgov.core.access import Role
from gridgov.mediation.services import RiskInput, risk_follow_up, risk_raise
from gridgov.testing import Tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def risks(tree: Tree, user_factory):
    """In town 1: red (village 1), orange (village 2), yellow, and red resolved; in town 2: red."""
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county, username="risk_operator")

    def raise_risk(title: str, level: str, region_code: str):
        return risk_raise(
            actor=operator,
            data=RiskInput(
                title=title,
                kind="other",
                level=level,
                people_involved=12,
                description="村民聚集",
                region_code=region_code,
            ),
        )

    raise_risk("土地征收纠纷", "red", tree.villages[0])
    raise_risk("工资拖欠", "orange", tree.villages[1])
    raise_risk("邻里噪音", "yellow", tree.towns[0])
    resolved = raise_risk("已化解的纠纷", "red", tree.towns[0])
    risk_follow_up(actor=operator, risk=resolved, note="已化解", status="resolved")
    raise_risk("二镇的风险", "red", tree.villages[-1])
    return operator


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed_risks(client: Client, href: str) -> list[str]:
    response = client.get(href)
    assert response.status_code == 200
    return [risk.title for risk in response.context["risks"]]


def test_the_county_overview_counts_the_open_red_and_orange_risks_and_links_to_them(
    tree, risks, user_factory
):
    # given the county leader
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    # when they open the county's overview
    response = client.get(reverse("dashboards:overview"))
    # then the open red and orange risks of the county are counted and named, red first
    panel = response.context["s"].risks
    assert panel.count == 3
    assert [(r.level, r.title) for r in panel.items] == [
        ("red", "二镇的风险"),
        ("red", "土地征收纠纷"),
        ("orange", "工资拖欠"),
    ]
    page = response.content.decode()
    assert 'data-figure="urgent_risks"' in page
    assert "土地征收纠纷" in page
    # and the register behind the count lists exactly those risks
    assert sorted(listed_risks(client, panel.href)) == sorted(r.title for r in panel.items)
    # and each named risk opens its page
    assert client.get(panel.items[0].href).status_code == 200


def test_a_town_sees_its_own_risks_and_a_village_its_own(tree, risks, user_factory):
    client = login(user_factory(Role.TOWN_OFFICIAL, tree.towns[0]))
    town = client.get(reverse("dashboards:overview")).context["s"].risks
    assert (town.count, {r.title for r in town.items}) == (2, {"土地征收纠纷", "工资拖欠"})
    assert sorted(listed_risks(client, town.href)) == sorted(r.title for r in town.items)
    village = client.get(reverse("dashboards:overview"), {"region": tree.villages[0]})
    assert [r.title for r in village.context["s"].risks.items] == ["土地征收纠纷"]
    # another town's region stays out of reach
    assert client.get(reverse("dashboards:overview"), {"region": tree.towns[1]}).status_code == 404


def test_the_summary_api_and_the_big_screen_carry_the_risks(tree, risks, user_factory):
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    data = client.get(reverse("dashboards-api:summary")).json()
    assert data["risks"]["count"] == 3
    assert data["risks"]["href"].startswith("http")
    assert {item["level"] for item in data["risks"]["items"]} == {"red", "orange"}
    screen = client.get(reverse("dashboards:screen")).content.decode()
    assert 'id="screen-risks"' in screen
    assert "工资拖欠" in screen


def test_the_register_narrowed_to_urgent_risks_leaves_out_yellow_and_resolved(
    tree, risks, user_factory
):
    client = login(user_factory(Role.COUNTY_LEADER, tree.county))
    everything = listed_risks(client, reverse("mediation:risks"))
    urgent = listed_risks(client, f"{reverse('mediation:risks')}?urgent=1")
    assert "邻里噪音" in everything
    assert sorted(urgent) == sorted(["土地征收纠纷", "工资拖欠", "二镇的风险"])
    # a bad value of the filter is a 400, not a 500
    assert client.get(f"{reverse('mediation:risks')}?region=abc&urgent=1").status_code == 400
