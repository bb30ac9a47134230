from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.audit_labels import register_audit_actions
from gridgov.core.menu import MenuEntry, register_menu


class TeamsConfig(AppConfig):
    name = "gridgov.teams"
    label = "teams"
    verbose_name = _("Teams")

    def ready(self) -> None:
        register_menu(MenuEntry("teams", _("Teams"), "teams:list", Perm.TEAMS_VIEW, 160))
        register_audit_actions(
            {
                "teams.": _("Teams"),
                "teams.member_add": _("Added a member to a team"),
                "teams.member_leave": _("Recorded that a member left a team"),
                "team.view": _("Looked for a team outside their jurisdiction"),
            }
        )
