"""The inbox moves from the cases app to its own: each stored row becomes a notice key with its
case's number and title as parameters, so its text is rendered in the reader's language instead
of the Chinese it was stored in."""

from typing import Any

from django.db import migrations

BATCH = 5000


def forwards(apps: Any, schema_editor: Any) -> None:
    Old = apps.get_model("cases", "Notification")
    New = apps.get_model("notifications", "Notification")
    rows = Old.objects.select_related("case").order_by("id")
    batch = []
    for old in rows.iterator(chunk_size=BATCH):
        case = old.case
        batch.append(
            New(
                recipient_id=old.recipient_id,
                key=f"case.{old.kind}",
                params={"number": case.number, "title": case.title} if case else {},
                object_type="case" if case else "",
                object_id=case.number if case else "",
                created_at=old.created_at,
                read_at=old.read_at,
            )
        )
        if len(batch) >= BATCH:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("cases", "0004_publication"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
