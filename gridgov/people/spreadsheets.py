"""The register's workbooks: the import template (the ID column formatted as text), the import
itself (a dry run lists every bad row with its column and reason; nothing is written while any
row is bad), and the masked export of a scoped selection."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.codes import GRID_LEN, MICRO_GRID_LEN
from gridgov.core.errors import ErrorCode, Problem, ValidationFailed
from gridgov.core.scoping import require_permission
from gridgov.people import errors
from gridgov.people.checks import ResidentInput, check_resident
from gridgov.people.models import Household, Resident
from gridgov.people.policy import holds_at
from gridgov.regions.models import Region

# Column keys and their headings (the file format: the headings are what a clerk sees in Excel).
COLUMNS: list[tuple[str, str]] = [
    ("grid", "网格编码"),
    ("household_number", "户号"),
    ("address", "住址"),
    ("name", "姓名"),
    ("id_number", "公民身份号码"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("phone", "联系电话"),
    ("ethnicity", "民族"),
    ("relation", "与户主关系"),
    ("residence", "居住状态"),
    ("occupation", "职业"),
]
HEADINGS = [heading for _key, heading in COLUMNS]
COLUMN_OF = {key: heading for key, heading in COLUMNS}
MAX_ROWS = 20_000
EXPORT_LIMIT = 10_000
TEXT = "@"


def _choice_names(choices: Any) -> dict[str, str]:
    """Each choice by its value and by its Chinese label (户主 -> head)."""
    with translation.override("zh-hans"):
        names = {str(label): value for value, label in choices}
    return {**names, **{value: value for value, _label in choices}}


RELATIONS = _choice_names(Resident.Relation.choices)
RESIDENCES = _choice_names(Resident.Residence.choices)
GENDERS = {"男": "male", "女": "female", "male": "male", "female": "female"}


def template_workbook() -> bytes:
    """An empty register sheet: the headings, the ID, phone and grid columns formatted as text
    so Excel keeps every digit, and a sheet of the allowed values."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "居民"
    sheet.append(HEADINGS)
    for key in ("grid", "household_number", "id_number", "phone"):
        column = HEADINGS.index(COLUMN_OF[key]) + 1
        for row in range(2, 1002):
            sheet.cell(row=row, column=column).number_format = TEXT
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = 22
    notes = workbook.create_sheet("填写说明")
    with translation.override("zh-hans"):
        notes.append(["性别", "男、女（可不填，以身份证号码为准）"])
        notes.append(
            ["与户主关系", "、".join(str(label) for _v, label in Resident.Relation.choices)]
        )
        notes.append(
            ["居住状态", "、".join(str(label) for _v, label in Resident.Residence.choices)]
        )
        notes.append(["出生日期", "可不填；填写时须与身份证号码一致（如 1990-01-31）"])
        notes.append(["网格编码", "15位网格编码或18位微网格编码"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class RowProblem:
    row: int
    column: str
    problem: Problem

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": COLUMN_OF.get(self.column, self.column),
            "field": self.column,
            "code": self.problem.code,
            "detail": self.problem.message,
        }


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    households_created: int = 0
    residents_created: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "rows": self.rows,
            "bad_rows": len({problem.row for problem in self.problems}),
            "households_created": self.households_created,
            "residents_created": self.residents_created,
            "written": self.written,
            "problems": [problem.as_dict() for problem in self.problems],
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> dt.date | ErrorCode | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        return errors.BIRTH_DATE_MISMATCH


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


def resident_import(*, actor: Any, content: bytes, dry_run: bool) -> ImportReport:
    """Check every row; write households and residents in one transaction only when no row is
    bad and it is not a dry run. ValidationFailed (400) for a file that is no register sheet;
    a report with problems for bad rows (the caller answers 400 with it)."""
    require_permission(actor, Perm.PEOPLE_MANAGE)
    rows = _rows(content)
    if not rows or [_text(cell) for cell in rows[0][: len(HEADINGS)]] != HEADINGS:
        raise ValidationFailed.on("file", errors.IMPORT_BAD_HEADER)
    body = [
        (number, row)
        for number, row in enumerate(rows[1:], start=2)
        if any(_text(cell) for cell in row)
    ]
    if not body:
        raise ValidationFailed.on("file", errors.IMPORT_EMPTY)
    report = ImportReport(dry_run=dry_run, rows=len(body))
    keys = [key for key, _heading in COLUMNS]
    checked: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    seen_ids: dict[str, int] = {}
    household_grid: dict[str, str] = {}
    # Every grid of the file looked up at once (a county's file names a thousand of them).
    grid_column = keys.index("grid")
    grids_existing = _grids_existing({_text(row[grid_column]) for _n, row in body if row})
    grids_known: dict[str, bool] = {}
    for number, row in body:
        cells = dict(zip(keys, list(row) + [None] * (len(keys) - len(row)), strict=False))
        problems: list[tuple[str, Problem]] = []
        grid = _text(cells["grid"])
        if grid not in grids_known:
            grids_known[grid] = grid in grids_existing and holds_at(actor, Perm.PEOPLE_MANAGE, grid)
        if not grids_known[grid]:
            problems.append(("grid", errors.UNKNOWN_GRID.bind(grid=grid)))
        household_number = _text(cells["household_number"])
        if not household_number:
            problems.append(("household_number", errors.REQUIRED.bind()))
        elif household_grid.setdefault(household_number, grid) != grid:
            problems.append(("household_number", errors.IMPORT_HOUSEHOLD_ELSEWHERE.bind()))
        address = _text(cells["address"])
        if not address:
            problems.append(("address", errors.REQUIRED.bind()))
        birth = _date(cells["birth_date"])
        gender = _text(cells["gender"])
        relation = _text(cells["relation"]) or "户主"
        residence = _text(cells["residence"]) or "户籍人口"
        result = check_resident(
            ResidentInput(
                name=_text(cells["name"]),
                id_number=cells["id_number"]
                if not isinstance(cells["id_number"], str)
                else cells["id_number"].strip(),
                phone=_text(cells["phone"]),
                gender=GENDERS.get(gender, gender),
                birth_date=birth if isinstance(birth, dt.date) else None,
                ethnicity=_text(cells["ethnicity"]),
                relation=RELATIONS.get(relation, relation),
                residence=RESIDENCES.get(residence, residence),
                occupation=_text(cells["occupation"]),
            )
        )
        if isinstance(birth, ErrorCode):
            problems.append(("birth_date", birth.bind()))
        for column, column_problems in result.problems.items():
            problems += [(column, problem) for problem in column_problems]
        if result.fields:
            id_hash = str(result.fields["id_hash"])
            if id_hash in seen_ids:
                problems.append(("id_number", errors.ID_DUPLICATE.bind()))
            seen_ids.setdefault(id_hash, number)
        report.problems += [RowProblem(number, column, problem) for column, problem in problems]
        if not problems:
            checked.append(
                (
                    number,
                    result.fields,
                    {"grid": grid, "number": household_number, "address": address},
                )
            )
    # Against the register: ID numbers already there (wherever, even outside the jurisdiction),
    # household numbers that belong to another grid.
    existing_ids = set(
        Resident.objects.filter(id_hash__in=list(seen_ids)).values_list("id_hash", flat=True)
    )
    existing_households = {
        household.number: household
        for household in Household.objects.filter(number__in=list(household_grid))
    }
    for number, fields, place in checked:
        if fields["id_hash"] in existing_ids:
            report.problems.append(RowProblem(number, "id_number", errors.ID_DUPLICATE.bind()))
        household = existing_households.get(place["number"])
        if household is not None and household.region_code != place["grid"]:
            report.problems.append(
                RowProblem(number, "household_number", errors.IMPORT_HOUSEHOLD_ELSEWHERE.bind())
            )
    report.problems.sort(key=lambda problem: (problem.row, keys.index(problem.column)))
    new_households = {
        place["number"] for _n, _f, place in checked if place["number"] not in existing_households
    }
    report.households_created = len(new_households)
    report.residents_created = len(checked)
    if report.problems:
        report.households_created = report.residents_created = 0
        return report
    if not dry_run:
        _write(actor, checked, existing_households)
    return report


def _grids_existing(codes: set[str]) -> set[str]:
    """Those of `codes` that are grids or micro-grids of the map."""
    shaped = sorted(c for c in codes if len(c) in (GRID_LEN, MICRO_GRID_LEN) and c.isdigit())
    return set(
        Region.objects.filter(region_code__in=shaped, level__in=["grid", "micro_grid"]).values_list(
            "region_code", flat=True
        )
    )


@transaction.atomic
def _write(
    actor: Any,
    checked: list[tuple[int, dict[str, Any], dict[str, Any]]],
    existing: dict[str, Household],
) -> None:
    households = dict(existing)
    created = []
    for _number, _fields, place in checked:
        if place["number"] not in households:
            household = Household(number=place["number"], address=place["address"])
            household.set_region_code(place["grid"])
            households[place["number"]] = household
            created.append(household)
    Household.objects.bulk_create(created)
    residents = []
    for _number, fields, place in checked:
        household = households[place["number"]]
        resident = Resident(household=household, address=place["address"], **fields)
        resident.set_region_code(household.region_code)
        residents.append(resident)
    Resident.objects.bulk_create(residents, batch_size=2_000)
    audit_record(
        actor=actor,
        action="resident.import",
        object_type="resident",
        detail={"households": len(created), "residents": len(residents)},
    )


def _phone(resident: Resident, *, unmasked: bool) -> str:
    if unmasked and resident.phone:
        return resident.phone.reveal()
    return str(resident.phone)


def export_workbook(residents: list[Resident], *, unmasked: bool = False) -> bytes:
    """The selection as a workbook, ID numbers and phones masked unless `unmasked` (for a user
    who may unmask, who gave a reason: see `services.export_unmasked_record`)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民")
    sheet.append(HEADINGS)
    with translation.override("zh-hans"):
        for resident in residents:
            sheet.append(
                [
                    resident.region_code,
                    resident.household.number,
                    resident.address,
                    resident.name,
                    resident.id_number.reveal() if unmasked else str(resident.id_number),
                    str(resident.get_gender_display()),
                    resident.birth_date.isoformat(),
                    _phone(resident, unmasked=unmasked),
                    resident.ethnicity,
                    str(resident.get_relation_display()),
                    str(resident.get_residence_display()),
                    resident.occupation,
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
