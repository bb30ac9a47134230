from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.audit_labels import register_audit_actions
from gridgov.core.menu import MenuEntry, register_menu
from gridgov.notifications.links import register_link


def order_link(number: str) -> str:
    return reverse("assessment:order", args=[number])


def package_link(_object_id: str) -> str:
    return reverse("assessment:my-package")


class AssessmentConfig(AppConfig):
    name = "gridgov.assessment"
    label = "assessment"
    verbose_name = _("Supervision and assessment")

    def ready(self) -> None:
        register_menu(
            MenuEntry("scores", _("Scores"), "assessment:scores", Perm.ASSESSMENT_VIEW, 170),
            MenuEntry(
                "supervision",
                _("Supervision orders"),
                "assessment:orders",
                Perm.SUPERVISION_RESPOND,
                172,
            ),
            MenuEntry(
                "my_package", _("My package"), "assessment:my-package", Perm.ASSESSMENT_VIEW, 174
            ),
            MenuEntry(
                "packages",
                _("Package responsibility"),
                "assessment:packages",
                Perm.PACKAGE_ASSIGN,
                176,
            ),
        )
        register_audit_actions(
            {
                "assessment.": _("Supervision and assessment"),
                "assessment.recompute": _("Recomputed the month's scores"),
                "assessment.scheme": _("Changed the scoring scheme"),
                "assessment.export": _("Exported scores"),
                "assessment.order_issue": _("Issued a supervision order"),
                "assessment.order_respond": _("Responded to a supervision order"),
                "assessment.order_return": _("Sent a response back"),
                "assessment.order_close": _("Closed a supervision order"),
                "assessment.order_withdraw": _("Withdrew a supervision order"),
                "assessment.package_assign": _("Assigned a package responsibility"),
                "assessment.package_end": _("Ended a package responsibility"),
                "score.view": _("Looked for a score outside their jurisdiction"),
                "supervision_order.view": _(
                    "Looked for a supervision order outside their jurisdiction"
                ),
            }
        )
        register_link("supervision_order", order_link)
        register_link("package", package_link)
