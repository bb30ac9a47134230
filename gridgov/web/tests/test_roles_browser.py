"""Every role's home and every page its menu offers, opened in a real browser at 1,440 px and at
390 px as that role: each answers, fits the screen (no sideways scrolling, no table clipped in its
box) and runs no failing script.

Drives Debian's Chromium through Playwright; skipped when it is missing unless
GRIDGOV_REQUIRE_BROWSER is set (CI sets it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gridgov.browser_testing import PHONE, new_page
from gridgov.cases.services import CaseInput, case_report, case_transition
from gridgov.cases.services.sweep import escalate_overdue_cases
from gridgov.core.access import Role
from gridgov.testing import TEST_PASSWORD, Tree, build_tree, make_user

pytestmark = [pytest.mark.browser]

WIDE = {"width": 1440, "height": 900}
_CLIPPED_BOXES = (
    "Array.from(document.querySelectorAll('.table-scroll'))"
    ".filter(box => box.scrollWidth > box.clientWidth + 1).length"
)
_MENU_LINKS = "Array.from(document.querySelectorAll('header nav a[href^=\"/\"]')).map(a => a.getAttribute('href'))"


def _place(tree: Tree, role: str) -> str:
    places: dict[str, str] = {
        Role.COUNTY_LEADER: tree.county,
        Role.COUNTY_OPERATOR: tree.county,
        Role.TOWN_OFFICIAL: tree.towns[0],
        Role.VILLAGE_SECRETARY: tree.villages[0],
        Role.GRID_WORKER: tree.grids[0],
        Role.INFO_OFFICER: tree.micro_grids[0],
        Role.MEDIATOR: tree.towns[0],
        Role.VOLUNTEER: tree.villages[0],
        Role.SYSADMIN: tree.county,
        Role.SECURITY_ADMIN: tree.county,
        Role.AUDITOR: tree.county,
        Role.RESIDENT: tree.grids[0],
    }
    return places.get(role, tree.county)


def _some_cases(tree: Tree) -> None:
    """Work in every state a home or a list shows: new, dispatched, resolved, escalated."""
    worker = make_user(Role.GRID_WORKER, tree.grids[0], username="case_worker")
    secretary = make_user(Role.VILLAGE_SECRETARY, tree.villages[0], username="case_secretary")
    cases = [
        case_report(
            actor=worker,
            data=CaseInput(
                category_code="dispute-neighbour",
                description=f"楼上漏水，邻居不肯维修，已经三个星期了，墙面发霉{index}",
                channel="grid_patrol",
                latitude=34.2,
                longitude=107.06,
            ),
        )
        for index in range(4)
    ]
    case = case_transition(actor=secretary, case=cases[0], action="accept")
    case = case_transition(actor=secretary, case=case, action="dispatch", assignee=worker)
    case = case_transition(actor=worker, case=case, action="start")
    case_transition(actor=worker, case=case, action="resolve", note="已协调")
    escalate_overdue_cases(now=timezone.now() + timedelta(days=30))


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("role", Role.values)
def test_each_roles_home_and_menu_fit_a_desk_and_a_phone(
    transactional_db, live_server, browser, role
):
    # given the test county with cases in several states, and someone holding the role
    tree = build_tree()
    _some_cases(tree)
    user = make_user(role, _place(tree, role), username=f"{role}_person")
    errors: list[str] = []
    problems: list[tuple[str, int, str]] = []
    for size in (WIDE, PHONE):
        page = new_page(browser, size, errors)
        # when they log in and open their home, then each page their menu offers
        _log_in(page, live_server.url, user.username)
        paths = ["/", *[p for p in page.evaluate(_MENU_LINKS) if p not in ("/", "/logout/")]]
        for path in dict.fromkeys(paths):
            response = page.goto(f"{live_server.url}{path}")
            status = response.status if response is not None else 0
            width = int(page.evaluate("document.documentElement.scrollWidth"))
            clipped = int(page.evaluate(_CLIPPED_BOXES))
            # then each answers, and fits
            if status != 200:
                problems.append((path, size["width"], f"status {status}"))
            if width > size["width"] or clipped:
                problems.append((path, size["width"], f"{width} px wide, {clipped} clipped"))
        page.close()
    assert problems == []
    assert errors == []
