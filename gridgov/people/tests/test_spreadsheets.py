"""Import and export of the register: the template, a dry run that lists every bad row (one file
per kind of error), an import that writes only a clean file, and the masked, scoped export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.people.idnumbers import Gender, synthetic_id
from gridgov.people.models import Household, Resident
from gridgov.people.spreadsheets import HEADINGS
from gridgov.people.tests.conftest import Register
from gridgov.testing import make_user

pytestmark = pytest.mark.django_db


def new_id(day: int, gender: Gender = Gender.MALE) -> str:
    return synthetic_id(
        place="610324",
        birth_date=dt.date(1985, 1, 1) + dt.timedelta(days=day),
        sequence=901,
        gender=gender,
    )


def row(grid: str, **changes: Any) -> list[Any]:
    values = {
        "网格编码": grid,
        "户号": "NEW-0001",
        "住址": "幸福路8号",
        "姓名": "张新民",
        "公民身份号码": new_id(0),
        "性别": "男",
        "出生日期": "1985-01-01",
        "联系电话": "13700001111",
        "民族": "汉族",
        "与户主关系": "户主",
        "居住状态": "户籍人口",
        "职业": "务工",
    }
    values.update(changes)
    return [values[heading] for heading in HEADINGS]


def workbook(rows: list[list[Any]], headings: list[str] = HEADINGS) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headings)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("register.xlsx", buffer.getvalue())


def upload(client: APIClient, file: Any, *, dry_run: bool) -> Any:
    return client.post(
        reverse("people-api:import"),
        {"file": file, "dry_run": "true" if dry_run else "false"},
        format="multipart",
    )


def worker(register: Register) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(Role.GRID_WORKER, register.tree.grids[0]))
    return client


def test_the_template_has_the_headings_and_text_id_column(register: Register) -> None:
    response = worker(register).get(reverse("people-api:import-template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADINGS
    id_column = HEADINGS.index("公民身份号码") + 1
    assert sheet.cell(row=2, column=id_column).number_format == "@"


def test_a_clean_file_is_checked_then_written(register: Register) -> None:
    # given two residents of one new household
    grid = register.tree.grids[0]
    rows = [
        row(grid),
        row(
            grid,
            **{
                "姓名": "李秀英",
                "公民身份号码": new_id(1, Gender.FEMALE),
                "性别": "女",
                "出生日期": "1985-01-02",
                "与户主关系": "配偶",
                "联系电话": "",
            },
        ),
    ]
    client = worker(register)
    before = Resident.objects.count()
    # when the dry run passes
    dry = upload(client, workbook(rows), dry_run=True)
    assert dry.status_code == 200, dry.content
    assert dry.json()["residents_created"] == 2
    assert dry.json()["households_created"] == 1
    assert Resident.objects.count() == before
    # then the import writes them, audited
    done = upload(client, workbook(rows), dry_run=False)
    assert done.status_code == 200
    assert done.json()["written"] is True
    household = Household.objects.get(number="NEW-0001")
    assert household.region_code == grid
    spouse = household.members.get(name="李秀英")
    assert (spouse.gender, spouse.relation, spouse.birth_date) == (
        "female",
        "spouse",
        dt.date(1985, 1, 2),
    )
    assert AuditEntry.objects.filter(action="resident.import").count() == 1


ERROR_FILES: dict[str, tuple[dict[str, Any], str, str]] = {
    "checksum": (
        {"公民身份号码": new_id(0)[:-1] + ("0" if new_id(0)[-1] != "0" else "1")},
        "公民身份号码",
        "people.id_checksum",
    ),
    "birth date mismatch": ({"出生日期": "1985-02-01"}, "出生日期", "people.birth_date_mismatch"),
    "unknown grid": ({"网格编码": "610324001200009"}, "网格编码", "people.unknown_grid"),
    "grid of another county": ({"网格编码": "610323100200001"}, "网格编码", "people.unknown_grid"),
    "excel-truncated id": (
        {"公民身份号码": 610324198501011000},
        "公民身份号码",
        "people.id_truncated",
    ),
    "not a chinese phone": ({"联系电话": "+1 202 555 0143"}, "联系电话", "people.phone_invalid"),
    "phone that is no number": ({"联系电话": "12345"}, "联系电话", "people.phone_invalid"),
    "gender mismatch": ({"性别": "女"}, "性别", "people.gender_mismatch"),
}


@pytest.mark.parametrize("kind", ERROR_FILES)
def test_each_kind_of_bad_row_is_reported_and_nothing_is_written(
    register: Register, kind: str
) -> None:
    # given a good row and then a bad one
    changes, column, code = ERROR_FILES[kind]
    grid = register.tree.grids[0]
    good = row(grid, **{"户号": "NEW-0002", "公民身份号码": new_id(5), "出生日期": "1985-01-06"})
    bad = row(grid, **changes)
    before = (Resident.objects.count(), Household.objects.count())
    # when it is imported for real
    response = upload(worker(register), workbook([good, bad]), dry_run=False)
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "people.import_has_bad_rows"
    assert [(p["row"], p["column"], p["code"]) for p in body["problems"]] == [(3, column, code)]
    assert body["written"] is False
    assert (Resident.objects.count(), Household.objects.count()) == before


def test_duplicates_in_the_file_and_in_the_register_are_both_reported(register: Register) -> None:
    # given a row repeating another's ID, and one repeating a resident's already in the register
    grid = register.tree.grids[0]
    known = register.resident_in(register.tree.grids[3]).id_number.reveal()
    facts_date = f"{known[6:10]}-{known[10:12]}-{known[12:14]}"
    rows = [
        row(grid),
        row(grid, **{"姓名": "张新民二"}),
        row(grid, **{"公民身份号码": known, "出生日期": facts_date, "性别": ""}),
    ]
    # when
    response = upload(worker(register), workbook(rows), dry_run=True)
    # then
    problems = [(p["row"], p["code"]) for p in response.json()["problems"]]
    assert problems == [(3, "people.id_duplicate"), (4, "people.id_duplicate")]


def test_every_bad_row_is_listed_not_only_the_first(register: Register) -> None:
    grid = register.tree.grids[0]
    rows = [row(grid, **{"联系电话": "1"}), row("999", **{"公民身份号码": new_id(9)})]
    response = upload(worker(register), workbook(rows), dry_run=True)
    assert {p["row"] for p in response.json()["problems"]} == {2, 3}
    assert response.json()["bad_rows"] == 2


@pytest.mark.parametrize(
    "file",
    [
        SimpleUploadedFile("x.xlsx", b"not a workbook"),
        "bad header",
        "no rows",
    ],
)
def test_a_file_that_is_no_register_sheet_is_bad_input(register: Register, file: Any) -> None:
    if file == "bad header":
        file = workbook([row(register.tree.grids[0])], headings=["a", "b"])
    elif file == "no rows":
        file = workbook([])
    response = upload(worker(register), file, dry_run=True)
    assert response.status_code == 400
    assert "file" in response.json()


def test_a_role_that_does_not_keep_the_register_is_refused(register: Register) -> None:
    client = APIClient()
    client.force_authenticate(make_user(Role.COUNTY_LEADER, register.tree.county))
    assert client.get(reverse("people-api:import-template")).status_code == 403
    response = upload(client, workbook([row(register.tree.grids[0])]), dry_run=True)
    assert response.status_code == 403


def test_the_export_is_masked_scoped_and_audited(register: Register) -> None:
    # given
    grid = register.tree.grids[0]
    client = worker(register)
    # when
    response = client.get(reverse("people-api:resident-export"))
    # then
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in line] for line in sheet.iter_rows(min_row=2)]
    assert {line[0] for line in rows} == {grid}
    assert len(rows) == Resident.objects.filter(grid_code=grid).count()
    assert all("**********" in line[4] for line in rows)
    assert AuditEntry.objects.get(action="resident.export").detail["rows"] == len(rows)
