"""The system administrator's main errand in a real browser, at 1,440 px and at 390 px with
nothing wider than the screen: find a volunteer by role and by a village picked from the region
tree, reset their forgotten password, and the volunteer, logging in with it, is taken to choose
their own before anything else."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from gridgov.accounts.models import User
from gridgov.browser_testing import PHONE, WIDE, new_page, note_overflow
from gridgov.cases.tests.test_journey_browser import log_in
from gridgov.core.access import Role
from gridgov.testing import build_tree, make_user

pytestmark = [pytest.mark.browser]

SIZES = [pytest.param(WIDE, id="1440px"), pytest.param(PHONE, id="390px")]
OWN_PASSWORD = "plum-river-lantern-1987"


@pytest.mark.parametrize("size", SIZES)
def test_the_administrator_resets_a_volunteers_password_found_through_the_tree(
    transactional_db, live_server, browser, size
):
    # given a volunteer in the second town's second village, among other staff
    cache.clear()
    tree = build_tree()
    admin = make_user(Role.SYSADMIN, tree.county, username="admin_person")
    village = tree.villages[3]
    volunteer = make_user(Role.VOLUNTEER, village, username="volunteer_person")
    make_user(Role.VOLUNTEER, tree.villages[0], username="volunteer_elsewhere")
    make_user(Role.GRID_WORKER, tree.grids[6], username="worker_same_village")
    errors: list[str] = []
    overflow: list[str] = []
    page = new_page(browser, size, errors)
    # when the administrator opens the accounts, asks for volunteers, opens the second town in
    # the region tree and picks the village
    log_in(page, live_server.url, admin)
    page.goto(f"{live_server.url}/accounts/users/")
    note_overflow(page, size, "accounts", overflow)
    page.select_option("#id_role", Role.VOLUNTEER)
    town = page.locator("summary").filter(has=page.locator(f"input[value='{tree.towns[1]}']"))
    town.click(position={"x": 4, "y": 8})  # the disclosure marker, not the town's own button
    choice = page.locator(f"input[name='region_code'][value='{village}']")
    choice.wait_for()
    choice.check()
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    note_overflow(page, size, "filtered accounts", overflow)
    # then only that volunteer is listed, by name and place
    listed = page.locator("tr[data-user]")
    assert listed.count() == 1
    assert tree.names[village] in listed.inner_text()
    # when they open the account and reset its password
    with page.expect_navigation():
        page.click("tr[data-user='volunteer_person'] a")
    note_overflow(page, size, "account", overflow)
    with page.expect_navigation():
        page.click(f"form[action$='/users/{volunteer.pk}/reset-password/'] button")
    note_overflow(page, size, "new password", overflow)
    password = page.locator("[data-temporary-password]").inner_text().strip()
    assert User.objects.get(pk=volunteer.pk).must_change_password
    # and the volunteer logs in with it
    person = new_page(browser, size, errors)
    person.goto(f"{live_server.url}/login/")
    person.fill("#id_username", "volunteer_person")
    person.fill("#id_password", password)
    with person.expect_navigation():
        person.click("main form button[type=submit]")
    # then they must choose their own password before anything else
    person.wait_for_url(f"{live_server.url}/accounts/me/password/")
    assert person.locator("[data-forced]").is_visible()
    note_overflow(person, size, "forced change", overflow)
    person.fill("#id_old_password", password)
    person.fill("#id_new_password1", OWN_PASSWORD)
    person.fill("#id_new_password2", OWN_PASSWORD)
    with person.expect_navigation():
        person.click("main form button[type=submit]")
    person.wait_for_url(f"{live_server.url}/")
    refreshed = User.objects.get(pk=volunteer.pk)
    assert not refreshed.must_change_password
    assert refreshed.check_password(OWN_PASSWORD)
    assert overflow == []
    assert errors == []
