from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gridgov.core.access import Perm
from gridgov.core.audit_labels import register_audit_actions
from gridgov.core.menu import MenuEntry, register_menu


class TrainingsConfig(AppConfig):
    name = "gridgov.trainings"
    label = "trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        register_menu(
            MenuEntry(
                "trainings",
                pgettext_lazy("menu", "Training courses"),
                "trainings:courses",
                Perm.TRAININGS_VIEW,
                165,
            ),
            MenuEntry(
                "trained",
                pgettext_lazy("menu", "People trained"),
                "trainings:trained",
                Perm.TRAININGS_VIEW,
                166,
            ),
        )
        register_audit_actions(
            {
                "trainings.": _("Trainings"),
                "trainings.course_create": _("Set up a training course"),
                "trainings.session_create": _("Scheduled a training session"),
                "trainings.attendance_record": _("Recorded a training session's attendance"),
                "training_course.view": _(
                    "Looked for a training course outside their jurisdiction"
                ),
                "training_session.view": _(
                    "Looked for a training session outside their jurisdiction"
                ),
            }
        )
