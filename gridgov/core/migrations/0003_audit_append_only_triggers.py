"""The database refuses UPDATE and DELETE on the audit log (see core.audit_triggers)."""

from django.db import migrations

from gridgov.core.audit_triggers import create_audit_triggers, drop_audit_triggers


def create(apps, schema_editor):
    create_audit_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    drop_audit_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_idempotencyrecord")]

    operations = [migrations.RunPython(create, drop)]
