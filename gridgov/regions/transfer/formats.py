"""Reading and writing the two transfer formats: a GeoJSON FeatureCollection and CSV.

Reading turns a file into RegionRecords without judging them (validation does), so one pass
reports every bad row. Only a file that cannot be read at all is refused as a whole.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from gridgov.core import codes
from gridgov.core.errors import ValidationFailed
from gridgov.core.jsonbody import JSONTooDeep, parse_json
from gridgov.regions.errors import UNREADABLE_FILE
from gridgov.regions.transfer.records import RegionRecord

GEOJSON = "geojson"
CSV = "csv"
FORMATS = (GEOJSON, CSV)
CSV_COLUMNS = (
    "code",
    "parent_code",
    "level",
    "kind",
    "name",
    "population",
    "households",
    "boundary",
)
# Excel reads a UTF-8 CSV as the local code page (GBK in China) unless it starts with a BOM.
BOM = "\ufeff"
# A cell Excel would run as a formula; exported with a leading apostrophe, which import removes.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A whole boundary is one CSV cell; the csv module's default limit (128 KiB) is too small for
# a detailed village outline.
_CSV_FIELD_LIMIT = 64 * 1024 * 1024
_SCIENTIFIC = re.compile(r"^[0-9.]+[eE]\+?[0-9]+$")


def _file_error(message: str) -> ValidationFailed:
    return ValidationFailed.on("file", UNREADABLE_FILE, reason=message)


def _text(value: Any) -> str:
    """A property as text: codes may arrive as JSON numbers; None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    return str(value).strip()


def looks_like_excel_number(code: str) -> bool:
    """Excel turns a long digit string into 6.10324E+14 unless the column is formatted as text."""
    return bool(_SCIENTIFIC.match(code))


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM); else GB 18030, which Excel on a Chinese Windows writes."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError as error:
        raise _file_error(_("the file is neither UTF-8 nor GB 18030 text")) from error


def detect_format(content: Any, filename: str = "") -> str:
    """geojson or csv, from the file name's extension, else from the first character."""
    lowered = filename.lower()
    if lowered.endswith((".geojson", ".json")):
        return GEOJSON
    if lowered.endswith(".csv"):
        return CSV
    if not isinstance(content, str | bytes):
        # Already parsed JSON (an API body): only GeoJSON can be that.
        return GEOJSON
    text = content if isinstance(content, str) else content[:64].decode("utf-8", "ignore")
    return GEOJSON if text.lstrip(BOM + " \t\r\n").startswith("{") else CSV


def parse(content: Any, fmt: str) -> list[RegionRecord]:
    """Records from a file's bytes or text, or from an already parsed FeatureCollection."""
    if fmt == GEOJSON:
        return parse_geojson(content)
    if fmt == CSV:
        if not isinstance(content, str | bytes):
            raise _file_error(_("CSV content must be text"))
        return parse_csv(content)
    raise _file_error(_("unknown format %(format)s") % {"format": fmt})


# --- GeoJSON -------------------------------------------------------------------------------


def parse_geojson(content: Any) -> list[RegionRecord]:
    """A FeatureCollection (text, bytes or parsed); each feature's row is its index in `features`."""
    collection: Any = content
    if isinstance(content, str | bytes):
        text = decode(content) if isinstance(content, bytes) else content.lstrip(BOM)
        try:
            collection = parse_json(text)
        except JSONTooDeep as error:
            raise _file_error(_("the JSON is nested too deeply")) from error
        except json.JSONDecodeError as error:
            raise _file_error(
                _("not valid JSON (line %(line)d, column %(column)d): %(message)s")
                % {"line": error.lineno, "column": error.colno, "message": error.msg}
            ) from error
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise _file_error(_("a GeoJSON FeatureCollection is expected"))
    features = collection.get("features")
    if not isinstance(features, list):
        raise _file_error(_("the FeatureCollection has no list of features"))
    return [_feature_record(index, feature) for index, feature in enumerate(features)]


