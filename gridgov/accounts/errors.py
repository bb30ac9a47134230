"""Why the accounts services refuse: each code with its message (see `core.errors`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Role
from gridgov.core.errors import error_code
from gridgov.regions.models import Level


def _role_label(value: Any) -> Any:
    return Role(value).label if value in Role.values else value


def _level_label(value: Any) -> Any:
    return Level(value).label if value in Level.values else value


REGION_NOT_FOUND = error_code("account.region_not_found", _("There is no region %(code)s here."))
NOT_A_REGION_CODE = error_code(
    "account.not_a_region_code", _("Not a region code (6, 9, 12, 15 or 18 digits).")
)
USERNAME_TAKEN = error_code("account.username_taken", _("This username is taken."))
USER_NOT_FOUND = error_code("account.user_not_found", _("There is no such user here."))
UNKNOWN_ROLE = error_code("account.unknown_role", _("There is no role “%(role)s”."))
ROLE_LEVEL = error_code(
    "account.role_level",
    _("The role “%(role)s” cannot be given at %(level)s level."),
    labels={"role": _role_label, "level": _level_label},
)
OWN_ROLES = error_code("account.own_roles", _("You may not change your own roles."))
OWN_MANAGEMENT_ROLE = error_code(
    "account.own_management_role", _("You cannot revoke your own account-management role.")
)
ASSIGNMENT_NOT_FOUND = error_code(
    "account.assignment_not_found", _("There is no such role assignment here.")
)
API_TOKEN_NOT_FOUND = error_code(
    "account.api_token_not_found", _("There is no such API token here.")
)
# 三员分立: the refusals that keep the three administrative powers apart.
GRANT_NEEDS_SECURITY_ADMIN = error_code(
    "account.grant_needs_security_admin",
    _("Only the security administrator or the county leader may give or take the role “%(role)s”."),
    labels={"role": _role_label},
)
GRANT_BY_CREATOR = error_code(
    "account.grant_by_creator",
    _("You created this account, so you may not give it the role “%(role)s”."),
    labels={"role": _role_label},
)
TWO_POWERS = error_code(
    "account.two_powers",
    _(
        "This person is already %(held)s; nobody may hold two of the system administrator, "
        "the security administrator and the auditor."
    ),
    labels={"held": _role_label},
)
OWN_ACCOUNT = error_code(
    "account.own_account",
    _("You may not disable or reset your own account here; use your own account page."),
)
RESET_NEEDS_SECURITY_ADMIN = error_code(
    "account.reset_needs_security_admin",
    _(
        "This account holds the role “%(role)s”: only the security administrator or the county "
        "leader may reset its password."
    ),
    labels={"role": _role_label},
)
PASSWORD_CHANGE_REQUIRED = error_code(
    "account.password_change_required",
    _("Your password was reset: change it on the web page before you use the API."),
)
