"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def map_tiles(request: HttpRequest) -> dict[str, Any]:
    """The base-map tile template the maps use, when the deployment configures one."""
    return {
        "map_tiles": settings.GRIDGOV_MAP_TILES,
        "map_tiles_attribution": settings.GRIDGOV_MAP_TILES_ATTRIBUTION,
    }
