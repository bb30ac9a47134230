"""API: obtain and revoke a token, and who am I."""

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
from gridgov.accounts.models import ApiToken
from gridgov.accounts.selectors import user_jurisdiction
from gridgov.accounts.services import api_token_issue, api_token_revoke
from gridgov.core.access import Role
from gridgov.core.clientaddress import client_address


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
        return Response(MeOutput(user_jurisdiction(actor=actor_from(request))).data)
