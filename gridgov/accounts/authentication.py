"""Token authentication whose tokens lapse: a phone left logged in does not stay so for ever."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_is_expired(token: Token) -> bool:
    return timezone.now() - token.created > timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def token_for(user: Any) -> Token:
    """The user's current token, replaced by a fresh one when it has lapsed."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and token_is_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise exceptions.AuthenticationFailed("token expired; log in again")
        return user, token
