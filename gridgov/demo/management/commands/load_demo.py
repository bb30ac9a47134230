"""`manage.py load_demo`: build the synthetic demo county (扶风县 at its real scale) in one transaction."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gridgov.core.errors import Conflict
from gridgov.demo.console import table
from gridgov.demo.county import SUMMARY_LABELS, DemoAlreadyLoaded, load_demo
from gridgov.demo.names import COUNTY_CODE, COUNTY_NAME
from gridgov.regions.models import Region


class Command(BaseCommand):
    help = (
        "Load the demo county: 扶风县's towns, villages, grids and micro-grids with synthetic "
        "boundaries, figures and staff, and a demo login for every role."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing (and say so) when the database already has any region."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Region.objects.exists():
            self.stdout.write(
                _("The database already has regions: the demo county was not loaded.")
            )
            return
        try:
            summary = load_demo()
        except DemoAlreadyLoaded as error:
            raise CommandError(
                _(
                    "The demo county %(code)s already exists. Use --if-empty to skip loading, "
                    "or start from an empty database."
                )
                % {"code": COUNTY_CODE}
            ) from error
        except Conflict as error:
            raise CommandError(
                _("The demo county cannot be loaded: %(reason)s") % {"reason": error.message}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo county %(name)s (%(code)s) loaded in %(seconds).1f s:")
                % {"name": COUNTY_NAME, "code": COUNTY_CODE, "seconds": summary.seconds}
            )
        )
        rows = [
            [str(SUMMARY_LABELS.get(key, key)), f"{value:,}"]
            for key, value in summary.counts().items()
        ]
        for line in table(rows, right=frozenset({1})):
            self.stdout.write("  " + line)
        steps = ", ".join(f"{name} {seconds:.1f}" for name, seconds in summary.step_seconds.items())
        self.stdout.write("  " + _("Seconds by step: %(steps)s") % {"steps": steps})
