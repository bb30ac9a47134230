"""Why the broadcast services refuse: each code with its message (see `core.errors`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from gridgov.broadcast.models import STATE_LABELS
from gridgov.broadcast.states import Action, State
from gridgov.core.errors import error_code

# Timeline actions by their label ("compose" is the first row, no transition).
ACTION_LABELS: dict[str, Any] = {
    "compose": _("compose"),
    Action.EDIT: _("edit"),
    Action.SUBMIT: _("submit"),
    Action.APPROVE: _("approve"),
    Action.REJECT: _("reject"),
    Action.DISPATCH: _("dispatch"),
    Action.COMPLETE: _("complete"),
    Action.CANCEL: _("cancel"),
    "speech": _("speech made"),
}


def _state(value: Any) -> Any:
    return STATE_LABELS.get(value, value) if value in State._value2member_map_ else value


def _action(value: Any) -> Any:
    return ACTION_LABELS.get(value, value) if value in Action._value2member_map_ else value


def _states(value: Any) -> str:
    separator = pgettext("list separator", ", ")
    return separator.join(str(_state(code)) for code in str(value).split(",") if code)


_LABELS = {"state": _state, "action": _action, "needs": _states}


BROADCAST_NOT_FOUND = error_code("broadcast.not_found", _("There is no such message here."))
NOT_IN_STATE = error_code(
    "broadcast.not_in_state",
    _("This message is “%(state)s” now, so “%(action)s” is not possible (it needs: %(needs)s)."),
    labels=_LABELS,
)
UNKNOWN_ACTION = error_code("broadcast.unknown_action", _("There is no action “%(action)s”."))
# The two-person rule.
SELF_APPROVAL = error_code(
    "broadcast.self_approval",
    _("Whoever wrote a message cannot approve or reject it: a second person does."),
)
APPROVER_JURISDICTION = error_code(
    "broadcast.approver_jurisdiction",
    _("The message goes beyond your jurisdiction: someone whose jurisdiction covers it approves."),
)
COUNTY_EMERGENCY = error_code(
    "broadcast.county_emergency",
    _("A county-wide emergency is approved by the county leader or their deputy."),
)
ACTION_REFUSED = error_code(
    "broadcast.action_refused", _("You may not “%(action)s” this message."), labels=_LABELS
)
# Composing.
TITLE_REQUIRED = error_code("broadcast.title_required", _("Give the message a title."))
TEXT_REQUIRED = error_code("broadcast.text_required", _("Write what is to be broadcast."))
UNKNOWN_CHOICE = error_code("broadcast.unknown_choice", _("“%(value)s” is not one of the choices."))
TARGET_REQUIRED = error_code("broadcast.target_required", _("Choose where the message goes."))
UNKNOWN_REGION = error_code("broadcast.unknown_region", _("There is no region %(code)s."))
TARGET_OUTSIDE = error_code("broadcast.target_outside", _("%(code)s is outside your jurisdiction."))
ONE_COUNTY = error_code("broadcast.one_county", _("A message goes to one county's regions."))
EXPIRES_BEFORE = error_code(
    "broadcast.expires_before", _("The message must expire after it is sent.")
)
IN_THE_PAST = error_code("broadcast.in_the_past", _("Choose a time that has not passed."))
REPEATS_RANGE = error_code("broadcast.repeats_range", _("Play it from 1 to %(limit)d times."))
REASON_REQUIRED = error_code("broadcast.reason_required", _("Say why."))
AUDIO_TYPE = error_code(
    "broadcast.audio_type", _("“%(name)s” is not a recording: upload a WAV, MP3 or Ogg file.")
)
AUDIO_TOO_LARGE = error_code(
    "broadcast.audio_too_large", _("“%(name)s” is larger than %(limit_mb)d MB.")
)
SUPERSEDES_NOT_FOUND = error_code(
    "broadcast.supersedes_not_found", _("There is no sent message %(id)s to update here.")
)
# Terminals and their import.
TERMINAL_NOT_FOUND = error_code("broadcast.terminal_not_found", _("There is no such terminal."))
IMPORT_NOT_XLSX = error_code(
    "broadcast.import_not_xlsx", _("This is not an Excel workbook (.xlsx).")
)
IMPORT_BAD_HEADER = error_code(
    "broadcast.import_bad_header",
    _("The first row must hold the template's headings: %(headings)s."),
)
IMPORT_EMPTY = error_code("broadcast.import_empty", _("The sheet has no terminals."))
IMPORT_TOO_MANY = error_code(
    "broadcast.import_too_many", _("At most %(limit)d terminals in one file.")
)
VALUE_REQUIRED = error_code("broadcast.value_required", _("Fill this in."))
TERMINAL_CODE_FORMAT = error_code(
    "broadcast.terminal_code_format",
    _("A terminal code has 1 to 32 letters, digits, dashes or underscores."),
)
TERMINAL_CODE_REPEATED = error_code(
    "broadcast.terminal_code_repeated", _("This code is on row %(row)d already.")
)
TERMINAL_CODE_TAKEN = error_code(
    "broadcast.terminal_code_taken",
    _("Another terminal, outside your jurisdiction, has this code."),
)
TERMINAL_KIND = error_code("broadcast.terminal_kind", _("The kind is one of: %(kinds)s."))
TERMINAL_PLACE = error_code(
    "broadcast.terminal_place",
    _("%(code)s is not a place of yours for this kind of terminal (%(where)s)."),
)
COORDINATES = error_code(
    "broadcast.coordinates",
    _("Give both longitude (-180 to 180) and latitude (-90 to 90), or neither."),
)
PUBLIC_KEY = error_code(
    "broadcast.public_key",
    _("Not an Ed25519 public key: give it as PEM, or its 32 bytes in base64 or hex."),
)
HEARTBEAT_INTERVAL = error_code(
    "broadcast.heartbeat_interval",
    _("The heartbeat interval is a whole number of seconds from %(low)d to %(high)d."),
)
