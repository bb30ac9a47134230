from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.menu import MenuEntry, register_menu


class PeopleConfig(AppConfig):
    name = "gridgov.people"
    label = "people"
    verbose_name = _("Population register")

    def ready(self) -> None:
        register_menu(
            MenuEntry("round", _("My round"), "people:round", Perm.PEOPLE_MANAGE, 140),
            MenuEntry(
                "register_import", _("Import residents"), "people:import", Perm.PEOPLE_MANAGE, 154
            ),
            MenuEntry("cards", _("Community cards"), "people:cards", Perm.PEOPLE_MANAGE, 156),
            MenuEntry("residents", _("Residents"), "people:residents", Perm.PEOPLE_VIEW, 150),
            MenuEntry("households", _("Households"), "people:households", Perm.PEOPLE_VIEW, 151),
            MenuEntry("buildings", _("Buildings"), "people:buildings", Perm.PEOPLE_VIEW, 152),
            MenuEntry(
                "organisations", _("Organisations"), "people:organisations", Perm.PEOPLE_VIEW, 153
            ),
        )
