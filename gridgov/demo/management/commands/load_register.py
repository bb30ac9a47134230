"""`manage.py load_register`: a county-scale synthetic register over the demo county's grids
(about 150,000 households and 450,000 residents by default). Not part of `make run`: it takes
minutes. Run it after `load_demo`, on a database without that many residents yet."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gridgov.demo.names import COUNTY_CODE
from gridgov.demo.people import write_register
from gridgov.people.models import Resident
from gridgov.regions.models import Level, Region


class Command(BaseCommand):
    help = "Write a county-scale synthetic population register over the demo county's grids."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--households", type=int, default=150_000)
        parser.add_argument("--seed", type=int, default=11)

    def handle(self, *args: Any, **options: Any) -> None:
        grids = list(
            Region.objects.filter(level=Level.GRID, county_code=COUNTY_CODE)
            .order_by("region_code")
            .values_list("region_code", flat=True)
        )
        if not grids:
            raise CommandError("Load the demo county first (manage.py load_demo).")
        per_grid = max(1, options["households"] // len(grids))
        # Index past the residents already there, so every synthetic ID number stays distinct.
        first = Resident.objects.count() * 2 + 10_000_000
        with transaction.atomic():
            summary = write_register(
                grid_codes=grids,
                households_per_grid=per_grid,
                seed=options["seed"],
                first_index=first,
                progress=True,
            )
        self.stdout.write(
            f"{summary.households:,} households, {summary.residents:,} residents, "
            f"{summary.focus:,} in focus groups, {summary.buildings:,} buildings "
            f"in {summary.seconds:.0f} s"
        )
