"""API: obtain and revoke a token, who am I, and giving and taking roles (三员分立 applies, as on
the pages)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.accounts.authentication import ExpiringTokenAuthentication
from gridgov.accounts.errors import PASSWORD_CHANGE_REQUIRED
from gridgov.accounts.forms import STAFF_ROLE_CHOICES
from gridgov.accounts.models import ApiToken, User
from gridgov.accounts.selectors import (
    managed_assignment,
    managed_user,
    name_assignment_regions,
    user_jurisdiction,
)
from gridgov.accounts.services import (
    api_token_issue,
    api_token_revoke,
    role_assign,
    role_revoke,
    user_deactivate,
    user_password_reset,
    user_reactivate,
    user_update,
)
from gridgov.core.access import Perm, Role
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import PermissionDenied
from gridgov.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gridgov.core.renderers import FastJSONRenderer
from gridgov.core.scoping import require_permission


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
        if user is not None and user.must_change_password:
            # The administrator who reset it knows this password: only a password of the
            # person's own opens the API.
            raise PermissionDenied(PASSWORD_CHANGE_REQUIRED)
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
    # Read on every page a client opens: written with orjson (the same bytes; see the renderer).
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]

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


# Keeping accounts (the system administrator's): the same rules as on the pages.


class UserAssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField(source="get_role_display")
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    is_active = serializers.BooleanField()


class UserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    is_active = serializers.BooleanField(help_text="False once the account is disabled.")
    must_change_password = serializers.BooleanField(
        help_text="True after a reset, until the person chooses their own password."
    )
    last_login = serializers.DateTimeField(allow_null=True)
    roles = UserAssignmentOutput(many=True, source="visible_assignments")


def _user_answer(user: User) -> dict[str, object]:
    name_assignment_regions(users=[user])
    return dict(UserOutput(user).data)


class UserUpdateInput(serializers.Serializer):
    display_name = serializers.CharField(max_length=64, allow_blank=True)


class UserDetailApi(APIView):
    """An account in the actor's jurisdiction (GET: whoever sees accounts); PATCH changes the
    name it goes by (the system administrator)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="v1_user_detail", responses={200: UserOutput})
    def get(self, request: Request, user_id: int) -> Response:
        user = managed_user(actor=actor_from(request), user_id=user_id)
        return Response(_user_answer(user))

    @extend_schema(
        operation_id="v1_user_update", request=UserUpdateInput, responses={200: UserOutput}
    )
    def patch(self, request: Request, user_id: int) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.ACCOUNTS_MANAGE)
        user = managed_user(actor=actor, user_id=user_id)
        data = UserUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        user_update(actor=actor, user=user, display_name=data.validated_data["display_name"])
        return Response(_user_answer(user))


class UserDeactivateApi(APIView):
    """Disable an account: it can no longer log in and its tokens stop working (not one's own)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="v1_user_deactivate", request=None, responses={200: UserOutput})
    def post(self, request: Request, user_id: int) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.ACCOUNTS_MANAGE)
        user = managed_user(actor=actor, user_id=user_id)
        user_deactivate(actor=actor, user=user)
        return Response(_user_answer(user))


class UserReactivateApi(APIView):
    """Let a disabled account log in again, with the roles it still holds."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="v1_user_reactivate", request=None, responses={200: UserOutput})
    def post(self, request: Request, user_id: int) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.ACCOUNTS_MANAGE)
        user = managed_user(actor=actor, user_id=user_id)
        user_reactivate(actor=actor, user=user)
        return Response(_user_answer(user))


class PasswordResetOutput(serializers.Serializer):
    password = serializers.CharField(
        help_text="Shown once: hand it over in person; the person changes it at their next login."
    )


class UserPasswordResetApi(APIView):
    """A new random password for an account (not one's own). An account that reads personal
    data needs the security administrator or the county leader (403
    `account.reset_needs_security_admin`)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_user_password_reset", request=None, responses={200: PasswordResetOutput}
    )
    def post(self, request: Request, user_id: int) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.ACCOUNTS_MANAGE)
        user = managed_user(actor=actor, user_id=user_id)
        password = user_password_reset(actor=actor, user=user)
        return Response({"password": password}, headers={"Cache-Control": "no-store"})
