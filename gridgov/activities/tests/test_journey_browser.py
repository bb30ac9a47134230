"""A grid worker's patrol in a real browser, on a phone and at a desk: they open "my patrol" from
the menu, start a patrol, check in where the phone places them (its geolocation, inside their
grid), report a problem found as a case in one step, finish the patrol, then record a visit to a
household of their round; the activity log shows the patrol and the visit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from gridgov.activities.models import Activity, ActivityKind, CheckIn
from gridgov.browser_testing import PHONE, TIMEOUT_MS, WIDE, collect_errors, note_overflow
from gridgov.cases.models import Case, Category
from gridgov.cases.tests.test_journey_browser import log_in
from gridgov.core.access import Role
from gridgov.demo.people import write_register
from gridgov.people.models import Household
from gridgov.regions.geometry import to_shape
from gridgov.testing import build_tree, make_user

pytestmark = [pytest.mark.browser]


def submit(page: Any, form: str) -> None:
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


@pytest.mark.parametrize("size", [PHONE, WIDE], ids=["390px", "1440px"])
def test_a_grid_worker_patrols_reports_a_problem_and_logs_a_visit(
    transactional_db, live_server, browser, size: dict[str, int]
):
    # given a grid worker of the test county, with a household on their round
    cache.clear()
    tree = build_tree()
    grid = tree.grids[0]
    micro = next(code for code in tree.micro_grids if code.startswith(grid))
    write_register(grid_codes=[micro], households_per_grid=1)
    household = Household.objects.get(region_code=micro)
    worker = make_user(Role.GRID_WORKER, grid, username="wang_gridworker")
    point = to_shape(tree.region(grid).boundary or {}).representative_point()
    category = Category.objects.filter(is_active=True, is_dispute=False, children=None).first()
    assert category is not None
    base = live_server.url
    errors: list[str] = []
    overflow: list[str] = []
    # (the phone shares its position, which lies in the worker's grid)
    context = browser.new_context(
        locale="zh-CN",
        viewport=size,
        geolocation={"latitude": point.y, "longitude": point.x, "accuracy": 15},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda message: collect_errors(message, errors))

    def fits(what: str) -> None:
        note_overflow(page, size, what, overflow)

    # when they open their patrol from the menu and start one
    log_in(page, base, worker)
    with page.expect_navigation():
        page.click("header nav a[href='/activities/patrol/']")
    fits("my patrol")
    submit(page, "#start-form")
    patrol = Activity.objects.get(kind=ActivityKind.PATROL, recorded_by=worker)
    assert patrol.ended_at is None
    assert page.locator("#patrol-under-way").count() == 1
    fits("patrol under way")

    # and check in where they stand
    page.fill("#id_note", "村口")
    submit(page, "#check-in-form")
    # then the check-in lies in their grid, named on the page
    check_in = CheckIn.objects.get(activity=patrol)
    assert check_in.grid_code == grid
    assert check_in.accuracy_m == 15
    assert tree.names[grid] in page.inner_text("#check-ins")
    fits("checked in")

    # when they report a problem found, in one step
    with page.expect_navigation():
        page.click("#problem-link")
    fits("problem form")
    page.select_option("#id_category", category.code)
    page.fill("#id_description", "路边井盖缺失，存在安全隐患")
    submit(page, "#problem-form")
    # then it is a grid-patrol case of their grid, linked to the patrol
    case = Case.objects.get()
    assert (case.channel, case.reporter_id) == ("grid_patrol", worker.pk)
    assert case.grid_code == grid
    assert list(patrol.cases.all()) == [case]
    assert case.number in page.inner_text("#patrol-cases")

    # when they finish the patrol
    page.fill("#id_outcome", "巡查完毕，发现井盖缺失一处已上报")
    submit(page, "#finish-form")
    patrol.refresh_from_db()
    assert patrol.ended_at is not None
    assert case.number in page.inner_text("#activity-cases")
    assert CheckIn.objects.filter(activity=patrol).count() == 2
    fits("finished patrol")

    # and record a visit to a household of their round
    page.goto(f"{base}/round/households/{household.pk}/visit/")
    page.fill("#id_found", "老人身体健康，生活正常")
    submit(page, "#visit-form")
    # then it is in their activity log as service management, beside the patrol
    visit = Activity.objects.get(kind=ActivityKind.SERVICE_MANAGEMENT, recorded_by=worker)
    assert visit.visit is not None
    assert visit.visit.household_id == household.pk
    page.goto(f"{base}/activities/?mine=on")
    rows = page.locator("#activities tbody tr")
    assert rows.count() == 2
    assert page.locator(f"tr[data-activity='{patrol.pk}']").count() == 1
    assert page.locator(f"tr[data-activity='{visit.pk}']").count() == 1
    fits("activity log")
    assert not errors, errors
    assert not overflow, overflow
    context.close()
