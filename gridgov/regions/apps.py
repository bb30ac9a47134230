from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.audit_labels import register_audit_actions, register_region_namer


class RegionsConfig(AppConfig):
    name = "gridgov.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        # The audit log names the regions of its rows; an auditor reads only their own rows.
        # The selectors read the models, which may not be imported before the apps are loaded.
        from gridgov.regions.selectors import public_names

        register_region_namer(lambda codes: public_names(region_codes=codes))
        register_audit_actions(
            {
                "region.": _("Region tree"),
                "region.create": _("Added a region"),
                "region.rename": _("Renamed a region"),
                "region.move": _("Moved a region"),
                "region.import": _("Imported regions"),
                "region.set_boundary": _("Drew a region's boundary"),
            }
        )
