"""The terminal map and the public alerts in a real browser, at 1,440 px and at 390 px: the
operator sees each positioned terminal as a dot coloured by its status; a resident reads the
alerts without logging in; nothing is wider than the screen and no script fails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from gridgov.broadcast.models import Broadcast, Terminal, TerminalKind, TerminalStatus
from gridgov.broadcast.states import State
from gridgov.browser_testing import PHONE, WIDE, new_page, note_overflow
from gridgov.cases.tests.test_journey_browser import log_in
from gridgov.core.access import Role
from gridgov.testing import build_tree, make_user

pytestmark = [pytest.mark.browser]

SIZES = [pytest.param(WIDE, id="1440px"), pytest.param(PHONE, id="390px")]
STATUSES = [TerminalStatus.ONLINE, TerminalStatus.OFFLINE, TerminalStatus.FAULTY]


@pytest.mark.parametrize("size", SIZES)
def test_the_operator_sees_the_terminals_on_the_map_by_status(
    transactional_db, live_server, browser, size
):
    # given loudspeakers in every village, one in each status in turn, inside their village
    cache.clear()
    tree = build_tree()
    for index, village in enumerate(tree.villages):
        boundary = tree.region(village).boundary
        assert boundary is not None
        outline = boundary["coordinates"][0]
        lng = sum(point[0] for point in outline[:4]) / 4
        lat = sum(point[1] for point in outline[:4]) / 4
        Terminal(
            code=f"L{village}",
            name=f"{tree.names[village]}大喇叭",
            kind=TerminalKind.LOUDSPEAKER,
            region_code=village,
            longitude=lng,
            latitude=lat,
            status=STATUSES[index % len(STATUSES)],
        ).save()
    operator = make_user(Role.COUNTY_OPERATOR, tree.county, username="map_operator")
    errors: list[str] = []
    overflow: list[str] = []
    page = new_page(browser, size, errors)
    # when they open the terminal page from the menu
    log_in(page, live_server.url, operator)
    page.goto(f"{live_server.url}/broadcast/terminals/")
    page.wait_for_selector("#terminal-map.is-loaded")
    # then every terminal is a dot of its status's colour, and the table lists them all
    for status in STATUSES:
        expected = Terminal.objects.filter(status=status).count()
        assert page.locator(f"#terminal-map path.terminal-point.status-{status}").count() == (
            expected
        )
    assert page.locator("tr[data-terminal]").count() == len(tree.villages)
    note_overflow(page, size, "terminals", overflow)
    assert overflow == []
    assert errors == []


@pytest.mark.parametrize("size", SIZES)
def test_a_resident_reads_the_alerts_from_the_public_pages(
    transactional_db, live_server, browser, size
):
    # given an approved flood warning for a village
    cache.clear()
    tree = build_tree()
    composer = make_user(Role.COUNTY_OPERATOR, tree.county, username="alert_operator")
    now = timezone.now()
    message = Broadcast(
        title="渭河防汛紧急通知",
        text="渭河水位上涨，沿河群众请立即向高处转移，不要在河边逗留。" * 3,
        kind="flood",
        severity="Severe",
        urgency="Immediate",
        certainty="Likely",
        target_codes=[tree.villages[0]],
        expires_at=now + timedelta(hours=6),
        state=State.APPROVED,
        composer=composer,
        created_at=now,
        updated_at=now,
        approved_at=now,
    )
    message.set_region_code(tree.villages[0])
    message.save()
    errors: list[str] = []
    overflow: list[str] = []
    page = new_page(browser, size, errors)
    # when a resident, not logged in, follows the public menu to the alerts
    page.goto(f"{live_server.url}/public/track/")
    with page.expect_navigation():
        page.click(".public-nav a[href='/public/alerts/']")
    # then the warning is there with its place by name, and the feed is offered
    alert = page.locator(f"#alert-{message.identifier}")
    assert alert.locator("h2").inner_text() == message.title
    assert tree.names[tree.villages[0]] in alert.inner_text()
    assert page.locator("a[data-feed]").get_attribute("href") == "/public/alerts.atom"
    note_overflow(page, size, "alerts", overflow)
    assert overflow == []
    assert errors == []
