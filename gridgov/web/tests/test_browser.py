"""A town official's journey in a real browser: log in, browse the region tree on the map, switch
to English, and the same page at a phone's width.

Drives Debian's Chromium through Playwright (no browser is downloaded). Skipped when Chromium is
missing, unless GRIDGOV_REQUIRE_BROWSER is set (CI sets it, so a missing browser fails there).
"""

from __future__ import annotations

from typing import Any

import pytest

from gridgov.browser_testing import PHONE, TIMEOUT_MS, collect_errors
from gridgov.core.access import Role
from gridgov.testing import TEST_PASSWORD, build_tree, make_user

pytestmark = [pytest.mark.browser]


def _wait_for_map(page: Any) -> int:
    """Wait until the map has drawn its data; the number of child polygons on it."""
    page.wait_for_selector("#region-map.is-loaded", timeout=TIMEOUT_MS)
    return int(page.locator("#region-map path.region-child").count())


def _row_names(page: Any) -> list[str]:
    return [
        name.strip()
        for name in page.locator("table.children tbody td:first-child").all_inner_texts()
    ]


def test_town_official_browses_their_town_on_the_map(
    transactional_db, live_server, browser, tmp_path
):
    # given: the test tree, and an official of the first town
    tree = build_tree()
    town, other_town = tree.towns
    official = make_user(Role.TOWN_OFFICIAL, town)
    villages = [code for code in tree.villages if code.startswith(town)]
    village = villages[0]
    grids = [code for code in tree.grids if code.startswith(village)]
    outside_names = [name for code, name in tree.names.items() if not code.startswith(town)]
    # The county's browsers ask for Chinese; the pages default to it too.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    console_errors: list[str] = []
    page.on("console", lambda message: collect_errors(message, console_errors))

    # when: logging in through the form
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", official.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    # then: the home page, in Chinese, shows the town
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert tree.names[town] in page.content()

    # when: opening the region browser from the navigation
    page.click("header nav a[href='/regions/']")
    page.wait_for_url(f"{live_server.url}/regions/{town}/")
    polygons = _wait_for_map(page)
    # then: one polygon per village listed, and only this town's villages
    assert _row_names(page) == [tree.names[code] for code in villages]
    assert polygons == len(villages)
    assert not [name for name in outside_names if name in page.content()]

    # when: selecting a village on the map
    page.locator("#region-map path.region-child").first.click()
    page.wait_for_url(f"{live_server.url}/regions/{village}/")
    polygons = _wait_for_map(page)
    # then: that village's grids, drawn and listed, and nothing of the other town
    assert _row_names(page) == [tree.names[code] for code in grids]
    assert polygons == len(grids)
    labels = page.locator(".leaflet-tooltip.region-label").all_text_contents()
    assert len(labels) == len(grids)
    assert all(any(tree.names[code].endswith(label) for code in grids) for label in labels)
    assert tree.names[other_town] not in page.content()
    assert not [name for name in outside_names if name in page.content()]

    # when: switching the interface to English
    page.click("button[data-lang='en']")
    page.wait_for_selector("html[lang='en']")
    _wait_for_map(page)
    # then: English labels
    assert page.locator("#children-title").inner_text().strip() == "Grids"
    assert page.locator("header nav button", has_text="Log out").count() == 1
    assert "Population" in page.locator("table.children thead").inner_text()
    page.screenshot(path=str(tmp_path / "region-desktop.png"), full_page=True)

    # when: the same page at a phone's width
    page.set_viewport_size(PHONE)
    page.reload()
    assert _wait_for_map(page) == len(grids)
    screenshot = tmp_path / "region-phone.png"
    page.screenshot(path=str(screenshot), full_page=True)
    # then: the map sits under the tree, and nothing makes the page scroll sideways
    tree_box = page.locator("section.tree").bounding_box()
    map_box = page.locator("#region-map").bounding_box()
    assert map_box["y"] >= tree_box["y"] + tree_box["height"]
    assert map_box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert screenshot.stat().st_size > 0
    assert console_errors == []
    context.close()
