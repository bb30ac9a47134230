from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.audit_labels import register_audit_actions
from gridgov.core.menu import MenuEntry, register_menu


class ActivitiesConfig(AppConfig):
    name = "gridgov.activities"
    label = "activities"
    verbose_name = _("Front-line activities")

    def ready(self) -> None:
        register_menu(
            MenuEntry("patrol", _("My patrol"), "activities:patrol", Perm.ACTIVITIES_LOG, 142),
            MenuEntry("activities", _("Activities"), "activities:list", Perm.ACTIVITIES_VIEW, 162),
        )
        register_audit_actions(
            {
                "activities.": _("Front-line activities"),
                "activities.log": _("Logged an activity"),
                "activities.patrol_start": _("Started a patrol"),
                "activities.check_in": _("Checked in on a patrol"),
                "activities.patrol_case": _("Reported a problem found on a patrol"),
                "activities.patrol_finish": _("Finished a patrol"),
                "activity.view": _("Looked for an activity outside their jurisdiction"),
            }
        )
