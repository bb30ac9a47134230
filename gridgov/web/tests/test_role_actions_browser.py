"""Each desk role's main action in a real browser, from its home, at 1,440 px and at 390 px with
nothing wider than the screen: the town official selects all that was escalated to the town
and accepts it in one go (on a phone too); the county leader follows the county's open count to
exactly those cases; the auditor filters the log by a kind of action and reads it by name. (The resident, the grid worker, the secretary and the hotline
operator have their journeys in the cases app.)"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from gridgov.browser_testing import PHONE, WIDE, new_page, note_overflow
from gridgov.cases.models import Case
from gridgov.cases.states import OPEN_STATES, State
from gridgov.cases.tests.test_journey_browser import log_in
from gridgov.core.access import Role
from gridgov.testing import build_tree, make_user
from gridgov.web.tests.test_roles_browser import _some_cases

pytestmark = [pytest.mark.browser]

SIZES = [pytest.param(WIDE, id="1440px"), pytest.param(PHONE, id="390px")]


@pytest.mark.parametrize("size", SIZES)
def test_the_town_official_accepts_what_was_escalated_to_the_town(
    transactional_db, live_server, browser, size
):
    # given cases left unaccepted by the village until the town got them
    cache.clear()
    tree = build_tree()
    _some_cases(tree)
    official = make_user(Role.TOWN_OFFICIAL, tree.towns[0], username="town_person")
    waiting = set(
        Case.objects.filter(handling_code=tree.towns[0], state=State.REPORTED).values_list(
            "number", flat=True
        )
    )
    assert waiting
    errors: list[str] = []
    overflow: list[str] = []
    page = new_page(browser, size, errors)
    # when they open the list of what waits for the town's acceptance from their home
    log_in(page, live_server.url, official)
    note_overflow(page, size, "home", overflow)
    link = page.locator(f"section[data-unit='{tree.towns[0]}'] a[data-waiting='accept']")
    assert link.locator(".count").inner_text() == str(len(waiting))
    with page.expect_navigation():
        link.click()
    note_overflow(page, size, "list to accept", overflow)
    # and select them all (the table's head box; on a phone, the box above the cards) and accept
    page.locator("[data-select-all]:visible").check()
    ticked = page.locator("input[name='cases']:checked")
    assert {ticked.nth(i).get_attribute("value") for i in range(ticked.count())} == waiting
    with page.expect_navigation():
        page.click("button[data-bulk='accept']")
    # then the town works on them now
    states = set(Case.objects.filter(number__in=waiting).values_list("state", flat=True))
    assert states == {State.ACCEPTED}
    note_overflow(page, size, "after accepting", overflow)
    assert overflow == []
    assert errors == []


@pytest.mark.parametrize("size", SIZES)
def test_the_county_leader_follows_the_open_count_to_those_cases(
    transactional_db, live_server, browser, size
):
    # given
    cache.clear()
    tree = build_tree()
    _some_cases(tree)
    leader = make_user(Role.COUNTY_LEADER, tree.county, username="leader_person")
    errors: list[str] = []
    overflow: list[str] = []
    page = new_page(browser, size, errors)
    # when they open their home and click the county's open count
    log_in(page, live_server.url, leader)
    note_overflow(page, size, "home", overflow)
    shown = int(page.locator("a[data-figure='open'] .count").inner_text())
    with page.expect_navigation():
        page.click("a[data-figure='open']")
    # then the list holds exactly that many cases, each open
    listed = page.locator("[data-case]")
    numbers = {listed.nth(i).get_attribute("data-case") for i in range(listed.count())}
    expected = set(Case.objects.filter(state__in=OPEN_STATES).values_list("number", flat=True))
    assert shown == len(numbers) == len(expected)
    assert numbers == expected
    note_overflow(page, size, "all cases", overflow)
    assert overflow == []
    assert errors == []


@pytest.mark.parametrize("size", SIZES)
def test_the_auditor_filters_the_log_by_a_kind_of_action(
    transactional_db, live_server, browser, size
):
    # given cases reported and moved along (each step a row of the log)
    cache.clear()
    tree = build_tree()
    _some_cases(tree)
    auditor = make_user(Role.AUDITOR, tree.county, username="auditor_person")
    errors: list[str] = []
    overflow: list[str] = []
    page = new_page(browser, size, errors)
    # when they open the log from their home and keep only the cases' rows
    log_in(page, live_server.url, auditor)
    with page.expect_navigation():
        page.click("#audit-section a")
    page.select_option("#id_action", "case.")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    # then every row is a case's, read by its label, the person by name
    rows = page.locator("tr[data-sequence]")
    assert rows.count() > 0
    text = page.inner_text("table")
    assert "case." not in text
    assert "case_worker" in text  # the login name beside the name
    note_overflow(page, size, "audit log", overflow)
    assert overflow == []
    assert errors == []
