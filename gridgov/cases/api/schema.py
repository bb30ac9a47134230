"""Error responses shared by the cases API's schema."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

from gridgov.cases.serializers import ErrorOutput

BAD_INPUT = OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors: field -> messages.")
FORBIDDEN = OpenApiResponse(ErrorOutput, description="No role allows this.")
NOT_FOUND = OpenApiResponse(ErrorOutput, description="Missing, or outside your jurisdiction.")
CONFLICT = OpenApiResponse(ErrorOutput, description="The case's state does not allow this.")
KEY_REUSED = OpenApiResponse(
    ErrorOutput, description="The Idempotency-Key was already used with another payload."
)
