"""Why the mediation services refuse: each code with its message (see `core.errors`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code
from gridgov.mediation.models import Track


def _track(value: Any) -> Any:
    return Track(value).label if value in Track.values else value


CENTRE_NOT_FOUND = error_code("mediation.centre_not_found", _("There is no such centre here."))
FILE_NOT_FOUND = error_code(
    "mediation.file_not_found", _("There is no mediation file %(number)s here.")
)
SESSION_NOT_FOUND = error_code("mediation.session_not_found", _("There is no such session."))
CENTRE_EXISTS = error_code(
    "mediation.centre_exists", _("This region already has a mediation centre.")
)
CENTRE_LEVEL = error_code(
    "mediation.centre_level",
    _("A centre serves a county, a town/street or a village/community."),
)
NOT_A_DISPUTE = error_code(
    "mediation.not_a_dispute", _("Choose one of the dispute categories (纠纷类).")
)
CASE_NOT_FOUND = error_code("mediation.case_not_found", _("There is no case %(number)s here."))
CASE_HAS_FILE = error_code(
    "mediation.case_has_file", _("Case %(number)s already has a mediation file.")
)
CASE_OUTSIDE_CENTRE = error_code(
    "mediation.case_outside_centre", _("The dispute arose outside the centre's region.")
)
PLACE_OUTSIDE_CENTRE = error_code(
    "mediation.place_outside_centre", _("Choose a place within the centre's region.")
)
PARTIES_REQUIRED = error_code(
    "mediation.parties_required", _("Name at least one applicant and one respondent.")
)
TOO_MANY_PARTIES = error_code(
    "mediation.too_many_parties", _("At most %(limit)d parties on one file.")
)
PARTY_NAME_REQUIRED = error_code(
    "mediation.party_name_required", _("Party %(index)d: give the name.")
)
BAD_ID_NUMBER = error_code(
    "mediation.bad_id_number", _("Party %(index)d: the ID number is not a valid one.")
)
BAD_PARTY_PHONE = error_code(
    "mediation.bad_party_phone", _("Party %(index)d: the phone number is not a valid one.")
)
BAD_CREDIT_CODE = error_code(
    "mediation.bad_credit_code",
    _("Party %(index)d: the unified social credit code is not a valid one."),
)
BAD_SIDE = error_code(
    "mediation.bad_side", _("Party %(index)d: the side is applicant or respondent.")
)
BAD_PARTY_KIND = error_code(
    "mediation.bad_party_kind", _("Party %(index)d: a natural person or an organisation.")
)
FACTS_REQUIRED = error_code(
    "mediation.facts_required", _("Describe the facts and the matters in dispute.")
)
BAD_AMOUNT = error_code("mediation.bad_amount", _("The amount is a number of yuan, not negative."))
BAD_PEOPLE_BAND = error_code("mediation.bad_people_band", _("Choose a band of people involved."))
BAD_CHANNEL = error_code(
    "mediation.bad_channel", _("A dispute comes to the desk in person or by telephone.")
)
NOT_A_MEDIATOR = error_code(
    "mediation.not_a_mediator",
    _("%(username)s is not a mediator of this centre's region."),
)
FILE_CLOSED = error_code(
    "mediation.file_closed", _("The mediation has concluded; its outcome is recorded.")
)
FILE_OPEN = error_code("mediation.file_open", _("Record the outcome of the mediation first."))
NO_AGREEMENT = error_code(
    "mediation.no_agreement", _("Only an agreement is followed up or confirmed in court.")
)
BAD_OUTCOME = error_code("mediation.bad_outcome", _("Choose an outcome."))
TERMS_REQUIRED = error_code("mediation.terms_required", _("An agreement states the terms agreed."))
NOTE_REQUIRED = error_code("mediation.note_required", _("Say why."))
RECORD_REQUIRED = error_code("mediation.record_required", _("Write the record of the session."))
SESSION_HELD = error_code("mediation.session_held", _("This session's record is written."))
TIME_REQUIRED = error_code("mediation.time_required", _("Give the time of the session."))
PLACE_REQUIRED = error_code(
    "mediation.place_required", _("Give the place, or say the session is online.")
)
BAD_JUDICIAL = error_code(
    "mediation.bad_judicial",
    _("Apply first; then record the court's decision (confirmed or not)."),
)
COURT_REQUIRED = error_code("mediation.court_required", _("Name the court."))
DOCUMENT_NOT_FOUND = error_code(
    "mediation.document_not_found", _("There is no such document of a mediation file.")
)
BAD_TRACK = error_code(
    "mediation.bad_track", _("Choose people's, administrative or judicial mediation.")
)
UNIT_REQUIRED = error_code("mediation.unit_required", _("Name the receiving unit."))
REASON_TOO_LONG = error_code("mediation.reason_too_long", _("At most %(limit)d characters."))
BAD_DIRECTION = error_code(
    "mediation.bad_direction",
    _(
        "A dispute goes from people's mediation to another kind, or back to it; not from "
        "%(from_track)s to %(to_track)s."
    ),
)
RISK_NOT_FOUND = error_code("mediation.risk_not_found", _("There is no such risk here."))
TITLE_REQUIRED = error_code("mediation.title_required", _("Give a title."))
BAD_RISK_KIND = error_code("mediation.bad_risk_kind", _("Choose a kind of risk."))
BAD_RISK_LEVEL = error_code(
    "mediation.bad_risk_level", _("Choose a level: red, orange, yellow or blue.")
)
BAD_RISK_STATUS = error_code(
    "mediation.bad_risk_status", _("Choose a status: monitoring, controlled or resolved.")
)
BAD_PEOPLE_COUNT = error_code(
    "mediation.bad_people_count", _("Give the number of people involved (at least 1).")
)
PLACE_OUTSIDE_JURISDICTION = error_code(
    "mediation.place_outside_jurisdiction", _("Choose a region within your jurisdiction.")
)
BAD_RESPONSIBLE = error_code(
    "mediation.bad_responsible",
    _("The responsible official must be an active account working in the risk's region."),
)
BAD_FORMAT = error_code("mediation.bad_format", _("The report comes as json, pdf or xlsx."))
MEETING_NOT_FOUND = error_code("mediation.meeting_not_found", _("There is no such meeting here."))
TASK_NOT_FOUND = error_code("mediation.task_not_found", _("There is no such task here."))
ATTENDEES_REQUIRED = error_code("mediation.attendees_required", _("Say who attended."))
DECISIONS_REQUIRED = error_code("mediation.decisions_required", _("Write what was decided."))
BAD_PERIOD = error_code("mediation.bad_period", _("The period starts after it ends."))
DATE_REQUIRED = error_code("mediation.date_required", _("Give a date."))
TASK_INCOMPLETE = error_code(
    "mediation.task_incomplete", _("A task needs what is to be done, its owner and a deadline.")
)
BAD_OWNER = error_code(
    "mediation.bad_owner", _("The owner must be someone who does mediation work in this place.")
)
TOO_MANY_TASKS = error_code("mediation.too_many_tasks", _("At most %(limit)d tasks a meeting."))
NOT_YOUR_TASK = error_code("mediation.not_your_task", _("Only the task's owner marks it done."))
TASK_DONE = error_code("mediation.task_done", _("This task is already done."))
