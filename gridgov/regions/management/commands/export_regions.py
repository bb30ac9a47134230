"""Export the region tree as a GeoJSON FeatureCollection or CSV, to a file or standard output.

Run at the shell it exports every county in the database; `--as USERNAME` limits it to what that
user may see.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.core.access import Perm
from gridgov.core.errors import DomainError
from gridgov.core.scoping import Actor
from gridgov.regions import transfer
from gridgov.regions.models import Level, Region
from gridgov.regions.transfer.actors import shell_actor


class Command(BaseCommand):
    help = "Export the region tree as a GeoJSON FeatureCollection or CSV (UTF-8 with BOM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=transfer.FORMATS, default=transfer.GEOJSON)
        parser.add_argument("--root", help="code of the subtree to export (default: all)")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument("--as", dest="username", help="export what this user may see")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["username"])
        try:
            chunks = transfer.regions_export(
                actor=actor, fmt=options["format"], root_code=options["root"]
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        if options["output"]:
            with Path(options["output"]).open("w", encoding="utf-8", newline="") as output:
                output.writelines(chunks)
        else:
            for chunk in chunks:
                # The chunks carry their own line endings (CRLF in CSV).
                self.stdout.write(chunk, ending="")

    def _actor(self, username: str | None) -> Actor:
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {username}")
            # The user model (accounts, a layer above) provides what an Actor needs.
            return cast(Actor, user)
        counties = Region.objects.filter(level=Level.COUNTY).values_list("region_code", flat=True)
        if not counties:
            raise CommandError("the database holds no region yet")
        return shell_actor(codes=tuple(counties), permissions=frozenset({Perm.REGIONS_VIEW}))
