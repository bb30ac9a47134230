"""The mediator's journey in a real browser, at a desk and on a phone: a walk-in dispute is
registered at the town centre's desk (the place chosen by name) and taken on there and then; two
mediation sessions are scheduled and recorded; the agreement is recorded and its PDF downloaded
(its text names the parties and the terms agreed); the follow-up visit is recorded; the town
official verifies and closes the case; and the town's analysis report for the month counts the
dispute, its figure leading to the file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from gridgov.browser_testing import PHONE, WIDE, new_page, note_overflow
from gridgov.cases.models import Case
from gridgov.cases.tests.test_journey_browser import log_in, take
from gridgov.core.access import Role
from gridgov.mediation.models import MediationFile
from gridgov.mediation.tests.conftest import APPLICANT, ID_NUMBER, RESPONDENT, TERMS, add_centres
from gridgov.mediation.tests.conftest import PHONE as APPLICANT_PHONE
from gridgov.testing import build_tree, make_user

pytestmark = [pytest.mark.browser]

FACTS = "楼上卫生间漏水，损坏楼下天花板，双方就维修费用争执不下，来镇调解中心窗口求助。"


def submit(page: Any, form: str) -> None:
    """Submit a form of the file's page and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


@pytest.mark.parametrize("size", [WIDE, PHONE], ids=["1440px", "390px"])
def test_a_walk_in_dispute_is_mediated_agreed_followed_up_closed_and_counted(
    transactional_db, live_server, browser, tmp_path: Path, size: dict[str, int]
):
    # given the test county with its mediation centres, a mediator and an official of the town
    cache.clear()
    tree = build_tree()
    town = tree.towns[0]
    centres = add_centres(tree)
    mediator = make_user(Role.MEDIATOR, town, username="zhao_mediator")
    official = make_user(Role.TOWN_OFFICIAL, town, username="qian_official")
    grid = tree.grids[0]
    base = live_server.url
    errors: list[str] = []
    overflow: list[str] = []
    desk: Any = new_page(browser, size, errors)

    def fits(page: Any, what: str) -> None:
        note_overflow(page, size, what, overflow)

    # when the mediator opens the desk's form from the menu and registers the walk-in
    log_in(desk, base, mediator)
    # (the menu link is followed to its page before the page is measured)
    with desk.expect_navigation():
        desk.click("header nav a[href='/mediation/register/']")
    fits(desk, "registration form")
    desk.select_option("#id_centre", str(centres[town].pk))
    desk.select_option("#id_category", "dispute-neighbour")
    desk.select_option("#id_channel", "walk_in")
    desk.fill("#id_title", "楼上漏水纠纷")
    desk.fill("#id_facts", FACTS)
    # (the place is chosen by its name, the grid's village named beside it)
    place = desk.locator(f"#id_region_code option[value='{grid}']").inner_text()
    assert tree.names[grid] in place
    assert tree.names[tree.villages[0]] in place
    desk.select_option("#id_region_code", grid)
    desk.fill("#id_amount_involved", "3000")
    desk.fill("#id_applicant_name", APPLICANT)
    desk.fill("#id_applicant_id_number", ID_NUMBER)
    desk.fill("#id_applicant_phone", APPLICANT_PHONE)
    desk.fill("#id_respondent_name", RESPONDENT)
    submit(desk, "form.case-form")
    # then the file opens, the case is the mediator's and in progress (taken at the desk)
    file = MediationFile.objects.get()
    assert desk.url.endswith(f"/mediation/files/{file.number}/")
    assert (file.case.state, file.case.assignee_id) == ("in_progress", mediator.pk)
    assert APPLICANT_PHONE not in desk.content()
    fits(desk, "new file")

    # when they schedule two sessions and write each one's record
    today = timezone.localdate()
    for number, (hour, record) in enumerate(
        [("09:30", "双方陈述事实，对维修费用分歧较大。"), ("15:00", "现场查看后双方同意调解。")]
    ):
        desk.fill("#id_starts_at", f"{today.isoformat()}T{hour}")
        desk.fill("#id_place", "城关街道矛盾纠纷调处中心调解室")
        desk.fill("#id_participants", f"{APPLICANT}、{RESPONDENT}、调解员")
        submit(desk, f"form[action='/mediation/files/{file.number}/sessions/']")
        session = file.sessions.order_by("-id").first()
        assert session is not None
        assert file.sessions.count() == number + 1
        desk.fill(f"div[data-session='{session.pk}'] textarea[name=record]", record)
        submit(desk, f"div[data-session='{session.pk}'] form")
        assert record in desk.inner_text(f"div[data-session='{session.pk}']")
    fits(desk, "file with two sessions")

    # when they record the agreement
    deadline = today.replace(day=min(today.day, 28))
    desk.select_option("#id_outcome", "agreement")
    desk.fill("#id_responsibilities", "楼上住户对漏水负主要责任。")
    desk.fill("#id_agreed_terms", TERMS)
    desk.fill("#id_performance_method", "现金一次性支付")
    desk.fill("#id_performance_place", "城关街道矛盾纠纷调处中心")
    desk.fill("#id_performance_deadline", deadline.isoformat())
    submit(desk, f"form[action='/mediation/files/{file.number}/outcome/']")
    # then the case is resolved with it
    assert desk.locator("[data-outcome='agreement']").count() == 1
    assert Case.objects.get(pk=file.case_id).state == "resolved"
    fits(desk, "agreed file")
    # and the agreement's PDF downloads, its text naming both parties and the terms
    with desk.expect_download() as download_info:
        desk.click("a[data-document='agreement']")
    saved = tmp_path / "agreement.pdf"
    download_info.value.save_as(saved)
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "人民调解协议书" in text
    assert APPLICANT in text
    assert RESPONDENT in text
    assert TERMS in text

    # when the follow-up visit falls due, it shows on the mediator's home; they record it
    with desk.expect_navigation():
        desk.click("header nav a[href='/mediation/']")
    follow = desk.locator(f"li[data-follow-up='{file.number}'] a")
    fits(desk, "mediator's home")
    with desk.expect_navigation():
        follow.click()
    desk.select_option("#id_performed", "yes")
    desk.fill("#id_note", "回访：已按约定支付修缮费，双方无异议。")
    submit(desk, f"form[action='/mediation/files/{file.number}/follow-up/']")
    assert desk.locator("[data-followed-up]").count() == 1

    # when the town official finds the case waiting for verification, verifies and closes it
    office: Any = new_page(browser, size, errors)
    log_in(office, base, official)
    to_verify = office.locator("a[data-waiting='verify']")
    with office.expect_navigation():
        to_verify.click()
    with office.expect_navigation():
        office.locator(f"[data-case='{file.case.number}'] a.code").first.click()
    fits(office, "case to verify")
    take(office, "verify")
    take(office, "close")
    assert Case.objects.get(pk=file.case_id).state == "closed"

    # when the official opens the analysis report from the menu (their town, this month)
    with office.expect_navigation():
        office.click("header nav a[href='/mediation/analysis/']")
    assert tree.names[town] in office.inner_text("#report-period")
    fits(office, "analysis report")
    # then it counts the dispute as accepted and resolved by a town centre
    accepted = office.locator("tr[data-figure='disputes_accepted'] a[data-count]")
    resolved = office.locator("tr[data-figure='resolved_by_town_centres'] a[data-count]")
    assert (accepted.inner_text(), resolved.inner_text()) == ("1", "1")
    # and the figure leads to the file behind it
    with office.expect_navigation():
        resolved.click()
    assert office.locator(f"#files tr[data-file='{file.number}']").count() == 1
    fits(office, "files behind a figure")
    assert overflow == []
    assert errors == []
