"""Why the teams services refuse: each code with its message (see `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code

TEAM_NOT_FOUND = error_code("teams.team_not_found", _("There is no such team here."))
MEMBER_NOT_FOUND = error_code("teams.member_not_found", _("There is no such member here."))
NAME_REQUIRED = error_code("teams.name_required", _("Give the member's name."))
PLACE_OUTSIDE_TEAM = error_code(
    "teams.place_outside_team", _("Choose a place within the team's own region.")
)
NO_SUCH_ACCOUNT = error_code(
    "teams.no_such_account", _("There is no active account %(username)s working here.")
)
ALREADY_MEMBER = error_code("teams.already_member", _("%(name)s is already on this team's roster."))
ALREADY_LEFT = error_code("teams.already_left", _("%(name)s has already left the team."))
