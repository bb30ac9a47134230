"""The issue's journey in a real browser: a grid worker on a phone records a household visit and
reports a problem found on patrol; the town official at a desk recomputes the month's scores,
sees the worker's score change, follows a component to the records behind it and issues a
supervision order, which the worker answers on the phone; the official sees the response. Pages
name people and places (never their codes) and nothing is wider than the screen."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from gridgov.assessment.models import Score, SupervisionOrder
from gridgov.assessment.services.scoring import scores_compute
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


def click(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_workers_visit_and_report_change_their_score_and_an_order_is_answered(
    transactional_db, live_server, browser
):
    # given a grid worker with a household on their round, and their town's official
    cache.clear()
    tree = build_tree()
    grid = tree.grids[0]
    micro = next(code for code in tree.micro_grids if code.startswith(grid))
    write_register(grid_codes=[micro], households_per_grid=1)
    household = Household.objects.get(region_code=micro)
    worker = make_user(Role.GRID_WORKER, grid, username="wang_gridworker")
    worker.display_name = "王网格"
    worker.save(update_fields=["display_name"])
    official = make_user(Role.TOWN_OFFICIAL, tree.towns[0], username="li_town")
    official.display_name = "李镇长"
    official.save(update_fields=["display_name"])
    category = Category.objects.filter(is_active=True, is_dispute=False, children=None).first()
    assert category is not None
    # and this month's scores as they stood before (the periodic task computes them)
    month = timezone.localdate().replace(day=1)
    scores_compute(month=month)
    score = Score.objects.get(month=month, subject=f"user:{worker.pk}")
    before = score.total
    point = to_shape(tree.region(grid).boundary or {}).representative_point()
    base = live_server.url
    errors: list[str] = []
    overflow: list[str] = []
    phone = browser.new_context(
        locale="zh-CN",
        viewport=PHONE,
        geolocation={"latitude": point.y, "longitude": point.x, "accuracy": 15},
        permissions=["geolocation"],
    ).new_page()
    desk = browser.new_context(locale="zh-CN", viewport=WIDE).new_page()
    for page in (phone, desk):
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda message: collect_errors(message, errors))

    def fits(page: Any, what: str) -> None:
        note_overflow(page, PHONE if page is phone else WIDE, what, overflow)

    def no_codes(page: Any, what: str) -> None:
        text = page.inner_text("main")
        for code in (grid, tree.villages[0], tree.towns[0]):
            assert code not in text, f"{what} shows the code {code}"

    # when the worker, on the phone, records a visit to the household
    log_in(phone, base, worker)
    phone.goto(f"{base}/round/households/{household.pk}/visit/")
    fits(phone, "visit form")
    phone.fill("#id_found", "老人身体健康，生活正常")
    submit(phone, "#visit-form")
    # and reports a problem found on patrol
    phone.goto(f"{base}/activities/patrol/")
    submit(phone, "#start-form")
    click(phone, "#problem-link")
    fits(phone, "problem form")
    phone.select_option("#id_category", category.code)
    phone.fill("#id_description", "路边井盖缺失，存在安全隐患")
    submit(phone, "#problem-form")
    case = Case.objects.get()
    assert (case.channel, case.reporter_id) == ("grid_patrol", worker.pk)
    phone.fill("#id_outcome", "巡查完毕")
    submit(phone, "#finish-form")

    # then the town official, at a desk, finds the worker's score of the month by name
    log_in(desk, base, official)
    desk.goto(f"{base}/assessment/?month={month:%Y-%m}")
    fits(desk, "scores")
    row = desk.locator(f"#scores-worker tr[data-score='{score.pk}']")
    assert "王网格" in row.inner_text()
    click(desk, f"#scores-worker tr[data-score='{score.pk}'] a")
    assert "王网格" in desk.inner_text("h1")
    assert tree.names[grid] in desk.inner_text("main")
    assert Decimal(desk.inner_text("#total")) == before
    no_codes(desk, "score before")
    # recomputes it from the records and sees it change
    click(desk, "#recompute")
    after = Decimal(desk.inner_text("#total"))
    assert after > before
    assert after == Score.objects.get(pk=score.pk).total
    fits(desk, "score after")
    no_codes(desk, "score after")
    # follows the reports made to the records behind them: the case just reported
    reports = desk.locator("tr[data-indicator='reports_made']")
    assert "1" in reports.inner_text()
    click(desk, "tr[data-indicator='reports_made'] a.records")
    assert case.number in desk.inner_text("main")
    fits(desk, "records of the reports")
    desk.go_back()
    # and issues a supervision order to the worker
    click(desk, "#supervise")
    desk.fill("#id_request", "本月走访偏少，请每周至少走访三户重点户。")
    desk.fill("#id_deadline_on", f"{timezone.localdate() + timedelta(days=7):%Y-%m-%d}")
    fits(desk, "order form")
    submit(desk, "main form.case-form")
    order = SupervisionOrder.objects.get()
    assert order.addressee_id == worker.pk
    assert "王网格" in desk.inner_text("main")
    no_codes(desk, "order")

    # when the worker, on the phone, opens the order from their list and answers it
    phone.goto(f"{base}/assessment/orders/")
    fits(phone, "orders")
    click(phone, f"a[href='/assessment/orders/{order.number}/']")
    fits(phone, "order")
    phone.fill("#id_response", "已制定走访计划，本周走访三户。")
    submit(phone, f"form[action='/assessment/orders/{order.number}/respond/']")
    order.refresh_from_db()
    assert order.state == "responded"

    # then the official sees the response
    desk.reload()
    assert "已制定走访计划" in desk.inner_text("#response")
    assert "王网格" in desk.inner_text("#response")
    fits(desk, "order answered")
    assert not errors, errors
    assert not overflow, overflow
