"""Region codes as paths: 6 digits county, +3 town/street, +3 village/community, +3 grid, +3 micro-grid.

Pure functions, no database: the level of a code is its length, an ancestor is a prefix.
"""

from __future__ import annotations

import re
from typing import Final

COUNTY_LEN: Final = 6
TOWN_LEN: Final = 9
VILLAGE_LEN: Final = 12
GRID_LEN: Final = 15
MICRO_GRID_LEN: Final = 18

CODE_LENGTHS: Final = (COUNTY_LEN, TOWN_LEN, VILLAGE_LEN, GRID_LEN, MICRO_GRID_LEN)
LEVEL_BY_LENGTH: Final = {
    COUNTY_LEN: "county",
    TOWN_LEN: "town",
    VILLAGE_LEN: "village",
    GRID_LEN: "grid",
    MICRO_GRID_LEN: "micro_grid",
}
LENGTH_BY_LEVEL: Final = {level: length for length, level in LEVEL_BY_LENGTH.items()}
# The ancestor column that holds a code of each length; a micro-grid is matched on region_code.
SCOPE_COLUMN_BY_LENGTH: Final = {
    COUNTY_LEN: "county_code",
    TOWN_LEN: "town_code",
    VILLAGE_LEN: "village_code",
    GRID_LEN: "grid_code",
    MICRO_GRID_LEN: "region_code",
}

_DIGITS = re.compile(r"[0-9]+")


class InvalidRegionCode(ValueError):
    """A string that is not a region code of any level."""


def is_valid_code(code: str) -> bool:
    # fullmatch: with match and "$", "61032\n" would pass as a six-digit county code.
    return len(code) in LEVEL_BY_LENGTH and bool(_DIGITS.fullmatch(code))


def level_of(code: str) -> str:
    if not is_valid_code(code):
        raise InvalidRegionCode(code)
    return LEVEL_BY_LENGTH[len(code)]


def parent_code(code: str) -> str | None:
    """The code one level up, or None for a county."""
    level_of(code)
    index = CODE_LENGTHS.index(len(code))
    return None if index == 0 else code[: CODE_LENGTHS[index - 1]]


def ancestor_codes(region_code: str) -> dict[str, str]:
    """The fixed-level ancestor columns of a record scoped to `region_code` (itself included).

    Columns below the record's own level are empty strings, so an equality on them never matches.
    """
    level_of(region_code)
    return {
        "region_code": region_code,
        "county_code": region_code[:COUNTY_LEN],
        "town_code": region_code[:TOWN_LEN] if len(region_code) >= TOWN_LEN else "",
        "village_code": region_code[:VILLAGE_LEN] if len(region_code) >= VILLAGE_LEN else "",
        "grid_code": region_code[:GRID_LEN] if len(region_code) >= GRID_LEN else "",
    }


def is_within(code: str, ancestor: str) -> bool:
    """True when `code` is `ancestor` or lies in its subtree."""
    return code.startswith(ancestor)


def minimal_cover(codes: list[str] | set[str]) -> list[str]:
    """Drop every code that lies in the subtree of another one: the union stays the same."""
    kept: list[str] = []
    for code in sorted(set(codes), key=len):
        if not any(code.startswith(top) for top in kept):
            kept.append(code)
    return sorted(kept)
