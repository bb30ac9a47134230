"""One audit chain per county instead of one for the installation.

The rows already written are not renumbered or rehashed: they become the "installation" chain,
kept exactly as written (the chain field is added with that value, and a row of that chain is
hashed without it), so `verify_audit` checks them as before and an anchor or printout of their
hashes still matches. Rewriting the hashes of an append-only log would need the audit key inside
a migration and would look, afterwards, exactly like the tampering the chain is there to show.
New rows start each county's chain at sequence 1.

The append-only triggers are dropped around the schema change and created again (SQLite
rebuilds the table to add the column, which takes its triggers with it).
"""

from django.db import migrations, models

from gridgov.core.audit_triggers import create_audit_triggers, drop_audit_triggers


def create_triggers(apps, schema_editor):
    create_audit_triggers(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    drop_audit_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_append_only_triggers")]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "ordering": ["-created_at", "-id"],
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit log",
            },
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain",
            field=models.CharField(default="installation", max_length=16, verbose_name="chain"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(verbose_name="sequence"),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("chain", "sequence"), name="audit_chain_sequence"
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
