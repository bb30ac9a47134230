"""Rebuild the command centre's rollups of some days from the cases and print any difference."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gridgov.dashboards.services import rollups_rebuild, rollups_reconcile


class Command(BaseCommand):
    help = "Rebuild the rollups of a day (default: yesterday) and report what differed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="the day reported, YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--days", type=int, default=1, help="how many days up to --day")
        parser.add_argument(
            "--all", action="store_true", help="recount every case from scratch instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            count = rollups_rebuild()
            self.stdout.write(f"rebuilt from {count} cases")
            return
        try:
            last = (
                date.fromisoformat(options["day"])
                if options["day"]
                else timezone.localdate() - timedelta(days=1)
            )
        except ValueError as error:
            raise CommandError(f"not a date: {options['day']}") from error
        if options["days"] < 1:
            raise CommandError("--days must be at least 1")
        total = 0
        for offset in range(options["days"] - 1, -1, -1):
            day = last - timedelta(days=offset)
            differences = rollups_reconcile(day=day)
            total += len(differences)
            for difference in differences:
                self.stdout.write(
                    f"{day} {difference.key}: recorded {difference.recorded},"
                    f" expected {difference.expected}"
                )
            self.stdout.write(f"{day}: {len(differences)} difference(s)")
        if total:
            self.stderr.write(f"{total} difference(s) found and corrected")
