"""The trainings-attended indicator joins the scheme weighted 0, so the county's totals do not
change until it weighs it on the scheme page (its monthly target: one session)."""

from django.db import migrations

CODE, WEIGHT, TARGET, POSITION = "trainings_attended", 0, 1, 80


def seed(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.get_or_create(
        code=CODE, defaults={"weight": WEIGHT, "target": TARGET, "position": POSITION}
    )


def unseed(apps, schema_editor):
    apps.get_model("assessment", "Indicator").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0003_patrol_coverage")]

    operations = [migrations.RunPython(seed, unseed)]
