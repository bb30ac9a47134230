"""The idempotency record moves from the API app to the kernel: state only, the table stays."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("owner", models.CharField(max_length=80, verbose_name="owner")),
                        ("key", models.CharField(max_length=255, verbose_name="key")),
                        (
                            "fingerprint",
                            models.CharField(max_length=64, verbose_name="fingerprint"),
                        ),
                        ("method", models.CharField(max_length=8, verbose_name="method")),
                        ("path", models.CharField(max_length=255, verbose_name="path")),
                        (
                            "status_code",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="status"
                            ),
                        ),
                        (
                            "content_type",
                            models.CharField(
                                blank=True, max_length=128, verbose_name="content type"
                            ),
                        ),
                        (
                            "location",
                            models.CharField(blank=True, max_length=512, verbose_name="location"),
                        ),
                        ("body", models.BinaryField(default=b"", verbose_name="body")),
                        (
                            "created_at",
                            models.DateTimeField(db_index=True, verbose_name="created at"),
                        ),
                    ],
                    options={
                        "verbose_name": "idempotency record",
                        "verbose_name_plural": "idempotency records",
                        "db_table": "api_idempotencyrecord",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("owner", "key"), name="unique_idempotency_key"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
