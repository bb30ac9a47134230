"""`manage.py demo_accounts`: the demo logins present in this database, and the demo Open311 key,
as a table or as JSON."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gridgov.accounts.models import User
from gridgov.core.access import Role
from gridgov.demo.console import table
from gridgov.demo.logins import DEMO_ACCOUNTS
from gridgov.demo.open311_client import DEMO_CLIENT_NAME, demo_open311_key
from gridgov.open311.models import Open311Client
from gridgov.regions.models import Region


def demo_open311_entry() -> dict[str, Any] | None:
    """The demo Open311 key, listed like a login, when `load_demo` made its client. Never made
    here: a database without the demo must not get a client whose key is published."""
    if not Open311Client.objects.filter(name=DEMO_CLIENT_NAME, is_active=True).exists():
        return None
    return demo_open311_key()


class Command(BaseCommand):
    help = (
        "Print the demo logins (username, password, role, region) that exist in the database, "
        "and the demo Open311 client's API key."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--json",
            action="store_true",
            help=_(
                "Print a JSON list of objects with username, password, role and region_code "
                "(and api_key for the Open311 client)."
            ),
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
        open311 = demo_open311_entry()
        listed: list[dict[str, Any]] = [*accounts, open311] if open311 else list(accounts)
        if options["json"]:
            self.stdout.write(json.dumps(listed, ensure_ascii=False, indent=2))
            return
        if not listed:
            self.stdout.write(_("No demo logins in this database (run `manage.py load_demo`)."))
            return
        region_names = dict(
            Region.objects.filter(
                region_code__in=[item["region_code"] for item in listed]
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
        if open311:
            # The API key goes where a login's password would.
            rows.append(
                [
                    open311["username"],
                    open311["api_key"],
                    str(_("Open311 client")),
                    f"{region_names.get(open311['region_code'], '')} {open311['region_code']}",
                ]
            )
        self.stdout.write(_("Demo logins:"))
        for line in table([header, *rows]):
            self.stdout.write("  " + line)
