"""Patrol coverage joins the county's scheme weighted 0: the totals stay as they were until the
county gives it a weight on the scheme page."""

from django.db import migrations

CODE = "patrol_coverage"


def seed(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.get_or_create(code=CODE, defaults={"weight": 0, "target": 0, "position": 70})


def unseed(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_default_scheme")]

    operations = [migrations.RunPython(seed, unseed)]
