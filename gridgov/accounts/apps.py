from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
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
