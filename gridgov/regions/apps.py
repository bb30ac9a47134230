from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.audit_labels import register_audit_actions, register_region_namer


def _names(codes: set[str]) -> dict[str, str]:
    # Imported here, not at the top: the models module may not be imported before apps load.
    from gridgov.regions.selectors import public_names

    return public_names(region_codes=codes)


class RegionsConfig(AppConfig):
    name = "gridgov.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        # The audit log names the regions of its rows; an auditor reads only their own rows.
        register_region_namer(_names)
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
