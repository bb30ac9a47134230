"""Why the volunteer services refuse: each code with its message (see `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code

EVENT_NOT_FOUND = error_code("volunteers.event_not_found", _("There is no such event here."))
SIGN_UP_NOT_FOUND = error_code(
    "volunteers.sign_up_not_found", _("This volunteer is not signed up for the event.")
)
WISH_NOT_FOUND = error_code("volunteers.wish_not_found", _("There is no such micro-wish here."))
TITLE_REQUIRED = error_code(
    "volunteers.title_required", _("Give a title (at most 120 characters).")
)
PLACE_OUTSIDE = error_code(
    "volunteers.place_outside", _("Choose a place of your own jurisdiction.")
)
ENDS_BEFORE_START = error_code(
    "volunteers.ends_before_start", _("The end must come after the start.")
)
TOO_LONG_EVENT = error_code(
    "volunteers.event_too_long", _("An event lasts at most %(days)d days; make several.")
)
CAPACITY_RANGE = error_code(
    "volunteers.capacity_range", _("Ask for between 1 and %(limit)d volunteers.")
)
NOT_A_VOLUNTEER = error_code(
    "volunteers.not_a_volunteer",
    _("You are not on a volunteer team's roster; ask your village or community to add you."),
)
NO_SUCH_VOLUNTEER = error_code(
    "volunteers.no_such_volunteer", _("There is no such volunteer serving here.")
)
ALREADY_SIGNED_UP = error_code(
    "volunteers.already_signed_up", _("%(name)s is already signed up for this event.")
)
EVENT_FULL = error_code(
    "volunteers.event_full", _("The event has all the %(capacity)d volunteers it asked for.")
)
EVENT_OVER = error_code("volunteers.event_over", _("The event is over; signing up has closed."))
TOO_EARLY = error_code(
    "volunteers.too_early", _("Check-in opens %(minutes)d minutes before the event starts.")
)
NOT_CHECKED_IN = error_code("volunteers.not_checked_in", _("%(name)s has not checked in yet."))
ALREADY_CHECKED_IN = error_code(
    "volunteers.already_checked_in", _("%(name)s has already checked in.")
)
ALREADY_CHECKED_OUT = error_code(
    "volunteers.already_checked_out", _("%(name)s has already checked out.")
)
WITHDRAWN = error_code("volunteers.withdrawn", _("%(name)s withdrew from this event."))
TIME_OUT_OF_RANGE = error_code(
    "volunteers.time_out_of_range",
    _("The time must lie between the check-in and now, on the event's day."),
)
MINUTES_RANGE = error_code("volunteers.minutes_range", _("Give between 0 and %(limit)d minutes."))
NOTE_REQUIRED = error_code("volunteers.note_required", _("Say why (at most 200 characters)."))
RESIDENT_REQUIRED = error_code(
    "volunteers.resident_required", _("Give the resident's name (at most 64 characters).")
)
BAD_PHONE = error_code("volunteers.bad_phone", _("This is not a phone number."))
WISH_STEP_NOT_ALLOWED = error_code(
    "volunteers.wish_step_not_allowed",
    _("A micro-wish that is %(state)s cannot be %(step)s."),
)
NOT_YOUR_WISH = error_code(
    "volunteers.not_your_wish", _("Another volunteer took up this micro-wish.")
)
REASON_REQUIRED = error_code(
    "volunteers.reason_required", _("Say why you need the phone (at most 200 characters).")
)
PHONE_REFUSED = error_code(
    "volunteers.phone_refused",
    _("Only the volunteer who took up this micro-wish, or its organisers, may see the phone."),
)
NO_PHONE = error_code("volunteers.no_phone", _("No phone was recorded for this resident."))