def _feature_record(index: int, feature: Any) -> RegionRecord:
    record = RegionRecord(row=index, code="", row_label="feature")
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        record.problems.append(_("not a GeoJSON Feature"))
        return record
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        record.problems.append(_("the feature has no properties"))
        return record
    record.code = _text(properties.get("code"))
    record.parent_code = _text(properties.get("parent_code"))
    record.level = _text(properties.get("level"))
    record.kind = _text(properties.get("kind"))
    record.name = _text(properties.get("name"))
    record.population = properties.get("population", 0)
    record.households = properties.get("households", 0)
    record.boundary = feature.get("geometry")
    return record


# --- CSV -----------------------------------------------------------------------------------


def parse_csv(content: str | bytes) -> list[RegionRecord]:
    """The columns of CSV_COLUMNS (any order, extra columns ignored); row = the line number."""
    text = decode(content) if isinstance(content, bytes) else content.lstrip(BOM)
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise _file_error(_("the file is empty"))
        columns = [name.strip().lower() for name in header]
        missing = [name for name in CSV_COLUMNS if name not in columns]
        if missing:
            raise _file_error(
                _("the header lacks the columns: %(columns)s") % {"columns": ", ".join(missing)}
            )
        position = {name: columns.index(name) for name in CSV_COLUMNS}
        records = []
        while True:
            # A quoted cell may span lines; the row is where the record starts.
            line = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            if not any(cell.strip() for cell in cells):
                continue
            records.append(_csv_record(line, cells, len(columns), position))
    except csv.Error as error:
        raise _file_error(
            _("unreadable CSV at line %(line)d: %(message)s")
            % {"line": reader.line_num, "message": error}
        ) from error
    return records


def _csv_record(line: int, cells: list[str], width: int, position: dict[str, int]) -> RegionRecord:
    def cell(name: str) -> str:
        index = position[name]
        return cells[index].strip() if index < len(cells) else ""

    record = RegionRecord(
        row=line,
        code=cell("code"),
        parent_code=cell("parent_code"),
        level=cell("level"),
        kind=cell("kind"),
        name=_unprotect(cell("name")),
        population=cell("population") or 0,
        households=cell("households") or 0,
        boundary=cell("boundary") or None,
    )
    if len(cells) != width:
        # Usually an unquoted comma inside the boundary or the name.
        record.problems.append(
            _("%(found)d cells where the header has %(expected)d")
            % {"found": len(cells), "expected": width}
        )
    return record


def _protect(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unprotect(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


# --- export --------------------------------------------------------------------------------

ExportRow = tuple[str, str, str, str, int, int, Any]  # code, level, kind, name, pop, hh, boundary


def _parent_of(code: str) -> str:
    return codes.parent_code(code) or ""


def geojson_chunks(rows: Iterable[ExportRow]) -> Iterator[str]:
    """The FeatureCollection as text, one feature per chunk, so it can stream."""
    yield '{"type":"FeatureCollection","features":[\n'
    separator = ""
    for code, level, kind, name, population, households, boundary in rows:
        feature = {
            "type": "Feature",
            "id": code,
            "geometry": boundary,
            "properties": {
                "code": code,
                "parent_code": _parent_of(code) or None,
                "level": level,
                "kind": kind,
                "name": name,
                "population": population,
                "households": households,
            },
        }
        yield separator + json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        separator = ",\n"
    yield "\n]}\n"


def csv_chunks(rows: Iterable[ExportRow]) -> Iterator[str]:
    """UTF-8 CSV with a BOM, one row per chunk; the boundary cell is GeoJSON text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield BOM + flush()
    for code, level, kind, name, population, households, boundary in rows:
        writer.writerow(
            [
                code,
                _parent_of(code),
                level,
                kind,
                _protect(name),
                population,
                households,
                json.dumps(boundary, ensure_ascii=False, separators=(",", ":"))
                if boundary is not None
                else "",
            ]
        )
        yield flush()
