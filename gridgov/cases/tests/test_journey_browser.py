"""Issue 3's journey in a real browser: a resident reports on the public page, the village
secretary accepts and dispatches it, the grid worker starts and resolves it on a phone, the
secretary (not the handler) finds it on their home's list to verify, verifies and closes it, and
the resident rates it.

Drives Debian's Chromium through Playwright, as gridgov/web/tests/test_browser.py does; skipped
when Chromium is missing unless GRIDGOV_REQUIRE_BROWSER is set.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from gridgov.accounts.models import User
from gridgov.browser_testing import PHONE, WIDE, new_page, note_overflow, page_width
from gridgov.cases.models import Case
from gridgov.cases.states import State
from gridgov.core.access import Role
from gridgov.testing import TEST_PASSWORD, build_tree, make_user

pytestmark = [pytest.mark.browser]

DESCRIPTION = "村口路灯坏了一个多月，晚上看不清路"


def log_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def take(page: Any, action: str) -> None:
    """Submit the case page's form for `action` and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(f"form[data-action='{action}'] button[type=submit]")


def state_of(page: Any) -> str:
    """The case page's state, from its badge's class (state-<value>): the label itself is
    translated."""
    classes = page.get_attribute(".case-head .state", "class") or ""
    found = re.search(r"state-(\w+)", classes)
    return found.group(1) if found else ""


def answer_of(question: str) -> str:
    """The sum the challenge asks for, read from its text as a person would."""
    numbers = [int(number) for number in re.findall(r"\d+", question)]
    assert len(numbers) == 2, question
    return str(sum(numbers))


