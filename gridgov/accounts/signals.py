"""Logins, logouts and failed logins go to the audit log, on every path (web, admin, API)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gridgov.core.audit import audit_record
from gridgov.core.clientaddress import client_address
from gridgov.core.models import AuditEntry


def _home_region(user: Any) -> str | None:
    assignments = user.active_assignments() if hasattr(user, "active_assignments") else []
    return assignments[0].region_code if assignments else None


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(
        actor=user,
        action="auth.login",
        object_type="user",
        object_id=user.pk,
        region_code=_home_region(user),
        client_address=(client_address(request) if request is not None else None),
    )


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    audit_record(
        actor=user,
        action="auth.logout",
        object_type="user",
        object_id=user.pk,
        region_code=_home_region(user),
        client_address=(client_address(request) if request is not None else None),
    )


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    audit_record(
        actor=None,
        action="auth.login",
        outcome=AuditEntry.Outcome.FAILURE,
        object_type="user",
        object_id=str(credentials.get("username", ""))[:64],
        client_address=(client_address(request) if request is not None else None),
    )
