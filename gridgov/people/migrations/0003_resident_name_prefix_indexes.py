"""PostgreSQL indexes a search by the start of a name can use.

PostgreSQL answers `name LIKE '王%'` from a btree index only under the C collation or with the
`text_pattern_ops` operator class; the register's (scope, name, id) indexes have neither, so
every name search read the whole scope (85 ms at 200,000 residents, growing with the county).
These are the same scoped indexes with the pattern operator class. SQLite needs none: its
search is a range on the binary (scope, name, id) indexes (see `gridgov.core.lookups`).
"""

from django.db import migrations

SCOPES = ("county", "town", "village", "grid")


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for scope in SCOPES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "resident_{scope}_name_prefix" ON "people_resident" '
            f'("{scope}_code", "name" text_pattern_ops)'
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for scope in SCOPES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "resident_{scope}_name_prefix"')


class Migration(migrations.Migration):
    dependencies = [("people", "0002_home_visits")]

    operations = [migrations.RunPython(_create, _drop)]
