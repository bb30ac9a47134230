"""Why the activities services refuse: each code with its message (see `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code

ACTIVITY_NOT_FOUND = error_code("activities.not_found", _("There is no such activity here."))
UNKNOWN_KIND = error_code("activities.unknown_kind", _("Choose one of the six front lines."))
PLACE_OUTSIDE = error_code("activities.place_outside", _("Choose a place within where you work."))
CHOOSE_PLACE = error_code(
    "activities.choose_place", _("You work in more than one place: choose where this was.")
)
PLACE_REQUIRED = error_code("activities.place_required", _("Say where it took place."))
WHEN_REQUIRED = error_code("activities.when_required", _("Say when it started."))
IN_FUTURE = error_code("activities.in_future", _("It cannot start in the future."))
TOO_OLD = error_code("activities.too_old", _("Log work of the last %(days)d days only."))
ENDS_BEFORE_START = error_code(
    "activities.ends_before_start", _("It cannot end before it started.")
)
AUDIENCE_RANGE = error_code(
    "activities.audience_range", _("Give the audience as a number from 0 to %(limit)d.")
)
NO_SUCH_ACCOUNT = error_code(
    "activities.no_such_account",
    _("There is no active account %(username)s working where this took place."),
)
NO_SUCH_MEMBER = error_code(
    "activities.no_such_member", _("There is no such team member serving there.")
)
NO_SUCH_FILE = error_code(
    "activities.no_such_file", _("There is no mediation file %(number)s that you may see.")
)
ONLY_FOR_KIND = error_code("activities.only_for_kind", _("This applies to %(kind)s only."))
USE_PATROL_PAGE = error_code(
    "activities.use_patrol", _("Start a patrol and check in along the way, on the patrol page.")
)
NOT_A_PATROL = error_code("activities.not_a_patrol", _("This activity is not a patrol."))
NOT_YOURS = error_code(
    "activities.not_yours", _("Only the worker who walks this patrol may change it.")
)
PATROL_FINISHED = error_code("activities.patrol_finished", _("This patrol is already finished."))
PATROL_OPEN = error_code(
    "activities.patrol_open", _("Finish your patrol that is still open before starting another.")
)
POINT_REQUIRED = error_code(
    "activities.point_required", _("Give the position: latitude and longitude.")
)
POINT_RANGE = error_code("activities.point_range", _("This is not a position on Earth."))
POINT_OUTSIDE_GRIDS = error_code(
    "activities.point_outside_grids", _("This position lies in none of the county's grids.")
)
POINT_OUTSIDE_YOURS = error_code(
    "activities.point_outside_yours",
    _("This position lies in %(grid)s, outside where you work: check in within your grid."),
)
