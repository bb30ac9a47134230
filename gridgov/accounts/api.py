"""API: obtain and revoke a token, who am I, and giving and taking roles (三员分立 applies, as on
the pages)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.accounts.authentication import ExpiringTokenAuthentication
from gridgov.accounts.forms import STAFF_ROLE_CHOICES
from gridgov.accounts.models import ApiToken
from gridgov.accounts.selectors import managed_assignment, managed_user, user_jurisdiction
from gridgov.accounts.services import api_token_issue, api_token_revoke, role_assign, role_revoke
from gridgov.core.access import Role
from gridgov.core.clientaddress import client_address
from gridgov.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class TokenObtainApi(APIView):
    """POST: exchange a username and password for an API token (lockout applies, as on the web);
    it replaces the user's earlier tokens. DELETE: revoke the token the request carries."""

    # Only DELETE authenticates (with the token it revokes); a login must work whatever stale
    # token a client still sends.
    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [AllowAny]

    def perform_authentication(self, request: Request) -> None:
        if request.method == "DELETE":
            super().perform_authentication(request)

    @extend_schema(
        request=TokenInput,
        responses={200: TokenOutput},
        auth=[],
        description=(
            "A fresh token, valid for API_TOKEN_TTL_HOURS; every earlier token of the user stops "
            "working. Send it as `Authorization: Token <token>`."
        ),
    )
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        # axes reads the Django request, so hand it the underlying HttpRequest.
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            return Response(
                {"detail": "too many failed logins; try again later", "code": "locked_out"},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None or not user.is_active:
            # Well-formed but wrong credentials: not logged in (401), not bad input (400).
            return Response(
                {
                    "detail": "unable to log in with these credentials",
                    "code": "invalid_credentials",
                },
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": 'Token realm="api"'},
            )
        issued = api_token_issue(
            user=user,
            client_address=client_address(request._request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        # Issuing a token is a login: the audit log records it with the client address, and axes
        # clears the failures counted against this username and address, as on the web.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(TokenOutput({"token": issued.key}).data)

    @extend_schema(
        request=None,
        responses={204: None},
        # A token, and nothing else: not a session, and not optional (AllowAny serves POST).
        # (The schema takes security requirements here, whatever the annotation says.)
        auth=[{"tokenAuth": []}],  # type: ignore[list-item]
        description="Revoke the token this request is authenticated with (log out).",
    )
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise NotAuthenticated()
        api_token_revoke(actor=actor_from(request), token_id=request.auth.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssignmentOutput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField()
    region_code = serializers.CharField()
    region_name = serializers.CharField()


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    roles = AssignmentOutput(many=True)
    jurisdiction = serializers.ListField(
        child=serializers.CharField(), help_text="Region codes whose subtrees you may see."
    )


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeOutput})
    def get(self, request: Request) -> Response:
        # The selector's answer has the schema's shape already: serializing it again through
        # MeOutput cost a fifth of the request (DRF copies a serializer's fields per instance).
        return Response(user_jurisdiction(actor=actor_from(request)))


class RoleAssignInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=STAFF_ROLE_CHOICES)
    region_code = serializers.CharField(max_length=18)


class RoleAssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField(source="get_role_display")
    region_code = serializers.CharField()
    is_active = serializers.BooleanField()


class RoleAssignApi(APIView):
    """Give an account a role. A role that reads residents' or cases' data, or one of the three
    administrative powers, needs the security administrator or the county leader, never the
    account's creator; nobody holds two of the system administrator, security administrator and
    auditor (403 `account.two_powers`)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_user_role_assign",
        request=RoleAssignInput,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: RoleAssignmentOutput},
    )
    @idempotent
    def post(self, request: Request, user_id: int) -> Response:
        actor = actor_from(request)
        user = managed_user(actor=actor, user_id=user_id)
        data = RoleAssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = role_assign(
            actor=actor,
            user=user,
            role=data.validated_data["role"],
            region_code=data.validated_data["region_code"].strip(),
        )
        return Response(RoleAssignmentOutput(assignment).data, status=status.HTTP_201_CREATED)


class RoleRevokeApi(APIView):
    """Take a role back (the assignment stays, inactive); the same powers as giving it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_user_role_revoke",
        request=None,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={200: RoleAssignmentOutput},
    )
    @idempotent
    def post(self, request: Request, user_id: int, assignment_id: int) -> Response:
        actor = actor_from(request)
        # The assignment must be this user's and visible here: a mismatched URL answers 404.
        managed_assignment(actor=actor, user_id=user_id, assignment_id=assignment_id)
        assignment = role_revoke(actor=actor, assignment_id=assignment_id)
        return Response(RoleAssignmentOutput(assignment).data)
