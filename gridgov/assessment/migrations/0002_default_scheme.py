"""The default scoring scheme: the six indicators counted from cases and the register, weighted
to add up to 100 (the county changes them on the scheme page)."""

from django.db import migrations

DEFAULT_SCHEME = [
    # code, weight, monthly target per grid (counts only), order
    ("reports_made", 20, 6, 10),
    ("on_time", 20, 0, 20),
    ("resolution", 15, 0, 30),
    ("verified", 10, 0, 40),
    ("satisfaction", 15, 0, 50),
    ("focus_visits", 20, 0, 60),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    for code, weight, target, position in DEFAULT_SCHEME:
        Indicator.objects.get_or_create(
            code=code, defaults={"weight": weight, "target": target, "position": position}
        )


def unseed(apps, schema_editor):
    Indicator = apps.get_model("assessment", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in DEFAULT_SCHEME]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
