"""Reading a reporter's contact in full: permission-checked, with a reason, audited."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.cases import selectors
from gridgov.cases.api.schema import BAD_INPUT, FORBIDDEN, NOT_FOUND
from gridgov.cases.serializers import ContactOutput, RevealContactInput
from gridgov.cases.services.contact import case_reveal_contact
from gridgov.core.clientaddress import client_address


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
            client_address=client_address(request),
        )
        body = {
            "number": number,
            "reporter_name": contact["name"],
            "reporter_phone": contact["phone"],
        }
        return Response(ContactOutput(body).data, headers={"Cache-Control": "no-store"})
