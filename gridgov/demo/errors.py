"""Why the demo county cannot be loaded (see `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code

DEMO_LOADED = error_code("demo.loaded", _("The county %(code)s already exists."))
DEMO_USERNAMES_TAKEN = error_code(
    "demo.usernames_taken", _("These demo usernames are taken: %(usernames)s")
)
