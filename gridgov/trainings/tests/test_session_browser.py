"""A village secretary records a training session's attendance in a real browser, on a phone
and at a desk: they open the session from its course, tick who attended and who passed with a
score, save, and see the certificate numbers; a pass ticked for someone absent comes back with
the reason and saves nothing. Nothing overflows the screen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache

from gridgov.browser_testing import PHONE, TIMEOUT_MS, WIDE, collect_errors, note_overflow
from gridgov.cases.tests.test_journey_browser import log_in
from gridgov.core.access import Role
from gridgov.testing import build_tree, make_user
from gridgov.trainings.models import Attendance, Certificate
from gridgov.trainings.tests.conftest import make_course, make_member, make_session, make_team

pytestmark = [pytest.mark.browser]


def submit(page: Any, form: str) -> None:
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


@pytest.mark.parametrize("size", [PHONE, WIDE], ids=["390px", "1440px"])
def test_a_secretary_ticks_the_roster_and_passes_earn_certificates(
    transactional_db, live_server, browser, size: dict[str, int]
):
    # given a village's legal understanders and a session of their course held yesterday
    cache.clear()
    tree = build_tree()
    village = tree.villages[0]
    secretary = make_user(Role.VILLAGE_SECRETARY, village, username="li_secretary")
    team = make_team(village)
    ann, bo, cy = (make_member(team, name) for name in ("李明白", "张学法", "赵守法"))
    course = make_course(village)
    session = make_session(course, village, starts_in=timedelta(days=-1))
    errors: list[str] = []
    overflow: list[str] = []
    context = browser.new_context(locale="zh-CN", viewport=size)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda message: collect_errors(message, errors))

    def fits(what: str) -> None:
        note_overflow(page, size, what, overflow)

    # when they open the session from its course
    log_in(page, live_server.url, secretary)
    page.goto(f"{live_server.url}/trainings/courses/{course.pk}/")
    fits("course")
    with page.expect_navigation():
        page.click(f"li[data-session='{session.pk}'] a")
    fits("session")
    # and tick a pass for someone who was absent
    page.check(f"input[name='passed_{cy.pk}']")
    submit(page, "#attendance-form")
    # then the page says why and nothing is saved
    assert "赵守法" in page.inner_text("#problems")
    assert Attendance.objects.count() == 0
    fits("refused")
    # (the browser logs the form's 400 as a failed load: that one was asked for)
    assert errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    errors.clear()
    # when they tick the roster as it was
    page.uncheck(f"input[name='passed_{cy.pk}']")
    for member in (ann, bo):
        page.check(f"input[name='attended_{member.pk}']")
    page.check(f"input[name='passed_{ann.pk}']")
    page.fill(f"input[name='score_{ann.pk}']", "92")
    page.fill(f"input[name='score_{bo.pk}']", "45")
    submit(page, "#attendance-form")
    # then ann passed with a certificate, bo attended, cy did not
    rows = {a.member_id: (a.attended, a.passed, a.score) for a in Attendance.objects.all()}
    assert rows == {ann.pk: (True, True, 92), bo.pk: (True, False, 45), cy.pk: (False, False, None)}
    number = Certificate.objects.get().number
    assert number in page.inner_text(f"li[data-member='{ann.pk}']")
    assert page.is_checked(f"input[name='attended_{bo.pk}']")
    fits("saved")
    assert not errors, errors
    assert not overflow, overflow
    context.close()
