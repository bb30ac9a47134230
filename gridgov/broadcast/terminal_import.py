"""The terminal register's workbook: its template, and the import (every bad row reported with its
column and reason; nothing is written while any row is bad). A code already registered in the
importer's jurisdiction is updated; a new code is added."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from gridgov.broadcast import errors
from gridgov.broadcast.keys import InvalidPublicKey, normalise_public_key
from gridgov.broadcast.models import Terminal, TerminalKind, TerminalStatus
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.codes import COUNTY_LEN, GRID_LEN, TOWN_LEN, VILLAGE_LEN, is_within
from gridgov.core.errors import Problem, ValidationFailed
from gridgov.core.scoping import require_permission
from gridgov.regions.models import Region

# Column keys and their headings (the file format: the headings are what a clerk sees in Excel).
COLUMNS: list[tuple[str, str]] = [
    ("code", "终端编号"),
    ("name", "名称"),
    ("kind", "类型"),
    ("region", "区划代码"),
    ("group_name", "村民小组"),
    ("address", "地址"),
    ("longitude", "经度"),
    ("latitude", "纬度"),
    ("public_key", "公钥"),
    ("heartbeat_interval", "心跳间隔（秒）"),
]
HEADINGS = [heading for _key, heading in COLUMNS]
COLUMN_OF = dict(COLUMNS)
MAX_ROWS = 20_000
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
INTERVAL_RANGE = (10, 3_600)
DEFAULT_INTERVAL = 60
TEXT = "@"

# Where each kind may stand: a loudspeaker in a village (or one of its grids), a town station in
# a town, the county station in the county.
PLACE_LENGTHS = {
    TerminalKind.LOUDSPEAKER: (VILLAGE_LEN, GRID_LEN),
    TerminalKind.TOWN_STATION: (TOWN_LEN,),
    TerminalKind.COUNTY_STATION: (COUNTY_LEN,),
}
PLACE_WORDS = {
    TerminalKind.LOUDSPEAKER: _("a village or community, or one of its grids"),
    TerminalKind.TOWN_STATION: _("a town or street"),
    TerminalKind.COUNTY_STATION: _("the county"),
}


def _kinds() -> dict[str, str]:
    """Each kind by its value, and by its Chinese and English names."""
    names = {value: value for value in TerminalKind.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.update({str(label): value for value, label in TerminalKind.choices})
    return names


def template_workbook() -> bytes:
    """An empty terminal sheet: the headings, codes and keys formatted as text, and a sheet
    explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "终端"
    sheet.append(HEADINGS)
    for key in ("code", "region", "public_key"):
        column = HEADINGS.index(COLUMN_OF[key]) + 1
        for row in range(2, 1002):
            sheet.cell(row=row, column=column).number_format = TEXT
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = 24
    notes = workbook.create_sheet("填写说明")
    with translation.override("zh-hans"):
        kinds = "、".join(str(label) for _value, label in TerminalKind.choices)
    notes.append(["终端编号", "字母、数字、-、_，最多32位；已登记的编号将被更新"])
    notes.append(["类型", kinds])
    notes.append(
        [
            "区划代码",
            "村级大喇叭填村（社区）12位代码或网格15位代码；镇广播站填镇9位代码；县广播站填县6位代码",
        ]
    )
    notes.append(["经度、纬度", "WGS-84 坐标，可不填；填写时两项都填"])
    notes.append(["公钥", "Ed25519 公钥：PEM，或32字节的 base64 / 十六进制"])
    notes.append(
        [
            "心跳间隔（秒）",
            f"{INTERVAL_RANGE[0]}–{INTERVAL_RANGE[1]}，可不填（默认{DEFAULT_INTERVAL}）",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class RowProblem:
    row: int
    column: str
    problem: Problem

    @property
    def heading(self) -> str:
        return COLUMN_OF.get(self.column, self.column)


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.problems

    @property
    def bad_rows(self) -> int:
        return len({problem.row for problem in self.problems})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        return float("nan")


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValidationFailed.on("file", errors.IMPORT_NOT_XLSX) from error
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise ValidationFailed.on("file", errors.IMPORT_EMPTY)
    rows = []
    for index, row in enumerate(sheet.iter_rows(values_only=True)):
        if index > MAX_ROWS + 1:
            raise ValidationFailed.on("file", errors.IMPORT_TOO_MANY, limit=MAX_ROWS)
        rows.append(tuple(row))
    workbook.close()
    return rows


def _check_row(
    cells: dict[str, Any], *, kinds: dict[str, str], places: set[str]
) -> tuple[dict[str, Any], list[tuple[str, Problem]]]:
    problems: list[tuple[str, Problem]] = []
    fields: dict[str, Any] = {}
    code = _text(cells["code"])
    if not CODE_PATTERN.match(code):
        problems.append(("code", errors.TERMINAL_CODE_FORMAT.bind()))
    fields["code"] = code
    name = _text(cells["name"])
    if not name:
        problems.append(("name", errors.VALUE_REQUIRED.bind()))
    fields["name"] = name[:100]
    kind = kinds.get(_text(cells["kind"]))
    if kind is None:
        with translation.override("zh-hans"):
            listed = "、".join(str(label) for _value, label in TerminalKind.choices)
        problems.append(("kind", errors.TERMINAL_KIND.bind(kinds=listed)))
    fields["kind"] = kind
    region = _text(cells["region"])
    if kind is not None and (
        len(region) not in PLACE_LENGTHS[TerminalKind(kind)] or region not in places
    ):
        problems.append(
            (
                "region",
                errors.TERMINAL_PLACE.bind(
                    code=region or "—", where=PLACE_WORDS[TerminalKind(kind)]
                ),
            )
        )
    fields["region_code"] = region
    fields["group_name"] = _text(cells["group_name"])[:50]
    fields["address"] = _text(cells["address"])[:200]
    longitude, latitude = _number(cells["longitude"]), _number(cells["latitude"])
    if (longitude is None) != (latitude is None) or (
        longitude is not None
        and latitude is not None
        and not (-180 <= longitude <= 180 and -90 <= latitude <= 90)
    ):
        problems.append(("longitude", errors.COORDINATES.bind()))
    fields["longitude"], fields["latitude"] = longitude, latitude
    key = _text(cells["public_key"])
    fields["public_key"] = ""
    if key:
        try:
            fields["public_key"] = normalise_public_key(key)
        except InvalidPublicKey:
            problems.append(("public_key", errors.PUBLIC_KEY.bind()))
    interval = _number(cells["heartbeat_interval"])
    if interval is None:
        interval = DEFAULT_INTERVAL
    if not (interval == int(interval) and INTERVAL_RANGE[0] <= interval <= INTERVAL_RANGE[1]):
        low, high = INTERVAL_RANGE
        problems.append(("heartbeat_interval", errors.HEARTBEAT_INTERVAL.bind(low=low, high=high)))
        interval = DEFAULT_INTERVAL
    fields["heartbeat_interval_seconds"] = int(interval)
    return fields, problems


def terminal_import(*, actor: Any, content: bytes, dry_run: bool) -> ImportReport:
    """Check every row; add and update the terminals in one transaction only when no row is bad
    and it is not a dry run. ValidationFailed (400) for a file that is no terminal sheet; a report
    with problems for bad rows (the caller answers 400 with it)."""
    jurisdiction = require_permission(actor, Perm.TERMINALS_MANAGE)
    rows = _rows(content)
    if not rows or [_text(cell) for cell in rows[0][: len(HEADINGS)]] != HEADINGS:
        raise ValidationFailed.on("file", errors.IMPORT_BAD_HEADER, headings="、".join(HEADINGS))
    body = [
        (number, row)
        for number, row in enumerate(rows[1:], start=2)
        if any(_text(cell) for cell in row)
    ]
    if not body:
        raise ValidationFailed.on("file", errors.IMPORT_EMPTY)
    keys = [key for key, _heading in COLUMNS]
    region_column = keys.index("region")
    named = {_text(row[region_column]) for _number, row in body if len(row) > region_column}
    places = {
        code
        for code in Region.objects.filter(region_code__in=sorted(named)).values_list(
            "region_code", flat=True
        )
        if any(is_within(code, top) for top in jurisdiction)
    }
    kinds = _kinds()
    report = ImportReport(dry_run=dry_run, rows=len(body))
    checked: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for number, row in body:
        cells = dict(zip(keys, list(row) + [None] * (len(keys) - len(row)), strict=False))
        fields, problems = _check_row(cells, kinds=kinds, places=places)
        code = fields["code"]
        if code and first_row.setdefault(code, number) != number:
            problems.append(("code", errors.TERMINAL_CODE_REPEATED.bind(row=first_row[code])))
        report.problems += [RowProblem(number, column, problem) for column, problem in problems]
        if not problems:
            checked.append({**fields, "row": number})
    existing = {
        terminal.code: terminal
        for terminal in Terminal.objects.filter(code__in=[fields["code"] for fields in checked])
    }
    for fields in checked:
        found = existing.get(fields["code"])
        if found is not None and not any(is_within(found.region_code, top) for top in jurisdiction):
            report.problems.append(
                RowProblem(fields["row"], "code", errors.TERMINAL_CODE_TAKEN.bind())
            )
    report.problems.sort(key=lambda problem: (problem.row, keys.index(problem.column)))
    if report.problems:
        return report
    report.updated = sum(1 for fields in checked if fields["code"] in existing)
    report.created = len(checked) - report.updated
    if not dry_run:
        _write(actor, checked, existing)
    return report


@transaction.atomic
def _write(actor: Any, checked: list[dict[str, Any]], existing: dict[str, Terminal]) -> None:
    now = timezone.now()
    created: list[Terminal] = []
    updated: list[Terminal] = []
    for fields in checked:
        values = {key: value for key, value in fields.items() if key not in ("row", "region_code")}
        terminal = existing.get(fields["code"])
        if terminal is None:
            terminal = Terminal(**values, status=TerminalStatus.OFFLINE, status_changed_at=now)
            created.append(terminal)
        else:
            for key, value in values.items():
                setattr(terminal, key, value)
            updated.append(terminal)
        terminal.set_region_code(fields["region_code"])
    Terminal.objects.bulk_create(created, batch_size=2_000)
    if updated:
        Terminal.objects.bulk_update(
            updated,
            [
                "name",
                "kind",
                "group_name",
                "address",
                "longitude",
                "latitude",
                "public_key",
                "heartbeat_interval_seconds",
                "region_code",
                "county_code",
                "town_code",
                "village_code",
                "grid_code",
            ],
            batch_size=2_000,
        )
    audit_record(
        actor=actor,
        action="terminal.import",
        object_type="terminal",
        detail={"created": len(created), "updated": len(updated)},
    )
