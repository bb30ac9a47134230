"""Why the training services refuse: each code with its message (see `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code

COURSE_NOT_FOUND = error_code("trainings.course_not_found", _("There is no such course here."))
SESSION_NOT_FOUND = error_code(
    "trainings.session_not_found", _("There is no such training session here.")
)
TITLE_REQUIRED = error_code("trainings.title_required", _("Give a title (at most 120 characters)."))
KIND_UNKNOWN = error_code("trainings.kind_unknown", _("Choose who the course trains."))
PLACE_OUTSIDE = error_code("trainings.place_outside", _("Choose a place of your own jurisdiction."))
HOURS_RANGE = error_code("trainings.hours_range", _("Give between 1 and %(limit)d hours."))
VALIDITY_RANGE = error_code(
    "trainings.validity_range", _("A certificate is valid for between 1 and %(limit)d months.")
)
PASS_MARK_RANGE = error_code(
    "trainings.pass_mark_range", _("The pass mark lies between 0 and 100.")
)
ENDS_BEFORE_START = error_code(
    "trainings.ends_before_start", _("The end must come after the start.")
)
TOO_LONG_SESSION = error_code(
    "trainings.session_too_long", _("A session lasts at most %(days)d days; schedule several.")
)
CAPACITY_RANGE = error_code(
    "trainings.capacity_range", _("Give room for between 1 and %(limit)d people.")
)
TRAINER_REQUIRED = error_code(
    "trainings.trainer_required", _("Name the trainer (at most 64 characters).")
)
OUTSIDE_COURSE = error_code(
    "trainings.outside_course",
    _("A session is held where its course runs: at the course's place or a place below it."),
)
NOT_ON_ROSTER = error_code(
    "trainings.not_on_roster",
    _("Member %(member)s is not serving on a team this course trains, at this session's place."),
)
PASSED_WITHOUT_ATTENDING = error_code(
    "trainings.passed_without_attending", _("%(name)s cannot pass without attending.")
)
SCORE_RANGE = error_code("trainings.score_range", _("A score lies between 0 and 100."))
SCORE_BELOW_PASS = error_code(
    "trainings.score_below_pass",
    _("%(name)s scored %(score)d, below the pass mark of %(pass_mark)d."),
)
OVER_CAPACITY = error_code(
    "trainings.over_capacity", _("The session has room for %(capacity)d people.")
)
NOT_HELD_YET = error_code(
    "trainings.not_held_yet",
    _("The session has not started yet: record attendance from its start."),
)
DUPLICATE_MEMBER = error_code("trainings.duplicate_member", _("Member %(member)s is listed twice."))
BAD_PERIOD = error_code(
    "trainings.bad_period", _("The period's end must not come before its start.")
)
TOO_MANY_ENTRIES = error_code(
    "trainings.too_many_entries", _("Record at most %(limit)d people at once.")
)
