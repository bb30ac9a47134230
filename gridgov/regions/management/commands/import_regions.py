"""Import regions from a GeoJSON or CSV file, all or nothing; exit 1 with the report on bad rows.

Who acts: `--as USERNAME`; else an active county operator of GRIDGOV_COUNTY_CODE; else, while
that county does not exist yet (first setup, before any account can hold a role there), the
person at the shell, allowed to manage that county only and named in the audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.core.access import Perm, Role
from gridgov.core.errors import DomainError, ValidationFailed
from gridgov.core.scoping import Actor
from gridgov.regions import transfer
from gridgov.regions.models import Region
from gridgov.regions.transfer.actors import shell_actor


class Command(BaseCommand):
    help = "Import the region tree (or part of it) from a GeoJSON FeatureCollection or a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .geojson or .csv file, as export_regions writes it")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--format", choices=transfer.FORMATS, help="default: from the file's extension"
        )
        parser.add_argument(
            "--as", dest="username", help="act as this user (default: a county operator)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        actor = self._actor(options["username"])
        fmt = options["format"] or transfer.detect_format(content, path.name)
        try:
            records = transfer.parse(content, fmt)
            report = transfer.regions_import(
                actor=actor, records=records, dry_run=options["dry_run"]
            )
        except ValidationFailed as error:
            messages = [message for values in error.errors.values() for message in values]
            raise CommandError("; ".join(messages)) from error
        except DomainError as error:
            raise CommandError(error.message) from error
        for row_error in report.errors:
            self.stdout.write(f"{row_error.where}\t{row_error.code}\t{row_error.reason}")
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _actor(self, username: str | None) -> Actor:
        county = settings.GRIDGOV_COUNTY_CODE
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {username}")
            # The user model (accounts, a layer above) provides what an Actor needs.
            return cast(Actor, user)
        operator = (
            get_user_model()
            .objects.filter(
                is_active=True,
                role_assignments__role=Role.COUNTY_OPERATOR,
                role_assignments__region_code=county,
                role_assignments__is_active=True,
            )
            .order_by("username")
            .first()
        )
        if operator is not None:
            self.stdout.write(f"acting as county operator {operator.get_username()}")
            return cast(Actor, operator)
        if not Region.objects.filter(region_code=county).exists():
            actor = shell_actor(
                codes=(county,), permissions=frozenset({Perm.REGIONS_MANAGE, Perm.REGIONS_VIEW})
            )
            self.stdout.write(
                f"county {county} does not exist yet: importing as the local administrator "
                f"({actor.label}), limited to county {county} (GRIDGOV_COUNTY_CODE)"
            )
            return actor
        raise CommandError(f"county {county} has no active county operator: pass --as USERNAME")
