"""Error responses shared by the cases API's schema: the platform's refusals, and the case's own
state conflict."""

from __future__ import annotations

from gridgov.core.api_responses import BAD_INPUT, FORBIDDEN, KEY_REUSED, NOT_FOUND, refusal

CONFLICT = refusal("The case's state does not allow this.")

__all__ = ["BAD_INPUT", "CONFLICT", "FORBIDDEN", "KEY_REUSED", "NOT_FOUND"]
