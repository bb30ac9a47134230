"""What the supervision services tell people (see `notifications.catalogue`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.notifications.catalogue import notice

# What a notice is about, for its link: a supervision order by its number.
ORDER = "supervision_order"

ORDER_ISSUED = notice(
    "assessment.order_issued",
    _("Supervision order"),
    _("Supervision order %(number)s about %(subject)s: answer by %(deadline)s."),
)
ORDER_RESPONDED = notice(
    "assessment.order_responded",
    _("Supervision order answered"),
    _("Supervision order %(number)s about %(subject)s was answered: review the response."),
)
ORDER_RETURNED = notice(
    "assessment.order_returned",
    _("Supervision order sent back"),
    _("The response to supervision order %(number)s was not enough: answer again."),
)
ORDER_CLOSED = notice(
    "assessment.order_closed",
    _("Supervision order closed"),
    _("Supervision order %(number)s about %(subject)s was closed."),
)
PACKAGE_ASSIGNED = notice(
    "assessment.package_assigned",
    _("Package responsibility"),
    _("You now answer for %(label)s."),
)
