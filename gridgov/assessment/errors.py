"""Why the supervision-and-assessment services refuse: each code with its message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code

SCORE_NOT_FOUND = error_code("assessment.score_not_found", _("There is no such score here."))
BAD_MONTH = error_code("assessment.bad_month", _("Give a month as YYYY-MM."))
FUTURE_MONTH = error_code("assessment.future_month", _("That month has not begun yet."))
WEIGHTS_SUM = error_code(
    "assessment.weights_sum", _("The weights must add up to 100 (they add up to %(total)s).")
)
ORDER_NOT_FOUND = error_code(
    "assessment.order_not_found", _("There is no such supervision order here.")
)
TEXT_REQUIRED = error_code("assessment.text_required", _("Write what must be done."))
RESPONSE_REQUIRED = error_code("assessment.response_required", _("Write your response."))
DEADLINE_PAST = error_code(
    "assessment.deadline_past", _("Choose a deadline from today on, at most 90 days ahead.")
)
CASE_NOT_FOUND = error_code(
    "assessment.case_not_found", _("There is no case %(number)s in your jurisdiction.")
)
CASE_NOT_LATE = error_code(
    "assessment.case_not_late",
    _("Case %(number)s is not late: a supervision order is for a case past its deadline."),
)
UNIT_NOT_FOUND = error_code(
    "assessment.unit_not_found", _("Choose a village or town of your jurisdiction.")
)
WORKER_NOT_FOUND = error_code(
    "assessment.worker_not_found", _("There is no grid worker %(username)s in your jurisdiction.")
)
TARGET_REQUIRED = error_code(
    "assessment.target_required", _("Name the case, the unit or the grid worker.")
)
ORDER_STATE = error_code(
    "assessment.order_state", _("This supervision order is %(state)s: it cannot be %(step)s now.")
)
NOT_ADDRESSEE = error_code(
    "assessment.not_addressee", _("Only the order's addressee may respond to it.")
)
NOT_ISSUER = error_code(
    "assessment.not_issuer", _("Only whoever issued the order may review or withdraw it.")
)
PACKAGE_NOT_FOUND = error_code(
    "assessment.package_not_found", _("There is no such package responsibility here.")
)
OFFICIAL_NOT_FOUND = error_code(
    "assessment.official_not_found",
    _("There is no official %(username)s working in your jurisdiction."),
)
RISK_NOT_FOUND = error_code(
    "assessment.risk_not_found", _("There is no risk %(risk)s in your jurisdiction.")
)
PLACE_NOT_FOUND = error_code(
    "assessment.place_not_found", _("Choose a place of your jurisdiction.")
)
ALREADY_ANSWERS = error_code("assessment.already_answers", _("%(name)s already answers for this."))
ALREADY_ENDED = error_code("assessment.already_ended", _("This responsibility has already ended."))
