from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.audit_labels import register_audit_actions
from gridgov.core.menu import MenuEntry, register_menu


class AccountsConfig(AppConfig):
    name = "gridgov.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from gridgov.accounts import signals  # noqa: F401  (connects the audit receivers)

        register_menu(
            MenuEntry("accounts", _("Accounts"), "accounts:users", Perm.ACCOUNTS_VIEW, 900)
        )
        register_audit_actions(
            {
                "user.": _("Accounts"),
                "user.create": _("Created an account"),
                "user.change": _("Changed an account"),
                "user.unlock": _("Cleared an account's lockout"),
                "user.deactivate": _("Disabled an account"),
                "user.reactivate": _("Enabled an account again"),
                "user.password_reset": _("Reset an account's password"),
                "user.password_change": _("Changed their own password"),
                "role.": _("Roles"),
                "role.assign": _("Granted a role"),
                "role.revoke": _("Revoked a role"),
                "user.role_assign": _("Granting a role"),
                "user.role_revoke": _("Revoking a role"),
                "api_token.": _("API tokens"),
                "api_token.revoke": _("Revoked an API token"),
            }
        )
