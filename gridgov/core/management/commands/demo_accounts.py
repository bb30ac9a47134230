"""`manage.py demo_accounts`: the demo logins present in this database, as a table or as JSON."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gridgov.accounts.models import User
from gridgov.accounts.roles import Role
from gridgov.demo.console import table
from gridgov.demo.county import DEMO_ACCOUNTS
from gridgov.regions.models import Region


class Command(BaseCommand):
    help = "Print the demo logins (username, password, role, region) that exist in the database."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--json",
            action="store_true",
            help=_("Print a JSON list of objects with username, password, role and region_code."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        present = set(
            User.objects.filter(
                username__in=[account["username"] for account in DEMO_ACCOUNTS], is_active=True
            ).values_list("username", flat=True)
        )
        accounts = [
            {key: account[key] for key in ("username", "password", "role", "region_code")}
            for account in DEMO_ACCOUNTS
            if account["username"] in present
        ]
        if options["json"]:
            self.stdout.write(json.dumps(accounts, ensure_ascii=False, indent=2))
            return
        if not accounts:
            self.stdout.write(_("No demo logins in this database (run `manage.py load_demo`)."))
            return
        region_names = dict(
            Region.objects.filter(
                region_code__in=[account["region_code"] for account in accounts]
            ).values_list("region_code", "name")
        )
        header = [_("username"), _("password"), _("role"), _("region")]
        rows = [
            [
                account["username"],
                account["password"],
                str(Role(account["role"]).label),
                f"{region_names.get(account['region_code'], '')} {account['region_code']}",
            ]
            for account in accounts
        ]
        self.stdout.write(_("Demo logins:"))
        for line in table([header, *rows]):
            self.stdout.write("  " + line)
