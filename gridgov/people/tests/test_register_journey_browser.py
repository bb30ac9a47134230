"""The register's journey in a real browser, at 1,440 px and at 390 px with nothing wider than
the screen: the village secretary imports a small file with one bad row, reads the report, fixes
the row and imports it; finds the new resident (the ID number masked), reads it in full with a
written reason; the auditor sees that reading in the log, by name; and a visitor with no account
opens the village's card from the address its QR code holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from gridgov.browser_testing import PHONE, WIDE, new_page, note_overflow
from gridgov.cases.tests.test_journey_browser import log_in
from gridgov.core.access import Role
from gridgov.people.models import Resident
from gridgov.people.tests.test_spreadsheets import new_id, row, workbook
from gridgov.testing import build_tree, make_user

pytestmark = [pytest.mark.browser]

SIZES = [pytest.param(WIDE, id="1440px"), pytest.param(PHONE, id="390px")]


def _file(tmp_path: Path, name: str, rows: list[list[object]]) -> Path:
    path = tmp_path / name
    path.write_bytes(workbook(rows).read())
    return path


def _import(page, path: Path, *, dry_run: bool) -> None:
    page.set_input_files("#import-form input[type=file]", str(path))
    page.set_checked("#import-form input[type=checkbox]", dry_run)
    with page.expect_navigation():
        page.click("#import-form button[type=submit]")


@pytest.mark.parametrize("size", SIZES)
def test_import_fix_find_reveal_audit_and_the_card(
    transactional_db, live_server, browser, size, tmp_path
):
    # given a village, its secretary, the county's auditor, and a file with a wrong ID number
    cache.clear()
    tree = build_tree()
    village, grid = tree.villages[0], tree.grids[0]
    secretary = make_user(Role.VILLAGE_SECRETARY, village, username="secretary_person")
    auditor = make_user(Role.AUDITOR, tree.county, username="auditor_person")
    good = new_id(3)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")  # one character off: the check fails
    first = row(grid, 户号="J-0001", 姓名="张新民", 公民身份号码=new_id(0))
    second = row(
        grid, 户号="J-0001", 姓名="李秀英", 公民身份号码=wrong, 性别="男", 出生日期="1985-01-04"
    )
    errors: list[str] = []
    overflow: list[str] = []
    page = new_page(browser, size, errors)
    log_in(page, live_server.url, secretary)
    # when the secretary checks the file
    page.goto(f"{live_server.url}/people/import/")
    _import(page, _file(tmp_path, "bad.xlsx", [first, second]), dry_run=True)
    # then the report names the bad row and its column, and nothing is written
    problems = page.locator("#import-problems tr[data-row]")
    assert problems.count() == 1
    assert problems.first.get_attribute("data-row") == "3"
    assert "公民身份号码" in problems.first.inner_text()
    assert not Resident.objects.exists()
    note_overflow(page, size, "import report", overflow)
    # (the refused file's page answers 400, which the browser's console reports: expected)
    assert all("400 (Bad Request)" in error for error in errors)
    errors.clear()
    # when they fix the row, check again, and import
    second[4] = good
    fixed = _file(tmp_path, "fixed.xlsx", [first, second])
    _import(page, fixed, dry_run=True)
    assert page.locator("#import-checked").is_visible()
    _import(page, fixed, dry_run=False)
    # then both residents are written
    assert page.locator("#import-written").is_visible()
    assert Resident.objects.count() == 2
    # when they find the new resident by name
    page.goto(f"{live_server.url}/people/?q=李秀英")
    with page.expect_navigation():
        page.click("tr[data-resident] a")
    # then the ID number is masked
    body = page.inner_text("main")
    assert good not in body
    assert f"{good[:4]}**********{good[-4:]}" in body
    note_overflow(page, size, "resident", overflow)
    # when they read it in full, saying why
    page.select_option("#reveal-form select", index=0)
    page.fill("#reveal-form textarea, #reveal-form input[name=reason]", "核对低保申请材料")
    with page.expect_navigation():
        page.click("#reveal-form button[type=submit]")
    assert page.locator("[data-revealed]").inner_text().strip() == good
    # and the auditor sees the reading in the log, by name
    audit = new_page(browser, size, errors)
    log_in(audit, live_server.url, auditor)
    audit.goto(f"{live_server.url}/audit/?action=resident.reveal")
    entries = audit.locator("tr[data-sequence]")
    assert entries.count() == 1
    text = entries.first.inner_text()
    assert "查看居民完整个人信息" in text
    assert "secretary_person" in text
    assert "resident.reveal" not in text
    note_overflow(audit, size, "audit log", overflow)
    # when a visitor opens the village's card from the address its QR code holds
    page.goto(f"{live_server.url}/people/cards/{village}/")
    card_address = page.get_attribute("#public-card-url", "href")
    assert card_address
    visitor = new_page(browser, size, errors)
    visitor.goto(card_address)
    # then the card counts the two new residents, with no login
    assert visitor.locator("#community-card h1").inner_text() == tree.names[village]
    assert visitor.locator("[data-count='residents']").inner_text() == "2"
    note_overflow(visitor, size, "card", overflow)
    assert overflow == []
    assert errors == []
