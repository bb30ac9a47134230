"""Revealing a reporter's contact: a separate, permission-checked step with a reason, audited
whether it is allowed or refused."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gridgov.cases import errors, policy
from gridgov.cases.models import Case
from gridgov.core.audit import audit_record
from gridgov.core.errors import TOO_LONG, PermissionDenied, RefusalTarget, ValidationFailed

REASON_MAX_LENGTH = 500


def may_reveal_contact(actor: Any, case: Case) -> bool:
    """Whoever routes the case at its current level, or the handler it is assigned to."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if case.assignee_id is not None and case.assignee_id == actor.pk:
        return True
    return policy.routes_at_current_level(actor, case)


def case_reveal_contact(
    *, actor: Any, case: Case, reason: str, client_address: str | None = None
) -> dict[str, str]:
    """The reporter's name and phone in full, for `reason`.

    ValidationFailed (400) without a reason, whoever asks; PermissionDenied (403, audited as
    refused) when the actor may not see them.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", errors.CONTACT_REASON_REQUIRED)
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationFailed.on("reason", TOO_LONG, limit=REASON_MAX_LENGTH)
    if not may_reveal_contact(actor, case):
        raise PermissionDenied(
            errors.CONTACT_REFUSED,
            target=RefusalTarget(
                object_type="case",
                object_id=case.number,
                operation="reveal_contact",
                region_code=case.region_code,
                detail={"stated_reason": reason},
            ),
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="case.reveal_contact",
            object_type="case",
            object_id=case.number,
            region_code=case.region_code,
            client_address=client_address,
            detail={"reason": reason},
        )
    return {"name": case.reporter_name.reveal(), "phone": case.reporter_phone.reveal()}
