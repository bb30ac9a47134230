"""The audit log: the hash chain and `verify_audit`, refused attempts, logins, and rollbacks."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client

from gridgov.accounts.models import User
from gridgov.core.access import Role
from gridgov.core.audit import GENESIS_HASH, audit_record, entry_digest, verify_chain
from gridgov.core.models import AuditEntry
from gridgov.regions.services import region_rename
from gridgov.testing import TEST_PASSWORD, Tree

TABLE = AuditEntry._meta.db_table


def _write_rows(count: int) -> list[AuditEntry]:
    """`count` rows with varied content: actors or none, regions at every level, CJK detail."""
    regions = ["610324", "610324001", "610324001200", "610324001200001", "610324001200001002"]
    outcomes = list(AuditEntry.Outcome.values)
    return [
        audit_record(
            actor=None,
            action=f"test.write.{index % 7}",
            outcome=outcomes[index % len(outcomes)],
            object_type="region",
            object_id=regions[index % len(regions)],
            region_code=regions[index % len(regions)],
            client_address="10.0.0.1" if index % 2 else "2001:db8::1",
            detail={"n": index, "名称": "扶风县", "nested": {"list": [index, None, "x"]}},
        )
        for index in range(count)
    ]


def _raw_update(sequence: int, column: str, value: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {column} = %s WHERE sequence = %s", [value, sequence])


def _raw_delete(sequence: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE sequence = %s", [sequence])


def _raw_insert(entry: AuditEntry) -> None:
    """Insert a row behind the model's back, as someone with database access would."""
    fields = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(str(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = [field.get_db_prep_save(getattr(entry, field.attname), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} ({columns}) VALUES ({marks})", values)


def _forged(*, sequence: int, previous_hash: str, template: AuditEntry) -> AuditEntry:
    """A row whose own hash matches its content (the forger computed it)."""
    forged = AuditEntry(
        chain=template.chain,
        sequence=sequence,
        created_at=template.created_at,
        actor_username="",
        action="region.create",
        object_type="region",
        object_id="610324001",
        outcome=AuditEntry.Outcome.SUCCESS,
        detail={"name": "伪造"},
        previous_hash=previous_hash,
    )
    forged.set_region_code("610324001")
    forged.entry_hash = entry_digest(
        chain=forged.chain,
        sequence=forged.sequence,
        created_at=forged.created_at,
        actor_id=None,
        actor_username=forged.actor_username,
        action=forged.action,
        object_type=forged.object_type,
        object_id=forged.object_id,
        outcome=forged.outcome,
        client_address=None,
        region_code=forged.region_code,
        detail=forged.detail,
        previous_hash=forged.previous_hash,
    )
    return forged


def _verify_audit() -> tuple[bool, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_chain_stays_intact_after_many_writes() -> None:
    # given
    rows = _write_rows(240)
    # when
    stored = list(AuditEntry.objects.order_by("sequence"))
    intact, out, _ = _verify_audit()
    # then
    assert [row.sequence for row in stored] == list(range(1, 241))
    assert stored[0].previous_hash == GENESIS_HASH
    assert all(
        later.previous_hash == earlier.entry_hash for earlier, later in itertools.pairwise(stored)
    )
    assert [row.entry_hash for row in rows] == [row.entry_hash for row in stored]
    assert intact
    assert "240" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "region.view"),
        ("outcome", "denied"),  # row 4 was a success
        ("actor_username", "somebody_else"),
        ("region_code", "610324100"),
        ("object_id", "610324100"),
        ("client_address", "10.9.9.9"),
        ("previous_hash", "f" * 64),
    ],
)
def test_verify_audit_names_an_edited_row(column: str, value: str) -> None:
    # given
    _write_rows(6)
    _raw_update(4, column, value)
    # when
    problems = list(verify_chain())
    intact, _, report = _verify_audit()
    # then
    assert [(problem.sequence, problem.kind) for problem in problems] == [(4, "edited")]
    assert not intact
    assert "edited: row 4" in report


@pytest.mark.django_db
def test_verify_audit_names_a_row_appended_behind_the_models_back() -> None:
    # given
    rows = _write_rows(5)
    _raw_insert(_forged(sequence=6, previous_hash=rows[2].entry_hash, template=rows[-1]))
    # when
    problems = list(verify_chain())
    intact, _, report = _verify_audit()
    # then
    assert [(problem.sequence, problem.kind) for problem in problems] == [(6, "inserted")]
    assert not intact
    assert "inserted: row 6" in report


@pytest.mark.django_db
def test_verify_audit_finds_a_row_inserted_in_the_middle() -> None:
    # given: rows 3.. are renumbered to make room, and the forged row 3 chains to row 2
    rows = _write_rows(6)
    _raw_update_all_from(3, shift=1000)
    _raw_update_all_from(1003, shift=-999)
    _raw_insert(_forged(sequence=3, previous_hash=rows[1].entry_hash, template=rows[1]))
    # when
    problems = list(verify_chain())
    intact, _, report = _verify_audit()
    # then: the forged row links backwards, so the first row after it is where the chain breaks
    assert problems
    assert problems[0].sequence == 4
    assert not intact
    assert "row 4" in report


def _raw_update_all_from(sequence: int, *, shift: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET sequence = sequence + %s WHERE sequence >= %s", [shift, sequence]
        )


@pytest.mark.django_db
def test_verify_audit_names_deleted_rows_once() -> None:
    # given
    _write_rows(7)
    _raw_delete(3)
    _raw_delete(4)
    # when
    problems = list(verify_chain())
    intact, _, report = _verify_audit()
    # then
    assert [(problem.sequence, problem.kind) for problem in problems] == [(5, "deleted")]
    assert "rows 3..4" in problems[0].message
    assert not intact
    assert "deleted: rows 3..4" in report


@pytest.mark.django_db
def test_a_replaced_row_is_named_with_its_neighbour() -> None:
    # given: row 3 deleted and a forged row 3 put in its place, chained to row 2
    rows = _write_rows(5)
    _raw_delete(3)
    _raw_insert(_forged(sequence=3, previous_hash=rows[1].entry_hash, template=rows[2]))
    # when
    problems = list(verify_chain())
    # then
    assert [(problem.sequence, problem.kind) for problem in problems] == [(4, "inserted")]
    assert "row 3" in problems[0].message


@pytest.mark.django_db
def test_the_model_refuses_to_rewrite_or_delete_a_row() -> None:
    # given
    [entry] = _write_rows(1)
    entry.action = "changed"
    # when / then
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.write.0"


# Refused attempts


@pytest.mark.django_db
def test_a_403_from_the_api_is_logged_as_denied(tree: Tree, user_factory: Callable[..., User]):
    # given
    auditor = user_factory(Role.AUDITOR, tree.county)
    client = Client(REMOTE_ADDR="10.2.3.4")
    client.force_login(auditor)
    # when
    response = client.get("/api/v1/regions/")
    # then
    assert response.status_code == 403
    denied = AuditEntry.objects.get(outcome=AuditEntry.Outcome.DENIED)
    assert denied.actor_id == auditor.pk
    assert denied.action == "path.get"
    assert denied.client_address == "10.2.3.4"
    assert denied.detail["path"] == "/api/v1/regions/"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/regions/{code}/", "/regions/{code}/"])
def test_a_404_on_a_region_outside_the_jurisdiction_is_logged_as_denied(
    tree: Tree, user_factory: Callable[..., User], path: str
) -> None:
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    client = Client()
    client.force_login(official)
    # when
    outside = client.get(path.format(code=tree.towns[1]))
    missing = client.get(path.format(code="610324999"))
    # then
    assert outside.status_code == missing.status_code == 404
    denied = list(AuditEntry.objects.filter(outcome=AuditEntry.Outcome.DENIED))
    # Only the region that exists counts as an attempt; a miss on a missing code is a typo.
    assert [(entry.actor_id, entry.object_id) for entry in denied] == [(official.pk, tree.towns[1])]


@pytest.mark.django_db
def test_a_403_page_is_logged_as_denied(tree: Tree, user_factory: Callable[..., User]) -> None:
    # given
    resident = user_factory(Role.RESIDENT, tree.grids[0])
    client = Client()
    client.force_login(resident)
    # when
    response = client.get("/regions/")
    # then
    assert response.status_code == 403
    denied = AuditEntry.objects.get(outcome=AuditEntry.Outcome.DENIED)
    assert denied.actor_id == resident.pk


# Logins, logouts, failed logins


@pytest.mark.django_db
def test_web_login_and_logout_are_logged_with_the_client_address(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    client = Client(REMOTE_ADDR="192.0.2.7")
    # when
    logged_in = client.post("/login/", {"username": official.username, "password": TEST_PASSWORD})
    logged_out = client.post("/logout/")
    # then
    assert logged_in.status_code == 302
    assert logged_out.status_code == 302
    rows = list(
        AuditEntry.objects.order_by("sequence").values_list(
            "action", "outcome", "actor_id", "client_address", "region_code"
        )
    )
    assert rows == [
        ("auth.login", "success", official.pk, "192.0.2.7", tree.towns[0]),
        ("auth.logout", "success", official.pk, "192.0.2.7", tree.towns[0]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "data", "json_body"),
    [
        ("/login/", {"username": "{username}", "password": "wrong-password-123"}, False),
        ("/admin/login/", {"username": "{username}", "password": "wrong-password-123"}, False),
        ("/api/v1/auth/token/", {"username": "{username}", "password": "wrong-password-123"}, True),
    ],
    ids=["web", "admin", "api"],
)
def test_a_failed_login_is_logged_with_the_client_address(
    tree: Tree,
    user_factory: Callable[..., User],
    path: str,
    data: dict[str, str],
    json_body: bool,
) -> None:
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    client = Client(REMOTE_ADDR="198.51.100.23")
    form = {key: value.format(username=official.username) for key, value in data.items()}
    # when
    if json_body:
        client.post(path, form, content_type="application/json")
    else:
        client.post(path, form)
    # then
    failed = AuditEntry.objects.get(action="auth.login")
    assert failed.outcome == AuditEntry.Outcome.FAILURE
    assert failed.actor_id is None
    assert failed.object_id == official.username
    assert failed.client_address == "198.51.100.23"


@pytest.mark.django_db
def test_a_token_login_is_logged_with_the_client_address(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    client = Client(REMOTE_ADDR="203.0.113.5")
    # when
    response = client.post(
        "/api/v1/auth/token/",
        {"username": official.username, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    # then
    assert response.status_code == 200
    login = AuditEntry.objects.get(action="auth.login")
    assert (login.outcome, login.actor_id, login.client_address) == (
        "success",
        official.pk,
        "203.0.113.5",
    )


# Rollbacks


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_no_audit_row(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    before = AuditEntry.objects.count()
    written_inside: list[int] = []

    @transaction.atomic
    def rename_then_fail() -> None:
        region_rename(actor=operator, code=tree.towns[0], name="新城街道")
        written_inside.append(AuditEntry.objects.count())
        raise RuntimeError("a later step of the same request failed")

    # when: the caller's transaction fails after the service wrote its row
    with pytest.raises(RuntimeError):
        rename_then_fail()
    # then
    assert written_inside == [before + 1]
    assert AuditEntry.objects.count() == before
    assert tree.region(tree.towns[0]).name == tree.names[tree.towns[0]]
    assert not list(verify_chain())


@pytest.mark.django_db
def test_the_next_row_after_a_rollback_continues_the_chain(
    tree: Tree, user_factory: Callable[..., User]
) -> None:
    # given
    _write_rows(3)

    @transaction.atomic
    def record_then_fail() -> None:
        audit_record(actor=None, action="test.rolled_back")
        raise RuntimeError

    with pytest.raises(RuntimeError):
        record_then_fail()
    # when
    entry = audit_record(actor=None, action="test.after")
    # then
    assert entry.sequence == 4
    assert not list(verify_chain())


# Concurrency (PostgreSQL: SQLite's BEGIN IMMEDIATE serialises writers by itself)


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database")
    # given
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            for index in range(15):
                with transaction.atomic():
                    audit_record(actor=None, action=f"test.thread.{worker}.{index}")
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(worker,)) for worker in range(4)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert not errors
    assert AuditEntry.objects.count() == 60
    assert not list(verify_chain())


@pytest.mark.django_db
def test_a_row_rehashed_without_the_key_is_detected() -> None:
    import hashlib
    import json

    # given a chain, and a forger who can write to the table but does not hold the audit key
    _write_rows(3)
    last = AuditEntry.objects.order_by("-sequence").first()
    assert last is not None
    payload = json.dumps({"forged": True})
    forged_hash = hashlib.sha256((last.entry_hash + payload).encode()).hexdigest()
    # when they edit the last row and recompute its hash with a plain SHA-256
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET action = %s, entry_hash = %s WHERE sequence = %s",
            ["region.delete", forged_hash, last.sequence],
        )
    # then the chain check names that row
    problems = list(verify_chain())
    assert [(p.sequence, p.kind) for p in problems] == [(last.sequence, "edited")]
