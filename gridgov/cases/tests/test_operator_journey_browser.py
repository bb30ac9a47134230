"""The hotline operator's journey in a real browser, at a desk and on a phone: from the home page
to the report form, which starts on the hotline channel; the caller's phone brings up their
earlier case; the place is found by typing part of its name; the report is filed there."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from gridgov.browser_testing import PHONE, WIDE, new_page, page_width
from gridgov.cases import forms
from gridgov.cases.models import Case, Category, Channel
from gridgov.cases.services import CaseInput, case_report
from gridgov.cases.tests.test_journey_browser import log_in
from gridgov.core.access import Role
from gridgov.testing import build_tree, make_user

pytestmark = [pytest.mark.browser]

CALLER = "13912345678"


@pytest.mark.parametrize("size", [WIDE, PHONE], ids=["1440px", "390px"])
def test_the_operator_takes_a_call_and_files_it_where_the_caller_lives(
    transactional_db, live_server, browser, monkeypatch, size: dict[str, int]
):
    # given the test county (its places searched by name, as a real county's are), an operator,
    # and a case the caller reported before
    cache.clear()
    monkeypatch.setattr(forms, "PLACE_SELECT_MAX", 5)
    tree = build_tree()
    operator = make_user(Role.COUNTY_OPERATOR, tree.county, username="wang_operator")
    earlier = case_report(
        actor=None,
        data=CaseInput(
            category_code="infrastructure-road",
            description="上个月反映的村口路面塌陷",
            channel="hotline",
            region_code=tree.grids[0],
            address="村口",
            reporter_phone=CALLER,
        ),
    )
    village = tree.names[tree.villages[1]]
    errors: list[str] = []
    page: Any = new_page(browser, size, errors)
    base = live_server.url
    # when the operator opens the report form from the menu
    log_in(page, base, operator)
    page.click("header nav a[href='/cases/report/']")
    # then it starts on the hotline, with a place search instead of a list of every place
    assert page.input_value("#id_channel") == Channel.HOTLINE
    assert page.locator("select#id_region_code").count() == 0
    # when they type the caller's phone
    page.fill("#id_reporter_phone", CALLER)
    page.press("#id_reporter_phone", "Tab")
    # then the caller's earlier case shows, with its state, the phone masked
    earlier_item = page.locator(f"#caller-cases li[data-case='{earlier.number}']")
    earlier_item.wait_for()
    assert "上个月反映" in earlier_item.inner_text()
    assert CALLER not in page.inner_text("#caller-cases")
    # when they type part of the village's name and choose the village's second grid
    page.fill("#id_place_query", village[-3:])
    grid = page.locator(f"#place-results [data-place-code='{tree.villages[1]}002']")
    grid.click()
    # then the form says which place was chosen, by name
    assert tree.names[tree.villages[1]] in page.inner_text("[data-place-chosen]")
    assert page.input_value("#id_region_code") == f"{tree.villages[1]}002"
    # when they fill in the rest and submit
    group = Category.objects.get(code="infrastructure").name
    page.select_option("#id_category_group", label=group)
    page.select_option("#id_category", "infrastructure-streetlight")
    page.fill("#id_description", "来电反映：村里路灯不亮")
    page.fill("#id_address", "二组路口")
    width = page_width(page)
    with page.expect_navigation():
        page.click("form.case-form button[type=submit]")
    # then the case is filed on the hotline at that grid, and nothing made them scroll sideways
    case = Case.objects.exclude(pk=earlier.pk).get()
    assert (case.channel, case.region_code) == (Channel.HOTLINE, f"{tree.villages[1]}002")
    assert page.url.endswith(f"/cases/{case.number}/")
    assert width <= size["width"]
    assert page_width(page) <= size["width"]
    assert errors == []
