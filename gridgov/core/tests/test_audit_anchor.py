"""The audit chain's end is anchored outside the database: a cut end, an emptied table, an older
database restored and an edited anchor line are all reported by `verify_audit` and the check page."""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from gridgov.core import audit
from gridgov.core.access import Role
from gridgov.core.audit import audit_anchor_heads, audit_record, verify_chain
from gridgov.core.audit_anchor import anchors_read
from gridgov.core.models import AuditEntry
from gridgov.core.tasks import anchor_audit_chain_heads

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def anchor_file(settings, tmp_path: Path) -> Path:
    path = tmp_path / "audit-anchors.jsonl"
    settings.AUDIT_ANCHOR_FILE = str(path)
    return path


def _write_rows(count: int) -> list[AuditEntry]:
    return [audit_record(actor=None, action=f"test.anchor.{n}") for n in range(count)]


def _raw_delete_from(sequence: int) -> None:
    # The suite runs without the append-only triggers: this is what a cut looks like once an
    # intruder has lifted them (or restored an older copy of the database).
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE sequence >= %s", [sequence])


def _verify_audit() -> tuple[bool, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def _kinds() -> list[tuple[int, str]]:
    return [(problem.sequence, problem.kind) for problem in verify_chain()]


@pytest.mark.django_db
def test_an_anchored_intact_chain_passes_and_both_heads_are_printed(anchor_file):
    # given
    rows = _write_rows(4)
    audit_anchor_heads()
    # when
    intact, out, err = _verify_audit()
    # then
    assert intact, err
    assert out.count(f"#4 {rows[-1].entry_hash}") == 2  # the database head and the anchored one


@pytest.mark.django_db
def test_a_cut_end_is_reported(anchor_file):
    # given: six rows anchored, then the newest two deleted
    _write_rows(6)
    audit_anchor_heads()
    _raw_delete_from(5)
    # when
    intact, out, report = _verify_audit()
    # then
    assert _kinds() == [(6, "cut")]
    assert not intact
    assert "cut:" in report
    assert "#4 " in out
    assert "#6 " in out


@pytest.mark.django_db
def test_an_emptied_table_is_reported(anchor_file):
    # given
    _write_rows(3)
    audit_anchor_heads()
    _raw_delete_from(1)
    # when
    intact, _, _ = _verify_audit()
    # then
    assert _kinds() == [(3, "cut")]
    assert not intact


@pytest.mark.django_db
def test_a_deleted_middle_row_is_reported_as_deleted_not_cut(anchor_file):
    # given
    _write_rows(5)
    audit_anchor_heads()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE sequence = 3")
    # when
    intact, _, report = _verify_audit()
    # then
    assert _kinds() == [(4, "deleted")]
    assert "deleted: rows 3..3" in report
    assert not intact


@pytest.mark.django_db
def test_an_older_database_restored_is_reported(anchor_file):
    # given: the head at row 5 anchored, then the database put back to a copy that ended at row 3
    _write_rows(5)
    audit_anchor_heads()
    _raw_delete_from(4)
    # when
    intact, _, report = _verify_audit()
    # then
    assert _kinds() == [(5, "cut")]
    assert "cut:" in report
    assert not intact


@pytest.mark.django_db
def test_an_older_database_restored_and_written_past_the_anchor_is_reported(anchor_file):
    # given: the restored copy has since grown past the anchored row 5 with other rows
    _write_rows(5)
    audit_anchor_heads()
    _raw_delete_from(4)
    _write_rows(3)
    # when
    problems = _kinds()
    # then
    assert problems == [(5, "replaced")]


@pytest.mark.django_db
def test_a_tampered_anchor_line_is_reported_and_not_trusted(anchor_file):
    # given: two anchors; someone lowers the second to hide a cut of rows 4 and 5
    _write_rows(3)
    audit_anchor_heads()
    _write_rows(2)
    audit_anchor_heads()
    _raw_delete_from(4)
    first, second = anchor_file.read_text().splitlines()
    forged = json.loads(second)
    forged["sequence"] = 3
    anchor_file.write_text(first + "\n" + json.dumps(forged) + "\n")
    # when
    intact, _, report = _verify_audit()
    # then
    assert _kinds() == [(2, "anchor_tampered")]
    assert "anchor_tampered: " in report
    assert not intact


@pytest.mark.django_db
def test_anchor_lines_are_appended_one_json_line_each(anchor_file):
    # given
    _write_rows(2)
    # when
    audit_anchor_heads()
    audit_anchor_heads()
    # then
    lines = anchor_file.read_text().splitlines()
    assert len(lines) == 2
    assert all(
        set(json.loads(line)) == {"chain", "sequence", "hash", "at", "mac"} for line in lines
    )
    assert not anchors_read().tampered_lines


@pytest.mark.django_db
def test_a_commit_anchors_at_most_once_per_interval(
    anchor_file, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given
    settings.AUDIT_ANCHOR_INTERVAL_SECONDS = 3600
    monkeypatch.setitem(audit._last_anchored, "at", float("-inf"))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(actor=None, action="test.first")
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(actor=None, action="test.second")
    # then: the first commit anchored row 1; the second fell inside the interval
    lines = anchor_file.read_text().splitlines()
    assert [json.loads(line)["sequence"] for line in lines] == [1]


@pytest.mark.django_db
def test_the_periodic_task_anchors_every_minute(anchor_file):
    # given
    _write_rows(2)
    # when
    anchor_audit_chain_heads.call_local()
    # then
    assert [anchor.head.sequence for anchor in anchors_read().furthest.values()] == [2]
    every_minute = anchor_audit_chain_heads.task_class()
    assert all(every_minute.validate_datetime(datetime(2026, 12, 4, 13, m)) for m in (0, 7, 59))


@pytest.mark.django_db
def test_the_check_page_reports_a_cut_and_shows_both_heads(anchor_file, tree, user_factory):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    client = Client()
    client.force_login(auditor)
    anchored = _write_rows(4)[-1].sequence
    audit_anchor_heads()
    _raw_delete_from(anchored - 1)
    # when
    response = client.get(reverse("audit:verify"))
    # then
    body = response.content.decode()
    assert 'data-intact="false"' in body
    assert 'data-problem-kind="cut"' in body
    assert f'data-database-sequence="{anchored - 2}"' in body
    assert f'data-anchored-sequence="{anchored}"' in body
