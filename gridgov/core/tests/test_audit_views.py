"""The auditor's pages: the audit log (scoped, filtered, paged) and the hash-chain check."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.core.access import Role
from gridgov.core.audit import audit_record, verify_chain
from gridgov.core.models import AuditEntry
from gridgov.core.selectors import AUDIT_PAGE_SIZE
from gridgov.testing import TEST_PASSWORD

LIST_URL = reverse("audit:list")
VERIFY_URL = reverse("audit:verify")


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def web_login(username: str, password: str = TEST_PASSWORD) -> Client:
    """Log in through the login page, as a person does (this is what writes `auth.login`)."""
    client = Client()
    client.post(reverse("web:login"), {"username": username, "password": password})
    return client


def sequences_shown(response) -> list[int]:
    return [int(s) for s in re.findall(r'data-sequence="(\d+)"', response.content.decode())]


def rows_shown(response) -> list[tuple[int, str]]:
    """(sequence, row html) for each row of the log table."""
    html = response.content.decode()
    return [
        (int(sequence), row)
        for sequence, row in re.findall(r'<tr data-sequence="(\d+)"(.*?)</tr>', html, re.S)
    ]


@pytest.mark.django_db
def test_auditor_sees_an_entry_written_by_a_login(tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0], username="zhang_official")
    official.display_name = "张主任"
    official.save(update_fields=["display_name"])
    web_login(official.username)
    login_row = AuditEntry.objects.get(action="auth.login", actor=official)
    # when
    response = english(client_as(auditor)).get(LIST_URL)
    # then: the person by name (the login name beside it), the action by what it was
    assert response.status_code == 200
    rows = dict(rows_shown(response))
    assert login_row.sequence in rows
    assert "张主任" in rows[login_row.sequence]
    assert "zhang_official" in rows[login_row.sequence]
    assert "Signed in" in rows[login_row.sequence]
    assert "auth.login" not in rows[login_row.sequence]


@pytest.mark.django_db
def test_a_row_names_its_region_and_reads_its_details_as_lines(tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    entry = audit_record(
        actor=None,
        action="case.export",
        region_code=tree.villages[0],
        detail={"rows": 12, "filters": {"state": "open"}, "by_phone": True},
    )
    # when
    response = english(client_as(auditor)).get(LIST_URL)
    # then
    row = dict(rows_shown(response))[entry.sequence]
    assert "Exported a list of cases" in row
    assert tree.names[tree.villages[0]] in row
    assert "Rows: 12" in row
    assert "Filters: state: open" in row
    assert "Searched by phone: yes" in row


@pytest.mark.django_db
def test_the_action_filter_is_a_list_of_labels_and_families(tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    audit_record(actor=None, action="region.rename", region_code=tree.towns[0])
    audit_record(actor=None, action="case.export", region_code=tree.towns[0])
    # when
    page = english(client_as(auditor)).get(LIST_URL)
    family = client_as(auditor).get(LIST_URL, {"action": "region."})
    unlisted = client_as(auditor).get(LIST_URL, {"action": "region.rename"[:8]})
    made_up = client_as(auditor).get(LIST_URL, {"action": "<b>nothing</b>"})
    # then
    choices = dict(page.context["form"].fields["action"].choices)
    assert str(choices["region.rename"]).endswith("Renamed a region")
    assert choices["region."] == "Region tree"
    assert [e.action for e in family.context["entries"]] == ["region.rename"]
    assert [e.action for e in unlisted.context["entries"]] == ["region.rename"]
    assert made_up.context["entries"] == []
    assert "action" in made_up.context["form"].errors


@pytest.mark.django_db
def test_newest_entry_comes_first(tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    for n in range(3):
        audit_record(actor=None, action=f"test.row{n}", region_code=tree.towns[0])
    # when
    response = client_as(auditor).get(LIST_URL)
    # then
    shown = sequences_shown(response)
    assert shown == sorted(shown, reverse=True)
    assert shown[0] == AuditEntry.objects.latest("sequence").sequence


@pytest.mark.django_db
def test_town_auditor_sees_only_their_towns_rows(tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.towns[0])
    own = user_factory(Role.TOWN_OFFICIAL, tree.towns[0], username="own_town_official")
    other = user_factory(Role.TOWN_OFFICIAL, tree.towns[1], username="other_town_official")
    web_login(own.username)
    web_login(other.username)
    # when
    response = client_as(auditor).get(LIST_URL)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "own_town_official" in body
    assert "other_town_official" not in body
    assert tree.towns[1] not in body
    shown = set(sequences_shown(response))
    assert shown == set(
        AuditEntry.objects.filter(town_code=tree.towns[0]).values_list("sequence", flat=True)
    )


@pytest.mark.django_db
def test_filters_narrow_the_log(tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0], username="li_official")
    web_login(official.username)
    web_login(official.username, password="not-the-password")
    audit_record(actor=official, action="role.assign", region_code=tree.towns[0])
    client = client_as(auditor)
    # when
    failures = client.get(LIST_URL, {"outcome": AuditEntry.Outcome.FAILURE})
    logins = client.get(LIST_URL, {"action": "auth.", "actor": "li_official"})
    roles = client.get(LIST_URL, {"action": "role."})
    # then
    assert set(sequences_shown(failures)) == set(
        AuditEntry.objects.filter(outcome="failure").values_list("sequence", flat=True)
    )
    assert set(sequences_shown(logins)) == set(
        AuditEntry.objects.filter(
            action__startswith="auth.", actor_username="li_official"
        ).values_list("sequence", flat=True)
    )
    assert set(sequences_shown(roles)) == set(
        AuditEntry.objects.filter(action="role.assign").values_list("sequence", flat=True)
    )
    assert sequences_shown(failures)
    assert sequences_shown(logins)


@pytest.mark.django_db
def test_date_range_filters_by_local_day(tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    audit_record(actor=None, action="test.today", region_code=tree.towns[0])
    today = timezone.localdate()
    client = client_as(auditor)
    # when
    including = client.get(LIST_URL, {"date_from": today.isoformat(), "date_to": today.isoformat()})
    before = client.get(LIST_URL, {"date_to": (today - timedelta(days=1)).isoformat()})
    # then
    assert "test.today" in including.content.decode()
    assert sequences_shown(before) == []


@pytest.mark.django_db
def test_bad_filter_shows_the_form_error_and_no_rows(tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    audit_record(actor=None, action="test.row", region_code=tree.towns[0])
    # when
    response = client_as(auditor).get(
        LIST_URL, {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    reversed_range = response.content.decode()
    not_a_date = client_as(auditor).get(LIST_URL, {"date_from": "yesterday"})
    # then
    assert response.status_code == 200
    assert 'class="errors"' in reversed_range
    assert sequences_shown(response) == []
    assert not_a_date.status_code == 200
    assert sequences_shown(not_a_date) == []


@pytest.mark.django_db
def test_pages_of_fifty_follow_each_other_without_gaps(tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    for n in range(AUDIT_PAGE_SIZE + 5):
        audit_record(actor=None, action=f"test.row{n}", region_code=tree.towns[0])
    client = client_as(auditor)  # its login writes a row too
    expected = list(
        AuditEntry.objects.order_by("-created_at", "-id").values_list("sequence", flat=True)
    )
    # when
    first = client.get(LIST_URL)
    next_link = re.search(r'href="\?([^"]+)" rel="next"', first.content.decode())
    assert next_link is not None
    second = client.get(f"{LIST_URL}?{next_link.group(1).replace('&amp;', '&')}")
    # then
    assert sequences_shown(first) == expected[:AUDIT_PAGE_SIZE]
    assert sequences_shown(second) == expected[AUDIT_PAGE_SIZE:]
    assert 'rel="next"' not in second.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST_URL, VERIFY_URL])
@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.COUNTY_LEADER, Role.COUNTY_OPERATOR])
def test_other_roles_are_refused_with_403(tree, user_factory, url, role):
    # given
    user = user_factory(role, tree.county)
    # when
    response = client_as(user).get(url)
    # then
    assert response.status_code == 403
    assert AuditEntry.objects.filter(actor=user, action="path.get", outcome="denied").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LIST_URL, VERIFY_URL])
def test_anonymous_is_sent_to_login(url):
    # when
    response = Client().get(url)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.django_db
def test_verify_reports_an_intact_chain(tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.towns[0])
    for n in range(3):
        audit_record(actor=None, action=f"test.row{n}", region_code=tree.towns[0])
    # when
    response = client_as(auditor).get(VERIFY_URL)
    # then
    assert response.status_code == 200
    assert 'data-intact="true"' in response.content.decode()


@pytest.mark.django_db
def test_verify_reports_a_row_edited_in_the_database(tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    rows = [
        audit_record(actor=None, action=f"test.row{n}", region_code=tree.towns[0]) for n in range(3)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET action = %s WHERE sequence = %s",
            ["test.forged", rows[1].sequence],
        )
    # when
    response = client_as(auditor).get(VERIFY_URL)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-intact="false"' in body
    flagged = re.findall(r'data-problem-sequence="(\d+)" data-problem-kind="(\w+)"', body)
    assert flagged == [(str(rows[1].sequence), "edited")]


# Django admin


@pytest.mark.django_db
def test_admin_shows_the_audit_log_but_cannot_change_it(tree):
    # given
    superuser = User.objects.create_superuser("root", password=TEST_PASSWORD)
    entry = audit_record(actor=None, action="test.row", region_code=tree.towns[0])
    client = client_as(superuser)
    base = "/admin/core/auditentry/"
    # when
    listing = client.get(base)
    add = client.get(f"{base}add/")
    change = client.post(f"{base}{entry.pk}/change/", {"action": "test.forged"})
    delete = client.post(f"{base}{entry.pk}/delete/", {"post": "yes"})
    # then
    assert listing.status_code == 200
    assert "test.row" in listing.content.decode()
    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.row"
    assert not list(verify_chain())
