"""The refusals an API operation names in its schema, shared by every app.

Every refusal answers the one body `core.api_errors` writes (`code`, `detail`, `params`, and a
400's `errors`), documented once as the `Error` component by `core.openapi`; an operation names
the refusals it can answer and, where it helps a client, why (`refusal("The message's state does
not allow this.")`). The same serializer declared in each app made a component of one name with
eight identities, which drf-spectacular warns will likely give a wrong schema.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

from gridgov.core.openapi import ERROR_COMPONENT

_ERROR_SCHEMA = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}


def refusal(description: str) -> OpenApiResponse:
    """A refusal response with its own description, answering the shared error body."""
    return OpenApiResponse(_ERROR_SCHEMA, description=description)


BAD_INPUT = refusal("Bad input: each field with its problems.")
FORBIDDEN = refusal("No role allows this.")
NOT_FOUND = refusal("Missing, or outside your jurisdiction.")
KEY_REUSED = refusal("The Idempotency-Key was already used with another payload.")
