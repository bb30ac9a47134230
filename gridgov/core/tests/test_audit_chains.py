"""One audit chain per county: each county numbers and links its own rows under its own lock,
`verify_audit` checks every chain, and the rows of the installation's single chain (before the
split) stay verifiable as they were written."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import UTC
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gridgov.core.access import Role
from gridgov.core.audit import (
    GENESIS_HASH,
    GLOBAL_CHAIN,
    INSTALLATION_CHAIN,
    audit_anchor_heads,
    audit_record,
    chain_heads,
    chain_lock_key,
    verify_chain,
)
from gridgov.core.models import AuditEntry

TABLE = AuditEntry._meta.db_table
FUFENG = "610324"
QISHAN = "610323"


def _kinds() -> list[tuple[str, int, str]]:
    return [(problem.chain, problem.sequence, problem.kind) for problem in verify_chain()]


def _write(county: str, count: int) -> list[AuditEntry]:
    return [
        audit_record(actor=None, action=f"test.chain.{n}", region_code=f"{county}001")
        for n in range(count)
    ]


@pytest.mark.django_db
def test_each_county_numbers_and_links_its_own_chain():
    # given / when: the two counties' writes interleave
    rows = [row for _ in range(3) for row in (_write(FUFENG, 1) + _write(QISHAN, 1))]
    # then
    fufeng = [row for row in rows if row.county_code == FUFENG]
    qishan = [row for row in rows if row.county_code == QISHAN]
    assert [(row.chain, row.sequence) for row in fufeng] == [(FUFENG, n) for n in (1, 2, 3)]
    assert [(row.chain, row.sequence) for row in qishan] == [(QISHAN, n) for n in (1, 2, 3)]
    assert fufeng[0].previous_hash == qishan[0].previous_hash == GENESIS_HASH
    assert qishan[1].previous_hash == qishan[0].entry_hash
    assert set(chain_heads()) == {FUFENG, QISHAN}
    assert not list(verify_chain())


def test_two_counties_never_share_a_lock():
    # given
    keys = {chain: chain_lock_key(chain) for chain in (FUFENG, QISHAN, "610000", GLOBAL_CHAIN)}
    # then: every chain its own advisory lock, the same one each time
    assert len(set(keys.values())) == len(keys)
    assert chain_lock_key(FUFENG) == keys[FUFENG]
    assert all(-(2**31) <= key < 2**31 for pair in keys.values() for key in pair)


@pytest.mark.django_db
def test_a_row_deleted_in_one_county_is_named_in_that_chain_only():
    # given
    _write(FUFENG, 4)
    _write(QISHAN, 4)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE chain = %s AND sequence = 2", [QISHAN])
    # then
    assert _kinds() == [(QISHAN, 3, "deleted")]


@pytest.mark.django_db
def test_a_cut_of_one_county_chain_is_reported_against_its_anchor(settings, tmp_path: Path):
    # given: both chains anchored, then Qishan's newest row deleted
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    _write(FUFENG, 2)
    _write(QISHAN, 3)
    assert audit_anchor_heads() == 2
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE chain = %s AND sequence = 3", [QISHAN])
    # then
    assert _kinds() == [(QISHAN, 3, "cut")]


def _installation_row(sequence: int, previous_hash: str) -> AuditEntry:
    """A row as the single installation chain wrote it before the split: hashed over the payload
    of that time, which names no chain (written out here, apart from the code under test)."""
    created_at = timezone.now()
    payload = json.dumps(
        [
            sequence,
            created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            None,
            "",
            "test.before.split",
            "",
            "",
            "success",
            None,
            FUFENG,
            {"n": sequence},
            previous_hash,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    digest = hmac.new(settings.AUDIT_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()
    entry = AuditEntry(
        chain=INSTALLATION_CHAIN,
        sequence=sequence,
        created_at=created_at,
        action="test.before.split",
        outcome="success",
        detail={"n": sequence},
        previous_hash=previous_hash,
        entry_hash=digest,
    )
    entry.set_region_code(FUFENG)
    return entry


@pytest.mark.django_db
def test_the_rows_written_before_the_split_stay_verifiable_as_written():
    # given: three rows of the old single chain, then new writes
    previous = GENESIS_HASH
    for sequence in (1, 2, 3):
        row = _installation_row(sequence, previous)
        row.save()
        previous = row.entry_hash
    new = _write(FUFENG, 2)
    # then: the old rows keep their hashes and verify; the county chain starts at 1
    assert not list(verify_chain())
    assert [(row.chain, row.sequence) for row in new] == [(FUFENG, 1), (FUFENG, 2)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET action = 'test.changed' WHERE chain = %s AND sequence = 2",
            [INSTALLATION_CHAIN],
        )
    assert _kinds() == [(INSTALLATION_CHAIN, 2, "edited")]


@pytest.mark.django_db
def test_a_row_moved_to_another_chain_is_detected():
    # given
    _write(FUFENG, 2)
    _write(QISHAN, 2)
    # when: Fufeng's row 2 is moved into Qishan's chain as its row 3
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET chain = %s, sequence = 3 WHERE chain = %s AND sequence = 2",
            [QISHAN, FUFENG],
        )
    # then
    assert (QISHAN, 3, "edited") in _kinds()


# PostgreSQL: SQLite's BEGIN IMMEDIATE serialises every writer, whatever the chain.


def _append_while_another_county_holds_its_lock(second_county: str) -> list[BaseException]:
    """Thread one appends to Fufeng's chain and keeps its transaction open; thread two appends to
    `second_county` with a lock timeout. Answers thread two's errors."""
    holding, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                audit_record(actor=None, action="test.hold", region_code=FUFENG)
                holding.set()
                done.wait(timeout=10)
        finally:
            connection.close()

    def append() -> None:
        try:
            holding.wait(timeout=10)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '1s'")
                audit_record(actor=None, action="test.other", region_code=second_county)
        except DatabaseError as error:
            errors.append(error)
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=hold), threading.Thread(target=append)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_another_countys_writer_does_not_wait_for_the_lock():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database")
    # when / then: Qishan appends while Fufeng's lock is held
    assert _append_while_another_county_holds_its_lock(QISHAN) == []
    assert {row.chain for row in AuditEntry.objects.all()} == {FUFENG, QISHAN}
    assert not list(verify_chain())


