"""Why the region services refuse: each code with its message (see `core.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.core.errors import error_code

REGION_NOT_FOUND = error_code("region.not_found", _("There is no region %(code)s here."))
UNIT_NOT_FOUND = error_code("region.unit_not_found", _("There is no such unit here."))
OUTSIDE_GRIDS = error_code("region.outside_grids", _("The point is outside every grid."))
OUTSIDE_JURISDICTION = error_code(
    "region.outside_jurisdiction", _("The point is outside your jurisdiction.")
)
BAD_CODE = error_code("region.bad_code", _("Not a region code (6, 9, 12, 15 or 18 digits)."))
CODE_TAKEN = error_code("region.code_taken", _("The region %(code)s already exists."))
NAME_REQUIRED = error_code("region.name_required", _("A name is required."))
NAME_TOO_LONG = error_code("region.name_too_long", _("A name has at most %(limit)d characters."))
NEGATIVE = error_code("region.negative", _("Must not be negative."))
UNKNOWN_KIND = error_code("region.unknown_kind", _("There is no kind “%(kind)s”."))
COUNTY_IMMOVABLE = error_code("region.county_immovable", _("A county cannot be moved."))
PARENT_LEVEL = error_code(
    "region.parent_level", _("The new parent must be at the same level as the old one.")
)
NEW_CODE_PREFIX = error_code(
    "region.new_code_prefix", _("The new code must extend the new parent's code.")
)
NOT_INSIDE_PARENT = error_code(
    "region.not_inside_parent", _("The boundary is not inside its parent's boundary.")
)
NO_FREE_CODE = error_code("region.no_free_code", _("No free code is left under %(code)s."))
TREE_CHANGED = error_code(
    "region.tree_changed", _("The region tree changed during the import; try again.")
)
UNREADABLE_FILE = error_code("region.unreadable_file", _("The file cannot be read: %(reason)s"))
UNKNOWN_FORMAT = error_code("region.unknown_format", _("The format must be %(formats)s."))

# Why a boundary is refused.
BOUNDARY_NOT_POLYGON = error_code(
    "region.boundary_not_polygon", _("The boundary must be a GeoJSON Polygon or MultiPolygon.")
)
BOUNDARY_MALFORMED = error_code(
    "region.boundary_malformed", _("Malformed GeoJSON geometry: %(fault)s")
)
BOUNDARY_EMPTY = error_code("region.boundary_empty", _("The boundary is empty."))
BOUNDARY_INVALID = error_code("region.boundary_invalid", _("Invalid polygon: %(fault)s"))
BOUNDARY_NOT_WGS84 = error_code(
    "region.boundary_not_wgs84", _("The coordinates are not WGS-84 longitude and latitude.")
)
