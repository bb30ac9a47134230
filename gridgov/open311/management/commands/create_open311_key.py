"""`manage.py create_open311_key NAME`: register an Open311 client and print its API key once."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gridgov.core.errors import ValidationFailed
from gridgov.open311.services import open311_client_create


class Command(BaseCommand):
    help = _("Register an Open311 client and print its API key (shown only this once).")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name", help=_("A name for the client application."))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            client, raw_key = open311_client_create(name=options["name"])
        except ValidationFailed as error:
            raise CommandError(error.message) from error
        self.stderr.write(
            _("API key of %(name)s (store it now: it is not kept and cannot be shown again):")
            % {"name": client.name}
        )
        self.stdout.write(raw_key)
