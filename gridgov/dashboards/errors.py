"""Why the command centre refuses: each code with its message (see `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code

REGION_NOT_FOUND = error_code(
    "dashboard.region_not_found", _("There is no region %(code)s to overview here.")
)
BAD_PERIOD = error_code(
    "dashboard.bad_period",
    _("Choose today, 7 days, 30 days, this year, or a range of dates from one day to another."),
)
PERIOD_TOO_LONG = error_code(
    "dashboard.period_too_long", _("A period may span at most %(days)s days.")
)
BAD_MEASURE = error_code("dashboard.bad_measure", _("There is no measure %(measure)s."))
BAD_INTERVAL = error_code("dashboard.bad_interval", _("The interval is day or week."))
