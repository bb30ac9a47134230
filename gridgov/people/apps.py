from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.access import Perm
from gridgov.core.audit_labels import register_audit_actions
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
        register_audit_actions(
            {
                "resident.": _("Residents"),
                "resident.create": _("Added a resident"),
                "resident.import": _("Imported residents"),
                "resident.export": _("Exported residents"),
                "resident.reveal": _("Read a resident's full personal data"),
                "resident.focus_add": _("Added a resident to a focus group"),
                "household.": _("Households"),
                "household.create": _("Added a household"),
                "building.": _("Buildings"),
                "building.create": _("Added a building"),
                "organisation.": _("Organisations"),
                "organisation.create": _("Added an organisation"),
                "card.": _("Community cards"),
                "card.update": _("Changed a community card"),
                "card.contact_add": _("Added a contact to a community card"),
                "card.partner_add": _("Added a partner unit to a community card"),
                "card.project_add": _("Added a co-construction project"),
            }
        )
