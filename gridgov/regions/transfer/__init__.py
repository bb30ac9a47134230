"""Import and export of the region tree as a GeoJSON FeatureCollection or CSV (all-or-nothing)."""

from gridgov.regions.transfer.formats import (
    CSV,
    CSV_COLUMNS,
    FORMATS,
    GEOJSON,
    detect_format,
    parse,
    parse_csv,
    parse_geojson,
)
from gridgov.regions.transfer.records import ImportReport, RegionRecord, RowError
from gridgov.regions.transfer.service import regions_export, regions_import

__all__ = [
    "CSV",
    "CSV_COLUMNS",
    "FORMATS",
    "GEOJSON",
    "ImportReport",
    "RegionRecord",
    "RowError",
    "detect_format",
    "parse",
    "parse_csv",
    "parse_geojson",
    "regions_export",
    "regions_import",
]
