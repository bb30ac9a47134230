"""Check the audit log's hash chain and its end against the anchors kept outside the database;
exit 1 and name each problem when it has been tampered with."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gridgov.core.audit import head_comparisons, verify_chain
from gridgov.core.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain: finds edited, inserted and deleted rows, and a cut "
        "end or an older database restored (against the anchor file)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for comparison in head_comparisons():
            database, anchored = comparison.database, comparison.anchored
            self.stdout.write(
                _("chain %(chain)s: database head %(database)s, anchored head %(anchored)s")
                % {
                    "chain": comparison.chain,
                    "database": f"#{database.sequence} {database.entry_hash}"
                    if database
                    else _("none"),
                    "anchored": f"#{anchored.head.sequence} {anchored.head.entry_hash} "
                    f"({anchored.anchored_at})"
                    if anchored
                    else _("none"),
                }
            )
        problems = list(verify_chain())
        total = AuditEntry.objects.count()
        if problems:
            for problem in problems:
                self.stderr.write(f"{problem.kind}: {problem.message} [{problem.chain}]")
            raise CommandError(
                _("audit log broken: %(count)d problem(s) in %(total)d rows")
                % {"count": len(problems), "total": total}
            )
        self.stdout.write(_("audit log intact: %(total)d rows") % {"total": total})