# Each person's pages at both widths: the resident and the grid worker on a phone and the
# secretary at a desk, then the other way round (a resident at a desk, a secretary on a phone).
LAYOUTS = {
    "people on phones, the office at a desk": (PHONE, WIDE, PHONE),
    "the resident at a desk, the office on a phone": (WIDE, PHONE, WIDE),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_report_goes_from_a_resident_to_a_grid_worker_and_back(
    transactional_db, live_server, browser, tmp_path: Path, layout: str
):
    # given the test tree, the first village's secretary and the grid worker of its first grid
    cache.clear()  # public rate limits live in the cache
    tree = build_tree()
    secretary = make_user(Role.VILLAGE_SECRETARY, tree.villages[0], username="li_secretary")
    worker = make_user(Role.GRID_WORKER, tree.grids[0], username="zhang_worker")
    base = live_server.url
    errors: list[str] = []
    resident_size, office_size, worker_size = LAYOUTS[layout]
    overflow: list[str] = []

    def fits(page: Any, size: dict[str, int], what: str) -> None:
        note_overflow(page, size, what, overflow)

    # when a resident reports on the public page, from a phone
    # (starting from the site's front page, as a person who has only heard of it does)
    resident = new_page(browser, resident_size, errors)
    resident.goto(f"{base}/")
    fits(resident, resident_size, "front page")
    opened = time.monotonic()
    with resident.expect_navigation():
        resident.click("main a[href='/public/report/']")
    resident.wait_for_selector("#report-map.is-loaded")
    fits(resident, resident_size, "public report form")
    resident.select_option("#id_category_group", "infrastructure")
    resident.select_option("#id_category", "infrastructure-streetlight")
    resident.fill("#id_description", DESCRIPTION)
    # (tapping the first village a little north-west of its middle: the first grid's north half)
    village = resident.locator("#report-map path").nth(1)
    box = village.bounding_box()
    village.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.3})
    question = resident.inner_text("#challenge-question")
    resident.fill("#id_challenge_answer", answer_of(question))
    # nobody describes a problem in under 3 seconds; the form refuses faster answers
    time.sleep(max(0.0, 3.5 - (time.monotonic() - opened)))
    with resident.expect_navigation():
        resident.click("#report-form button[type=submit]")
    # then the page gives a tracking number and the case number
    tracking = resident.inner_text("#tracking-number strong").strip()
    number = resident.inner_text("#case-number").strip()
    code = resident.inner_text("#short-code").strip()
    assert re.fullmatch(r"610324-\d{8}-\d{6}", number)
    assert tracking
    fits(resident, resident_size, "report received")

    # when the village secretary finds it in the work queue and accepts it
    office = new_page(browser, office_size, errors)
    log_in(office, base, secretary)
    with office.expect_navigation():
        office.click("header nav a[href='/cases/queue/']")
    fits(office, office_size, "work queue")
    row = office.locator(f"tr[data-case='{number}']")
    assert DESCRIPTION[:10] in row.inner_text()
    with office.expect_navigation():
        row.locator("a.code").click()
    assert state_of(office) == State.REPORTED
    fits(office, office_size, "case page")
    take(office, "accept")
    assert state_of(office) == State.ACCEPTED
    # and dispatches it to the grid worker of that grid
    office.select_option("#assignee-dispatch", str(worker.pk))
    take(office, "dispatch")
    # then the case page says so
    assert state_of(office) == State.DISPATCHED
    assert "zhang_worker" in office.inner_text("dl.facts")

    # when the grid worker opens their tasks on a phone
    phone = new_page(browser, worker_size, errors)
    log_in(phone, base, worker)
    inbox_link = phone.locator("header nav a[href='/inbox/']").inner_text()
    phone.click("header nav a[href='/cases/tasks/']")
    task = phone.locator(f"li[data-case='{number}']")
    # then the case is there, with its place, and the dispatch reached their inbox
    assert DESCRIPTION[:10] in task.inner_text()
    assert "(1)" in inbox_link
    tasks_shot = tmp_path / "worker-tasks-phone.png"
    phone.screenshot(path=str(tasks_shot), full_page=True)
    tasks_width = page_width(phone)

    # when they start it from the list
    with phone.expect_navigation():
        task.locator("form:has(input[name=action][value=start]) button").click()
    # then it is in progress, and the list offers to resolve it
    assert phone.locator(f"li[data-case='{number}'] .state-in_progress").count() == 1
    # and its case page at phone width shows the timeline, the map and what they may do
    phone.click(f"li[data-case='{number}'] h2 a")
    phone.wait_for_selector("#case-map.is-loaded")
    # (the case's point, and the outline of the worker's grid around it)
    # (a locator waits without evaluating a string, which the pages' CSP forbids when it polls)
    phone.locator("#case-map path").nth(1).wait_for(state="attached")
    assert state_of(phone) == State.IN_PROGRESS
    assert phone.locator("form[data-action='resolve']").count() == 1
    assert phone.locator("form[data-action='verify']").count() == 0
    case_shot = tmp_path / "worker-case-phone.png"
    phone.screenshot(path=str(case_shot), full_page=True)
    case_width = page_width(phone)

    # when they resolve it from the task list, saying what was done
    phone.click("header nav a[href='/cases/tasks/']")
    resolve = phone.locator(f"li[data-case='{number}'] form:has(input[value=resolve])")
    resolve.locator("textarea[name=note]").fill("已更换灯泡，路灯恢复照明")
    with phone.expect_navigation():
        resolve.locator("button").click()
    # then it leaves their list
    assert phone.locator(f"li[data-case='{number}']").count() == 0

    # when another officer, the secretary, opens their home: the case waits for them to verify
    office.goto(f"{base}/")
    fits(office, office_size, "home")
    to_verify = office.locator("a[data-waiting='verify']")
    assert to_verify.locator(".count").inner_text() == "1"
    with office.expect_navigation():
        to_verify.click()
    # then the list to verify holds it; they open it from there, check the work and close it
    listed = office.locator(f"tr[data-case='{number}']")
    assert listed.count() == 1
    fits(office, office_size, "list to verify")
    with office.expect_navigation():
        listed.locator("a.code").click()
    assert state_of(office) == State.RESOLVED
    take(office, "verify")
    assert state_of(office) == State.VERIFIED
    take(office, "close")
    # then it is closed, and its timeline tells the whole story in order
    assert state_of(office) == State.CLOSED
    timeline = office.eval_on_selector_all(
        "ol.timeline li", "items => items.map(item => item.dataset.action)"
    )
    assert timeline == ["report", "accept", "dispatch", "start", "resolve", "verify", "close"]
    fits(office, office_size, "closed case page")

    # when the resident looks the report up by its number and the code, read out in lower case
    # as one would over the phone, and rates the handling
    resident.goto(f"{base}/public/track/")
    resident.fill("#id_number", number)
    resident.fill("#id_code", " ".join(code.lower()))
    with resident.expect_navigation():
        resident.click("#track-by-code button[type=submit]")
    assert resident.locator("#state.state-closed").count() == 1
    fits(resident, resident_size, "status page")
    steps_before = resident.locator("#steps li").count()
    resident.check("#rate-form input[name=rating][value='5']")
    resident.fill("#id_comment", "修得很快，谢谢")
    with resident.expect_navigation():
        resident.click("#rate-form button[type=submit]")
    # then the page shows the rating, as a step of its own, and nobody's name
    assert "5" in resident.inner_text("#rated")
    assert resident.locator("#steps li").count() == steps_before + 1
    assert "5" in resident.locator("#steps li").last.inner_text()
    status_body = resident.content()
    assert "zhang_worker" not in status_body
    assert "li_secretary" not in status_body
    case = Case.objects.get(number=number)
    assert (case.state, case.rating, case.tracking_token) == (State.CLOSED, 5, tracking)
    assert case.resolved_by_id == worker.pk

    # and nothing made anybody scroll sideways, at either width; no script failed
    assert tasks_width <= worker_size["width"]
    assert case_width <= worker_size["width"]
    assert overflow == []
    assert tasks_shot.stat().st_size > 0
    assert case_shot.stat().st_size > 0
    assert errors == []
