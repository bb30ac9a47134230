"""Every case gets the short code a resident reads out on the phone (cases.tracking); cases
reported before it existed get one now."""

import secrets
from typing import Any

from django.db import migrations, models

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
BATCH = 2000


def give_codes(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    pending = Case.objects.filter(tracking_code="").only("id")
    while True:
        batch = list(pending[:BATCH])
        if not batch:
            return
        for case in batch:
            case.tracking_code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        Case.objects.bulk_update(batch, ["tracking_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_drop_notification"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="tracking_code",
            field=models.CharField(blank=True, max_length=6, verbose_name="tracking code"),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
    ]