@pytest.mark.django_db(transaction=True)
def test_a_writer_of_the_same_county_waits_for_the_lock():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database")
    # when / then: the control of the test above: the same county times out on the lock
    errors = _append_while_another_county_holds_its_lock(FUFENG)
    assert len(errors) == 1
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_two_counties_keep_two_unbroken_chains():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database")
    # given
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            for index in range(15):
                with transaction.atomic():
                    audit_record(
                        actor=None,
                        action=f"test.thread.{worker}.{index}",
                        region_code=(FUFENG, QISHAN)[worker % 2],
                    )
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
    heads = chain_heads()
    assert {chain: head.sequence for chain, head in heads.items()} == {FUFENG: 30, QISHAN: 30}
    assert not list(verify_chain())


@pytest.mark.django_db
def test_the_check_page_shows_an_auditor_the_chains_of_their_county_only(tree, user_factory):
    # given: a Fufeng town's auditor; Qishan's chain is broken, Fufeng's is intact
    auditor = user_factory(Role.AUDITOR, tree.towns[0])
    _write(FUFENG, 2)
    _write(QISHAN, 3)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE chain = %s AND sequence = 2", [QISHAN])
    client = Client()
    client.force_login(auditor)
    # when
    body = client.get(reverse("audit:verify")).content.decode()
    # then
    assert f'data-chain="{FUFENG}"' in body
    assert QISHAN not in body
    assert 'data-intact="true"' in body
