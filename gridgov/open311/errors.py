"""Why the Open311 services refuse: each code with its message (see `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code

CLIENT_NAME_REQUIRED = error_code("open311.client_name_required", _("A name is required."))
CLIENT_NAME_TAKEN = error_code("open311.client_name_taken", _("A client with this name exists."))
POINT_OUTSIDE_GRIDS = error_code(
    "open311.point_outside_grids", _("The point is outside every grid of the jurisdiction.")
)
POINT_OUTSIDE_JURISDICTION = error_code(
    "open311.point_outside_jurisdiction", _("The point is outside the jurisdiction.")
)
NOT_A_REGION = error_code("open311.not_a_region", _("Not a region code of the jurisdiction."))
SERVICE_NOT_FOUND = error_code(
    "open311.service_not_found", _("service_code %(code)s was not found.")
)
REQUEST_NOT_FOUND = error_code(
    "open311.request_not_found", _("service_request_id %(id)s was not found.")
)
TOKEN_NOT_FOUND = error_code("open311.token_not_found", _("token %(token)s was not found."))
KEY_MISSING = error_code("open311.key_missing", _("api_key was not provided."))
KEY_INVALID = error_code("open311.key_invalid", _("The api_key is not valid."))
