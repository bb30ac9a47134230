"""API token authentication: `Authorization: Token <key>`, the key looked up by its hash.

A token lapses (a phone left logged in does not stay so for ever), is replaced at the next login
and may be revoked; a lapsed or revoked one is refused (401).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from gridgov.accounts.models import ApiToken
from gridgov.accounts.selectors import api_token_by_key
from gridgov.accounts.services import IssuedToken, api_token_issue, api_token_touch


def token_for(user: Any) -> IssuedToken:
    """A fresh token for `user` (replacing their earlier ones), as a login would give: for tests,
    benchmarks and scripts. `.key` is the secret to send."""
    return api_token_issue(user=user)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = api_token_by_key(key=key)
        # Unknown and revoked answer alike: neither says whether the key ever existed.
        if token is None or token.revoked_at is not None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("The token has expired; log in again."))
        api_token_touch(token=token)
        return token.user, token
