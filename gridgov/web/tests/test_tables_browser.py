"""The pages with wide tables or lists (the work queue, the overdue view, all cases, the audit
log, the account list, a user's page and one's own with their API tokens) fit the screen at 1,440 px and at 390 px: on a phone a table becomes a
card a row, and long values wrap, so nothing is clipped and nothing scrolls sideways.

Drives Debian's Chromium through Playwright; skipped when it is missing unless
GRIDGOV_REQUIRE_BROWSER is set.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gridgov.accounts.services import api_token_issue
from gridgov.browser_testing import PHONE, new_page
from gridgov.cases.services import CaseInput, case_report
from gridgov.cases.services.sweep import escalate_overdue_cases
from gridgov.core.access import Role
from gridgov.testing import TEST_PASSWORD, build_tree, make_user

pytestmark = [pytest.mark.browser]

WIDE = {"width": 1440, "height": 900}
PAGES = {
    Role.TOWN_OFFICIAL: [
        "/cases/queue/",
        "/cases/overdue/?show=escalated",
        "/cases/all/",
        "/",
        "/accounts/me/",
    ],
    Role.AUDITOR: ["/audit/"],
    Role.SYSADMIN: ["/accounts/users/"],
}


_CLIPPED_BOXES = (
    "Array.from(document.querySelectorAll('.table-scroll'))"
    ".filter(box => box.scrollWidth > box.clientWidth + 1).length"
)


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_wide_pages_fit_a_desk_and_a_phone(transactional_db, live_server, browser):
    # given a town with escalated cases whose titles are long, and who reads each page
    tree = build_tree()
    people = {
        Role.TOWN_OFFICIAL: make_user(Role.TOWN_OFFICIAL, tree.towns[0], username="wang_town"),
        Role.AUDITOR: make_user(Role.AUDITOR, tree.county, username="auditor_a"),
        Role.SYSADMIN: make_user(Role.SYSADMIN, tree.county, username="admin_a"),
    }
    worker = make_user(Role.GRID_WORKER, tree.grids[0], username="zhang_worker")
    # API tokens with a long user agent, on the official's own page and the administrator's
    api_token_issue(
        user=people[Role.TOWN_OFFICIAL],
        client_address="127.0.0.1",
        user_agent="Mozilla/5.0 (Linux; Android 14; SM-S9180) AppleWebKit/537.36 GridApp/2.1.7",
    )
    pages = {**PAGES, Role.SYSADMIN: [*PAGES[Role.SYSADMIN]]}
    pages[Role.SYSADMIN].append(f"/accounts/users/{people[Role.TOWN_OFFICIAL].pk}/")
    for index in range(3):
        case_report(
            actor=worker,
            data=CaseInput(
                category_code="dispute-neighbour",
                description=f"村口的路灯坏了一个多月，晚上老人孩子出门都看不清路，多次反映未修{index}",
                channel="grid_patrol",
                latitude=34.2,
                longitude=107.06,
            ),
        )
    escalate_overdue_cases(now=timezone.now() + timedelta(days=30))
    errors: list[str] = []
    too_wide = []
    # when each opens their pages at both widths
    for role, paths in pages.items():
        for size in (WIDE, PHONE):
            page = new_page(browser, size, errors)
            _log_in(page, live_server.url, people[role].username)
            for path in paths:
                page.goto(f"{live_server.url}{path}")
                width = int(page.evaluate("document.documentElement.scrollWidth"))
                # (a table in a scrolling box hides its right part without widening the page)
                clipped = int(page.evaluate(_CLIPPED_BOXES))
                if width > size["width"] or clipped:
                    too_wide.append((path, size["width"], width, clipped))
            page.close()
    # then no page is wider than the screen, and no script failed
    assert too_wide == []
    assert errors == []
