from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gridgov.core.audit_labels import register_audit_actions


class DemoConfig(AppConfig):
    """The deterministic demo county and its commands (`load_demo`, `demo_accounts`). The top
    layer: nothing else in gridgov imports it."""

    name = "gridgov.demo"
    label = "demo"
    verbose_name = _("Demo county")

    def ready(self) -> None:
        register_audit_actions({"demo.": _("Demo"), "demo.load": _("Loaded the demo county")})
