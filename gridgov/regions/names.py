"""Region names, kept for a short while in each process.

Nearly every page and API answer names some regions, and names change rarely (a town is renamed
once in years), so a name read from the database is reused for `NAME_SECONDS` instead of being
asked for on every request. This process forgets at once when a region is written here; other
processes see a new name within `NAME_SECONDS`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from gridgov.regions.models import Region

NAME_SECONDS = 30.0
# A province has about 100,000 regions; past this many the cache starts again rather than grow.
MAX_NAMES = 200_000

_names: dict[str, tuple[float, str]] = {}  # code -> (good until, name)
_lock = threading.Lock()


def names_of(codes: Iterable[str]) -> dict[str, str]:
    """The names of the regions with these codes (codes of no region are left out)."""
    now = time.monotonic()
    found: dict[str, str] = {}
    missing: list[str] = []
    for code in set(codes):
        cached = _names.get(code)
        if cached is not None and cached[0] > now:
            found[code] = cached[1]
        elif code:
            missing.append(code)
    if missing:
        rows = Region.objects.filter(region_code__in=sorted(missing)).values_list(
            "region_code", "name"
        )
        fresh = dict(rows)
        with _lock:
            if len(_names) + len(fresh) > MAX_NAMES:
                _names.clear()
            for code, name in fresh.items():
                _names[code] = (now + NAME_SECONDS, name)
        found.update(fresh)
    return found


def forget_names() -> None:
    """Drop every kept name (a region was written in this process)."""
    with _lock:
        _names.clear()
