"""The command centre in Chromium: the county leader's journey from the county's overview down
to a village and on to exactly its overdue cases (desk and phone), and the hall's big screen at
1920x1080 with no scrollbar and no script error, refreshing itself from the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gridgov.browser_testing import PHONE, new_page
from gridgov.cases.models import Case
from gridgov.cases.services import CaseInput, case_report
from gridgov.core.access import Role
from gridgov.dashboards.services import rollups_fold
from gridgov.mediation.services import RiskInput, risk_raise
from gridgov.testing import TEST_PASSWORD, Tree, build_tree, make_user

pytestmark = [pytest.mark.browser]

# The overview's pages read the rollups; on a loaded machine a page can take seconds to build.
NAVIGATION_MS = 60_000

WIDE = {"width": 1440, "height": 900}
SCREEN = {"width": 1920, "height": 1080}


def _cases(tree: Tree) -> None:
    """Three cases in the first village (two overdue), one in the second, one in town 2."""
    reporter = make_user(Role.COUNTY_OPERATOR, tree.county, username="reporter")
    places = [tree.grids[0], tree.grids[1], tree.grids[0], tree.grids[2], tree.grids[4]]
    made = [
        case_report(
            actor=reporter,
            data=CaseInput(
                category_code="environment-waste",
                description=f"垃圾堆放多日无人清运{index}",
                channel="grid_patrol",
                region_code=place,
                address="东大街12号",
            ),
        )
        for index, place in enumerate(places)
    ]
    overdue = [made[0].pk, made[1].pk, made[3].pk]
    Case.objects.filter(pk__in=overdue).update(due_at=timezone.now() - timedelta(hours=1))
    rollups_fold()


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def _fits(page: Any, width: int) -> bool:
    return int(page.evaluate("document.documentElement.scrollWidth")) <= width


@pytest.mark.parametrize("size", [WIDE, PHONE], ids=["desk", "phone"])
def test_the_leader_drills_down_to_a_villages_overdue_cases(
    transactional_db, live_server, browser, size
):
    # given the county with cases, and its leader
    tree = build_tree()
    _cases(tree)
    leader = make_user(Role.COUNTY_LEADER, tree.county, username="leader")
    errors: list[str] = []
    page = new_page(browser, size, errors)
    _log_in(page, live_server.url, leader.username)
    # when they open the command centre from the menu
    page.click('header nav a[data-menu="command_centre"]')
    page.wait_for_selector('[data-figure="received"]')
    assert page.inner_text('[data-figure="received"] .count') == "5"
    assert _fits(page, size["width"])
    # and the open cases show on the map as points gathered into clusters
    page.wait_for_selector("#overview-map[data-points]")
    assert page.locator("#overview-map .marker-cluster").count() >= 1
    # and drill into the first town (on the map at a desk, in the table on a phone)
    town = tree.towns[0]
    # (each click waits for the page it leads to: a wait started after the click can miss a
    # navigation, or give up on a page a busy server is still building)
    with page.expect_navigation(url=f"**region={town}**", timeout=NAVIGATION_MS):
        if size is WIDE:
            page.wait_for_selector(f'#overview-map path[data-drill="{town}"]')
            page.click(f'#overview-map path[data-drill="{town}"]', force=True)
        else:
            page.click(f'#children-table a[data-drill="{town}"]')
    assert page.inner_text('[data-figure="received"] .count') == "4"
    # then into its first village
    village = tree.villages[0]
    with page.expect_navigation(url=f"**region={village}**", timeout=NAVIGATION_MS):
        page.click(f'#children-table a[data-drill="{village}"]')
    overdue = int(page.inner_text('[data-figure="overdue"] .count'))
    assert overdue == 2
    assert _fits(page, size["width"])
    # and click its overdue count: the list holds exactly those cases
    with page.expect_navigation(url="**/cases/all/**", timeout=NAVIGATION_MS):
        page.click('[data-figure="overdue"]')
    assert page.locator("li.case-card").count() == overdue
    assert page.locator("li.case-card.is-overdue").count() == overdue
    assert errors == []
    page.close()


def test_the_big_screen_fills_1920_by_1080_without_scrolling(
    transactional_db, live_server, browser
):
    # given the county with cases, and an operator of the command centre
    tree = build_tree()
    _cases(tree)
    operator = make_user(Role.COUNTY_OPERATOR, tree.county, username="operator")
    # and a red risk in a village, a yellow one in a town
    for title, level, place in (
        ("土地征收纠纷", "red", tree.villages[0]),
        ("邻里噪音", "yellow", tree.towns[0]),
    ):
        risk_raise(
            actor=operator,
            data=RiskInput(
                title=title,
                kind="other",
                level=level,
                people_involved=12,
                description="村民聚集",
                region_code=place,
            ),
        )
    errors: list[str] = []
    page = new_page(browser, SCREEN, errors)
    _log_in(page, live_server.url, operator.username)
    # when the hall's display opens the big screen
    page.goto(f"{live_server.url}/command/screen/")
    # then it refreshes its figures from the API without reloading
    page.wait_for_selector("body[data-refreshed]")
    page.wait_for_selector("#screen-map path")
    assert page.inner_text('[data-figure="received"] .count') == "5"
    # and shows the open red risk below the panels, the yellow one left out
    assert page.inner_text("#screen-risks .count") == "1"
    assert "土地征收纠纷" in page.inner_text("#screen-risks .risk-items")
    # and nothing scrolls, nothing fails
    size = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= SCREEN["width"]
    assert size[1] <= SCREEN["height"]
    assert page.evaluate("document.body.getAttribute('data-refresh-failed')") is None
    assert errors == []
    page.close()
