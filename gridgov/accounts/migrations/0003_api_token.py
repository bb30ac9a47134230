"""API tokens of our own, stored as hashes. The tokens of DRF's authtoken table were kept in
clear; they are dropped with the table, not carried over: they lapse within hours anyway, and a
client logs in again for a new one."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_clear_text_tokens(apps, schema_editor):
    if "authtoken_token" in schema_editor.connection.introspection.table_names():
        schema_editor.execute(
            "DROP TABLE " + schema_editor.connection.ops.quote_name("authtoken_token")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_phone"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key_hash", models.CharField(max_length=64, unique=True, verbose_name="key hash")),
                ("prefix", models.CharField(max_length=8, verbose_name="prefix")),
                ("created_at", models.DateTimeField(verbose_name="created at")),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last used at"),
                ),
                ("expires_at", models.DateTimeField(verbose_name="expires at")),
                (
                    "revoked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
                ),
                (
                    "client_address",
                    models.GenericIPAddressField(
                        blank=True, null=True, verbose_name="client address"
                    ),
                ),
                (
                    "user_agent",
                    models.CharField(blank=True, max_length=200, verbose_name="user agent"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "indexes": [
                    models.Index(
                        fields=["user", "revoked_at", "expires_at"], name="api_token_user_live"
                    )
                ],
            },
        ),
        migrations.RunPython(drop_clear_text_tokens, migrations.RunPython.noop),
    ]
