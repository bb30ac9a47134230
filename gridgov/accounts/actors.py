"""The acting user of a request, typed for selectors and services."""

from __future__ import annotations

from typing import Any

from gridgov.accounts.models import User
from gridgov.core.errors import AUTHENTICATION_REQUIRED, PermissionDenied


def actor_from(request: Any) -> User:
    """The authenticated user of an API or web request; views behind login only."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied(AUTHENTICATION_REQUIRED)
    return user
