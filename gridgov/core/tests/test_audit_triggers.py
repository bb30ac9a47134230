"""The database itself keeps the audit log append-only: an UPDATE or a DELETE of an audit row,
by a queryset's bulk method or by raw SQL, is refused on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction

from conftest import AUDIT_TRIGGERS_MIGRATED
from gridgov.core.audit import audit_record
from gridgov.core.audit_triggers import (
    audit_triggers_present,
    create_audit_triggers,
    drop_audit_triggers,
)
from gridgov.core.models import AuditEntry


@pytest.fixture
def triggers(db: None) -> Iterator[None]:
    # DDL is transactional on both backends: the test's rollback takes the triggers away again.
    create_audit_triggers(connection)
    yield
    drop_audit_triggers(connection)


def test_the_migrations_create_the_triggers():
    assert AUDIT_TRIGGERS_MIGRATED.get("present") is True


@pytest.mark.django_db
def test_a_bulk_update_is_refused(triggers):
    entry = audit_record(actor=None, action="test.kept")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.changed")
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.kept"


@pytest.mark.django_db
def test_a_bulk_delete_is_refused(triggers):
    entry = audit_record(actor=None, action="test.kept")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_raw_sql_is_refused_too(triggers):
    entry = audit_record(actor=None, action="test.kept")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET outcome = 'success' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).count() == 1


@pytest.mark.django_db
def test_appending_still_works(triggers):
    assert audit_triggers_present(connection)
    audit_record(actor=None, action="test.one")
    audit_record(actor=None, action="test.two")
    assert AuditEntry.objects.filter(action__startswith="test.").count() == 2
