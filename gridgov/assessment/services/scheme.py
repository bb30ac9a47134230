"""The county changes its scoring scheme: each indicator's weight and target. The weights of a
scheme add up to 100, so a score is out of 100 when every indicator applies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.assessment import errors
from gridgov.assessment.indicators import registered
from gridgov.assessment.models import Indicator
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import ValidationFailed
from gridgov.core.scoping import require_permission

TOTAL_WEIGHT = 100


@dataclass(frozen=True)
class SchemeChange:
    code: str
    weight: int
    target: int = 0


def scheme_update(*, actor: Any, changes: list[SchemeChange]) -> list[Indicator]:
    """Set the weights and targets of the scheme's indicators (all of them at once)."""
    allowed = require_permission(actor, Perm.ASSESSMENT_CONFIGURE)
    known = registered()
    with transaction.atomic():
        indicators = {
            indicator.code: indicator
            for indicator in Indicator.objects.select_for_update().filter(code__in=known)
        }
        total = sum(change.weight for change in changes if change.code in indicators)
        untouched = sum(
            indicator.weight
            for code, indicator in indicators.items()
            if code not in {change.code for change in changes}
        )
        if total + untouched != TOTAL_WEIGHT:
            raise ValidationFailed.on("__all__", errors.WEIGHTS_SUM, total=total + untouched)
        now = timezone.now()
        before = {}
        for change in changes:
            indicator = indicators.get(change.code)
            if indicator is None:
                continue
            before[change.code] = [indicator.weight, indicator.target]
            indicator.weight = change.weight
            indicator.target = change.target
            indicator.updated_at = now
            indicator.updated_by = actor
            indicator.save(update_fields=["weight", "target", "updated_at", "updated_by"])
        audit_record(
            actor=actor,
            action="assessment.scheme",
            object_type="scheme",
            object_id="scheme",
            region_code=allowed[0],
            detail={
                "before": before,
                "after": {c.code: [c.weight, c.target] for c in changes if c.code in indicators},
            },
        )
    return sorted(indicators.values(), key=lambda i: (i.position, i.code))
