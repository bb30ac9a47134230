"""Check the audit log's hash chain; exit 1 and name each broken row when it has been tampered with."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gridgov.core.audit import verify_chain
from gridgov.core.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the audit log's hash chain: finds edited, inserted and deleted rows."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(verify_chain())
        total = AuditEntry.objects.count()
        if problems:
            for problem in problems:
                self.stderr.write(f"{problem.kind}: {problem.message}")
            raise CommandError(
                _("audit log broken: %(count)d problem(s) in %(total)d rows")
                % {"count": len(problems), "total": total}
            )
        self.stdout.write(_("audit log intact: %(total)d rows") % {"total": total})
