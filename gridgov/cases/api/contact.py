"""Reading a reporter's contact in full: permission-checked, with a reason, audited."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.cases import policy, selectors
from gridgov.cases.api.schema import BAD_INPUT, FORBIDDEN, NOT_FOUND
from gridgov.cases.models import Case
from gridgov.cases.serializers import ContactOutput, RevealContactInput
from gridgov.cases.states import Action
from gridgov.core.audit import audit_record
from gridgov.core.errors import PermissionDenied

ROUTE_ACTIONS = [action for action in Action if action not in policy.HANDLER_ACTIONS]


def may_reveal_contact(actor: Any, case: Case) -> bool:
    """Who routes the case (at its level, or may pull it up) or handles it may call the reporter."""
    if case.assignee_id is not None and case.assignee_id == actor.pk:
        return True
    return any(policy.may_take(actor, case, action) for action in ROUTE_ACTIONS)


def case_reveal_contact(
    *, actor: Any, case: Case, reason: str, client_address: str | None = None
) -> dict[str, str]:
    """The reporter's name and phone in full; every read is an audit row with its reason."""
    if not may_reveal_contact(actor, case):
        # The API's exception handler writes the refusal to the audit log.
        raise PermissionDenied("only who routes or handles this case may read the contact")
    audit_record(
        actor=actor,
        action="case.reveal_contact",
        object_type="case",
        object_id=case.number,
        region_code=case.region_code,
        client_address=client_address,
        detail={"reason": reason},
    )
    return {
        "number": case.number,
        "reporter_name": case.reporter_name.reveal(),
        "reporter_phone": case.reporter_phone.reveal(),
    }


class CaseRevealContactApi(APIView):
    # Not idempotent on purpose: the response carries personal data in full, which must not be
    # stored for replays, and every full read is audited anew.
    @extend_schema(
        summary="Read the reporter's contact in full (audited)",
        description="For who routes or handles the case; the reason goes to the audit log.",
        request=RevealContactInput,
        responses={200: ContactOutput, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, number: str) -> Response:
        actor = actor_from(request)
        data = RevealContactInput(data=request.data)
        data.is_valid(raise_exception=True)
        contact = case_reveal_contact(
            actor=actor,
            case=selectors.case_get(actor=actor, number=number),
            reason=data.validated_data["reason"],
            client_address=request.META.get("REMOTE_ADDR"),
        )
        return Response(ContactOutput(contact).data, headers={"Cache-Control": "no-store"})
