"""Why the case services refuse: each code with its message (see `core.errors`).

Clients and tests match on the codes; the messages are rendered in the reader's language, with a
state or an action shown by its label ("受理", not "accepted").
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from gridgov.cases.models import ACTION_VERBS, STATE_LABELS
from gridgov.core.errors import error_code


def _state(value: Any) -> Any:
    return STATE_LABELS.get(value, value)


def _action(value: Any) -> Any:
    return ACTION_VERBS.get(value, value)


def _states(value: Any) -> str:
    # A comma-separated list of state codes, shown as their labels.
    separator = pgettext("list separator", ", ")
    return separator.join(str(_state(code)) for code in str(value).split(",") if code)


_LABELS = {"state": _state, "action": _action, "needs": _states}

# Finding a case.
CASE_NOT_FOUND = error_code("case.not_found", _("There is no case %(number)s here."))
TRACKING_NOT_FOUND = error_code(
    "case.tracking_not_found", _("There is no case with this tracking number.")
)
PHOTO_NOT_FOUND = error_code("case.photo_not_found", _("There is no such photo."))

# The state machine and who may move a case.
NOT_IN_STATE = error_code(
    "case.not_in_state",
    _("This case is “%(state)s” now, so “%(action)s” is not possible (it needs: %(needs)s)."),
    labels=_LABELS,
)
UNKNOWN_ACTION = error_code("case.unknown_action", _("There is no action “%(action)s”."))
USE_MERGE = error_code("case.use_merge", _("Merge through the merge operation, naming the case."))
ACTION_REFUSED = error_code(
    "case.action_refused", _("You may not “%(action)s” this case."), labels=_LABELS
)
SELF_VERIFY = error_code(
    "case.self_verify", _("Whoever resolved a case cannot verify it: someone else checks it.")
)
AT_COUNTY_LEVEL = error_code(
    "case.at_county_level", _("The case is already at county level and cannot go higher.")
)
AT_VILLAGE_LEVEL = error_code("case.at_village_level", _("The case is already at village level."))
NOWHERE_BELOW = error_code(
    "case.nowhere_below", _("The case has no place below this level to be referred to.")
)
NOTE_REQUIRED = error_code("case.note_required", _("Say why (this action needs a note)."))
ASSIGNEE_REQUIRED = error_code("case.assignee_required", _("Choose who handles the case."))
ASSIGNEE_CANNOT_HANDLE = error_code(
    "case.assignee_cannot_handle", _("This person cannot handle cases of this unit.")
)
TRANSFER_KIND = error_code(
    "case.transfer_kind", _("Choose a department (administrative) or the court (judicial).")
)
TRANSFER_TO_REQUIRED = error_code(
    "case.transfer_to_required", _("Name the department or the court's desk.")
)
MERGE_INTO_ITSELF = error_code("case.merge_into_itself", _("A case cannot be merged into itself."))
MERGE_TARGET_CLOSED = error_code(
    "case.merge_target_closed", _("The case to merge into is no longer open.")
)
MERGE_TARGET_NOT_FOUND = error_code(
    "case.merge_target_not_found", _("There is no case %(number)s in your jurisdiction.")
)

# The resident's rating and reopening.
RATE_NOT_CLOSED = error_code("case.rate_not_closed", _("Only a closed case can be rated."))
REOPEN_NOT_CLOSED = error_code("case.reopen_not_closed", _("Only a closed case can be reopened."))
ALREADY_RATED = error_code("case.already_rated", _("This case has already been rated."))
REOPEN_WINDOW = error_code(
    "case.reopen_window", _("The %(days)d days for reopening this case have passed.")
)
RATING_RANGE = error_code("case.rating_range", _("Choose a rating from 1 to 5."))
REOPEN_REASON_REQUIRED = error_code(
    "case.reopen_reason_required", _("Say why the problem is not solved.")
)

# Reading the reporter's contact.
CONTACT_REASON_REQUIRED = error_code(
    "case.contact_reason_required", _("Say why you need the reporter's contact.")
)
CONTACT_REFUSED = error_code("case.contact_refused", _("You may not see this reporter's contact."))

# A report.
UNKNOWN_CATEGORY = error_code("case.unknown_category", _("There is no such category."))
CHOOSE_SUBCATEGORY = error_code("case.choose_subcategory", _("Choose a sub-category."))
DESCRIPTION_REQUIRED = error_code("case.description_required", _("Describe the problem."))
UNKNOWN_CHANNEL = error_code("case.unknown_channel", _("There is no channel “%(channel)s”."))
UNKNOWN_URGENCY = error_code("case.unknown_urgency", _("There is no urgency “%(urgency)s”."))
BAD_PHONE = error_code("case.bad_phone", _("This is not a valid phone number."))
HALF_POINT = error_code("case.half_point", _("Give both latitude and longitude."))
POINT_OUT_OF_RANGE = error_code(
    "case.point_out_of_range", _("The latitude or longitude is out of range.")
)
NO_PLACE = error_code("case.no_place", _("Give a map point, or an address with its region."))
UNKNOWN_REGION = error_code("case.unknown_region", _("There is no such region."))
ADDRESS_REQUIRED = error_code(
    "case.address_required", _("Give the address when there is no point on the map.")
)
PLACE_OUTSIDE_JURISDICTION = error_code(
    "case.place_outside_jurisdiction", _("The place is outside your jurisdiction.")
)
TOO_MANY_PHOTOS = error_code("case.too_many_photos", _("At most %(limit)d photos."))
PHOTO_TYPE = error_code("case.photo_type", _("%(name)s: not a JPEG, PNG or WebP image."))
PHOTO_TOO_LARGE = error_code("case.photo_too_large", _("%(name)s: larger than %(limit_mb)d MB."))
