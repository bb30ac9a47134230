"""What the mediation services share: the jurisdiction check for a write."""

from __future__ import annotations

from typing import Any

from gridgov.core.access import Perm
from gridgov.core.codes import is_within
from gridgov.core.errors import ErrorCode, NotFound
from gridgov.core.scoping import require_permission


def require_work_at(actor: Any, region_code: str, not_found: ErrorCode, **params: Any) -> None:
    """PermissionDenied without mediation.work anywhere; NotFound when `region_code` lies
    outside the actor's jurisdiction for it (as for a missing object)."""
    codes = require_permission(actor, Perm.MEDIATION_WORK)
    if not any(is_within(region_code, code) for code in codes):
        raise NotFound(not_found, **params)
