"""Import and export of the region tree: round trips, every kind of bad row, all-or-nothing, commands."""

from __future__ import annotations

import copy
import csv
import io
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from gridgov.core.access import Perm, Role
from gridgov.core.errors import PermissionDenied, ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.regions.locator import current_version
from gridgov.regions.models import Region
from gridgov.regions.transfer import (
    CSV,
    CSV_COLUMNS,
    GEOJSON,
    RegionRecord,
    parse,
    parse_csv,
    parse_geojson,
    regions_export,
    regions_import,
)
from gridgov.regions.transfer.actors import shell_actor
from gridgov.testing import rectangle

BOM = "\ufeff"
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[107.01, 34.1], [107.1, 34.2], [107.1, 34.1], [107.01, 34.2], [107.01, 34.1]]],
}


def export_text(actor: Any, fmt: str, root: str | None = None) -> str:
    return "".join(regions_export(actor=actor, fmt=fmt, root_code=root))


def stored_tree(prefix: str = "610324") -> list[tuple[Any, ...]]:
    """Everything an import sets, for every stored region under `prefix`."""
    return list(
        Region.objects.filter(region_code__startswith=prefix)
        .order_by("region_code")
        .values_list(
            "region_code",
            "parent__region_code",
            "level",
            "kind",
            "name",
            "population",
            "households",
            "boundary",
        )
    )


def wipe_regions() -> None:
    for level in ("micro_grid", "grid", "village", "town", "county"):
        Region.objects.filter(level=level).delete()


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))


def csv_text(rows: list[dict[str, str]]) -> str:
    """The rows as CSV; a row with a "raw" entry is written as that text, unquoted."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        if "raw" in row:
            buffer.write(row["raw"] + "\r\n")
        else:
            writer.writerow(row)
    return buffer.getvalue()


def line_of(rows: list[dict[str, str]], code: str) -> int:
    """The CSV line of a row (the header is line 1)."""
    return next(index for index, row in enumerate(rows) if row["code"] == code) + 2


def import_csv(actor: Any, rows: list[dict[str, str]], *, dry_run: bool = False) -> Any:
    return regions_import(actor=actor, records=parse_csv(csv_text(rows)), dry_run=dry_run)


def found(report: Any) -> set[tuple[int, str, str]]:
    return {(error.row, error.code, error.problem) for error in report.errors}


@pytest.fixture(autouse=True)
def _english():
    # Reasons are translated (zh-hans by default); the assertions read the English msgids.
    with translation.override("en"):
        yield


@pytest.fixture
def operator(tree, user_factory):
    return user_factory(Role.COUNTY_OPERATOR, tree.county)


@pytest.fixture
def county_rows(operator) -> list[dict[str, str]]:
    """The county 610324 as the operator exports it, one dict per CSV row."""
    return csv_rows(export_text(operator, CSV))


# --- export -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_geojson_export_holds_the_jurisdiction_parents_first(tree, operator):
    # given the operator of 610324 and a second county 610323 in the database
    # when
    collection = json.loads(export_text(operator, GEOJSON))
    # then
    exported = [feature["properties"]["code"] for feature in collection["features"]]
    assert exported == [row[0] for row in stored_tree("610324")]
    assert not any(code.startswith(tree.other_county) for code in exported)
    grid = next(f for f in collection["features"] if f["properties"]["code"] == tree.grids[0])
    assert grid["geometry"] == tree.region(tree.grids[0]).boundary
    assert grid["properties"]["parent_code"] == tree.villages[0]
    assert grid["properties"]["level"] == "grid"
    assert grid["properties"]["name"] == tree.names[tree.grids[0]]
    assert (grid["properties"]["population"], grid["properties"]["households"]) == (100, 30)
    county = collection["features"][0]["properties"]
    assert county["code"] == tree.county
    assert county["parent_code"] is None


@pytest.mark.django_db
def test_csv_export_is_utf8_with_bom_and_boundary_as_geojson_text(tree, operator):
    # when
    text = export_text(operator, CSV, root=tree.villages[0])
    # then
    assert text.startswith(BOM + ",".join(CSV_COLUMNS) + "\r\n")
    rows = csv_rows(text)
    assert [row["code"] for row in rows] == [row[0] for row in stored_tree(tree.villages[0])]
    assert rows[0]["parent_code"] == tree.towns[0]
    assert rows[0]["name"] == tree.names[tree.villages[0]]
    assert json.loads(rows[0]["boundary"]) == tree.region(tree.villages[0]).boundary


@pytest.mark.django_db
def test_csv_export_defuses_a_name_a_spreadsheet_would_run_and_import_restores_it(tree, operator):
    # given a region whose name starts like a formula
    Region.objects.filter(region_code=tree.grids[0]).update(name="=1+1网格")
    # when
    rows = csv_rows(export_text(operator, CSV, root=tree.grids[0]))
    report = import_csv(operator, rows)
    # then
    assert rows[0]["name"] == "'=1+1网格"
    assert report.ok, report.errors
    assert (report.updated, report.unchanged) == (0, 3)


@pytest.mark.django_db
def test_export_of_a_root_outside_the_jurisdiction_is_not_found(tree, operator):
    from gridgov.core.errors import NotFound

    with pytest.raises(NotFound):
        export_text(operator, GEOJSON, root=tree.other_county)


# --- round trips --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", [GEOJSON, CSV])
def test_round_trip_into_an_empty_database_rebuilds_the_same_tree(tree, operator, fmt):
    # given the county exported, then every region deleted
    before = stored_tree()
    text = export_text(operator, fmt)
    wipe_regions()
    # when
    report = regions_import(actor=operator, records=parse(text, fmt), dry_run=False)
    # then
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (len(before), 0, 0)
    assert stored_tree() == before
    assert not Region.objects.filter(region_code__startswith=tree.other_county).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", [GEOJSON, CSV])
def test_round_trip_over_itself_changes_nothing(tree, operator, fmt):
    # given
    before = stored_tree()
    version = current_version()
    audit_rows = AuditEntry.objects.count()
    # when
    report = regions_import(
        actor=operator, records=parse(export_text(operator, fmt), fmt), dry_run=False
    )
    # then
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(before))
    assert stored_tree() == before
    assert current_version() == version
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.django_db
def test_import_updates_existing_and_creates_new_in_one_audited_write(tree, operator, county_rows):
    # given a renamed grid whose two micro-grids are narrowed to make room for a new one
    grid = tree.grids[0]  # x 107.0..107.125, y 34..35
    rows = {row["code"]: row for row in county_rows}
    rows[grid].update(name="新名字", population="250", households="80")
    rows[f"{grid}001"]["boundary"] = json.dumps(rectangle(107.0, 34.0, 107.1, 34.5))
    rows[f"{grid}002"]["boundary"] = json.dumps(rectangle(107.0, 34.5, 107.1, 35.0))
    new = {
        "code": f"{grid}003",
        "parent_code": grid,
        "level": "micro_grid",
        "kind": "",
        "name": "新微网格",
        "population": "12",
        "households": "4",
        "boundary": json.dumps(rectangle(107.1, 34.0, 107.125, 35.0)),
    }
    version = current_version()
    audit_rows = AuditEntry.objects.count()
    # when
    report = import_csv(operator, [*rows.values(), new])
    # then
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 3)
    stored = tree.region(grid)
    assert (stored.name, stored.population, stored.households) == ("新名字", 250, 80)
    assert tree.region(f"{grid}001").boundary == rectangle(107.0, 34.0, 107.1, 34.5)
    created = tree.region(f"{grid}003")
    assert (created.parent_id, created.grid_code, created.level) == (stored.pk, grid, "micro_grid")
    assert current_version() > version
    entries = list(AuditEntry.objects.filter(sequence__gt=audit_rows))
    assert [(e.action, e.actor_id) for e in entries] == [("region.import", operator.pk)]
    assert entries[0].detail["created"] == 1
    assert entries[0].detail["updated"] == 3


# --- bad rows -----------------------------------------------------------------------------


def _grid_row(rows: list[dict[str, str]], code: str) -> dict[str, str]:
    return next(row for row in rows if row["code"] == code)


def _duplicate(rows, tree):
    rows.append(dict(_grid_row(rows, tree.grids[1])))
    code = tree.grids[1]
    return [(line_of(rows, code), code), (len(rows) + 1, code)], "also at line"


def _set(field: str, value: Any, reason: str, *, code_index: int = 0):
    def mutate(rows, tree):
        code = tree.grids[code_index]
        row = _grid_row(rows, code)
        row[field] = value if not callable(value) else value(tree)
        line = line_of(rows, row["code"])
        return [(line, row["code"])], reason

    return mutate


def _new_row(code: str, reason: str, **fields: str):
    def mutate(rows, tree):
        rows.append(
            {
                "code": code,
                "parent_code": "",
                "level": "",
                "kind": "",
                "name": "新区域",
                "population": "0",
                "households": "0",
                "boundary": "",
                **fields,
            }
        )
        return [(len(rows) + 1, code)], reason

    return mutate


def _overlapping_grids(rows, tree):
    # The second grid of the first village grows west over the first (x 107.0..107.125).
    row = _grid_row(rows, tree.grids[1])
    row["boundary"] = json.dumps(rectangle(107.1, 34.0, 107.25, 35.0))
    first, second = tree.grids[0], tree.grids[1]
    return [(line_of(rows, first), first), (line_of(rows, second), second)], "overlaps"


def _extra_cell(rows, tree):
    # An unquoted comma in the name: the row has nine cells.
    row = _grid_row(rows, tree.grids[0])
    row["raw"] = f"{row['code']},{row['parent_code']},grid,,第1,网格,100,30,"
    return [(line_of(rows, tree.grids[0]), tree.grids[0])], "9 cells"


BAD_ROWS: dict[str, tuple[Callable[..., Any], str]] = {
    "duplicate_code": (_duplicate, "duplicate_code"),
    "malformed_code": (_set("code", "6103240012000X1", "malformed code"), "malformed_code"),
    "excel_number": (_set("code", "6.10324E+14", "format the column as text"), "malformed_code"),
    "level_mismatch": (_set("level", "village", "level village does not match"), "level_mismatch"),
    "parent_not_prefix": (
        _set("parent_code", lambda t: t.villages[2], "not under its parent's code"),
        "not_under_parent",
    ),
    "parent_two_levels_up": (
        _set("parent_code", lambda t: t.towns[0], "exactly one level up"),
        "not_under_parent",
    ),
    "parent_missing": (
        _new_row("610324001299001", "parent 610324001299 is neither in the file nor"),
        "parent_missing",
    ),
    "self_intersecting": (
        _set("boundary", json.dumps(BOW_TIE), "Self-intersection"),
        "invalid_boundary",
    ),
    "not_geojson_text": (_set("boundary", "{not json", "not GeoJSON text"), "invalid_boundary"),
    "not_a_polygon": (
        _set("boundary", json.dumps({"type": "Point", "coordinates": [107.05, 34.5]}), "Polygon"),
        "invalid_boundary",
    ),
    "not_inside_parent": (
        _set(
            "boundary", json.dumps(rectangle(107.0, 33.9, 107.125, 35.0)), "not inside its parent"
        ),
        "not_inside_parent",
    ),
    "overlapping_grids": (_overlapping_grids, "overlap"),
    "negative_population": (_set("population", "-5", "population must be"), "bad_number"),
    "text_households": (_set("households", "abc", "households must be"), "bad_number"),
    "fraction_population": (_set("population", "12.5", "population must be"), "bad_number"),
    "kind_of_another_level": (_set("kind", "street", "does not fit level grid"), "bad_kind"),
    "missing_name": (_set("name", "  ", "a name is required"), "bad_name"),
    "outside_jurisdiction": (
        _new_row("610323100200002", "outside your jurisdiction", name="岐山第2网格"),
        "outside_jurisdiction",
    ),
    "unreadable_row": (_extra_cell, "unreadable_row"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_each_kind_of_bad_row_is_reported_with_its_line_code_and_reason(
    tree, operator, county_rows, case
):
    # given the county's export with one fault
    mutate, problem = BAD_ROWS[case]
    expected, reason = mutate(county_rows, tree)
    before = stored_tree()
    # when
    report = import_csv(operator, county_rows)
    # then exactly the faulty rows are reported, and nothing was written
    assert not report.ok
    assert found(report) == {(line, code, problem) for line, code in expected}
    assert all(reason in error.reason for error in report.errors), report.errors
    assert stored_tree() == before


@pytest.mark.django_db
def test_a_stored_sibling_that_would_be_overlapped_is_named(tree, operator):
    # given a file with only the second grid, grown west over the stored first grid
    row = {
        "code": tree.grids[1],
        "parent_code": tree.villages[0],
        "level": "grid",
        "kind": "",
        "name": "扩大的网格",
        "population": "1",
        "households": "1",
        "boundary": json.dumps(rectangle(107.1, 34.0, 107.25, 35.0)),
    }
    # when
    report = import_csv(operator, [row])
    # then
    assert found(report) == {(2, tree.grids[1], "overlap")}
    assert f"the stored region {tree.grids[0]}" in report.errors[0].reason


@pytest.mark.django_db
def test_shrinking_a_village_away_from_its_stored_grids_is_reported(tree, operator):
    # given the first village (x 107.0..107.25) shrunk to its west half, its grids not in the file
    village = tree.villages[0]
    rows = csv_rows(export_text(operator, CSV, root=village))[:1]
    rows[0]["boundary"] = json.dumps(rectangle(107.0, 34.0, 107.125, 35.0))
    # when
    report = import_csv(operator, rows)
    # then the east grid would stick out
    assert found(report) == {(2, village, "child_outside")}
    assert tree.grids[1] in report.errors[0].reason
    assert tree.grids[0] not in report.errors[0].reason


@pytest.mark.django_db
def test_several_bad_rows_are_all_reported_at_once_in_file_order(tree, operator, county_rows):
    # given three different faults on three rows
    _grid_row(county_rows, tree.grids[0])["population"] = "many"
    _grid_row(county_rows, tree.grids[2])["boundary"] = json.dumps(BOW_TIE)
    _grid_row(county_rows, tree.grids[5])["parent_code"] = tree.villages[0]
    # when
    report = import_csv(operator, county_rows)
    # then
    assert [(error.row, error.problem) for error in report.errors] == sorted(
        [
            (line_of(county_rows, tree.grids[0]), "bad_number"),
            (line_of(county_rows, tree.grids[2]), "invalid_boundary"),
            (line_of(county_rows, tree.grids[5]), "not_under_parent"),
        ]
    )
    assert report.bad_rows == 3
    assert "3 of" in report.summary()


@pytest.mark.django_db
def test_geojson_rows_are_named_by_feature_index(tree, operator):
    # given
    collection = json.loads(export_text(operator, GEOJSON))
    collection["features"][3]["properties"]["code"] = "12345"
    collection["features"][5] = "not a feature"
    # when
    report = regions_import(actor=operator, records=parse_geojson(collection), dry_run=True)
    # then
    assert [(e.row, e.where, e.problem) for e in report.errors] == [
        (3, "feature 3", "malformed_code"),
        (5, "feature 5", "unreadable_row"),
    ]


@pytest.mark.django_db
def test_a_failed_import_writes_nothing_at_all(tree, operator, county_rows):
    # given a rename and a new grid that are fine, and one bad row
    village = tree.villages[0]
    _grid_row(county_rows, tree.grids[0])["name"] = "改名"
    _new_row(f"{village}009", "", parent_code=village, name="新网格")(county_rows, tree)
    _grid_row(county_rows, tree.grids[1])["boundary"] = json.dumps(BOW_TIE)
    counts = (Region.objects.count(), AuditEntry.objects.count(), current_version())
    before = stored_tree()
    # when
    report = regions_import(actor=operator, records=parse_csv(csv_text(county_rows)), dry_run=False)
    # then
    assert not report.ok
    assert not report.written
    assert (Region.objects.count(), AuditEntry.objects.count(), current_version()) == counts
    assert stored_tree() == before


@pytest.mark.django_db
def test_a_dry_run_reports_what_would_change_and_writes_nothing(tree, operator, county_rows):
    # given
    _grid_row(county_rows, tree.grids[0])["name"] = "改名"
    county_rows.append(
        {
            **_grid_row(county_rows, tree.grids[0]),
            "code": f"{tree.villages[0]}009",
            "name": "新网格",
            "boundary": "",
        }
    )
    counts = (Region.objects.count(), AuditEntry.objects.count(), current_version())
    before = stored_tree()
    # when
    report = import_csv(operator, county_rows, dry_run=True)
    # then
    assert report.ok, report.errors
    assert (report.created, report.updated, report.written) == (1, 1, False)
    assert "Dry run" in report.summary()
    assert (Region.objects.count(), AuditEntry.objects.count(), current_version()) == counts
    assert stored_tree() == before


@pytest.mark.django_db
def test_rows_outside_the_jurisdiction_are_audited_as_refused(tree, operator, county_rows):
    # given
    _new_row("610323100200002", "", name="岐山第2网格")(county_rows, tree)
    # when
    report = import_csv(operator, county_rows)
    # then
    assert [e.problem for e in report.errors] == ["outside_jurisdiction"]
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None
    assert (entry.action, entry.outcome, entry.actor_id) == (
        "region.import",
        AuditEntry.Outcome.DENIED,
        operator.pk,
    )
    assert entry.detail["outside_rows"] == 1


@pytest.mark.django_db
def test_a_role_that_cannot_manage_regions_is_refused(tree, user_factory, county_rows):
    # given a town official: may view regions, not manage them
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    # when / then
    with pytest.raises(PermissionDenied):
        import_csv(official, county_rows, dry_run=True)


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        ("{not json", GEOJSON, "not valid JSON"),
        ('{"type": "Feature"}', GEOJSON, "FeatureCollection"),
        ("code,name\n610324,扶风县\n", CSV, "lacks the columns"),
        ("", CSV, "empty"),
        (b"\xff\xfe\x00\x00\x81", CSV, "neither UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(content, fmt, message):
    with pytest.raises(ValidationFailed) as raised:
        parse(content, fmt)
    assert message in raised.value.errors["file"][0]


def test_csv_from_a_chinese_excel_in_gb18030_is_read():
    # given a CSV as Excel on a Chinese Windows saves it
    text = ",".join(CSV_COLUMNS) + "\r\n610324,,county,,扶风县,0,0,\r\n"
    # when
    records = parse_csv(text.encode("gb18030"))
    # then
    assert [(r.row, r.code, r.name) for r in records] == [(2, "610324", "扶风县")]


# --- management commands ------------------------------------------------------------------


@pytest.mark.django_db
def test_first_setup_imports_from_the_shell_when_the_county_does_not_exist(tree, tmp_path):
    # given the county exported from the shell, then an empty database (no account at all)
    path = tmp_path / "county.csv"
    call_command("export_regions", "--format", "csv", "--root", tree.county, "-o", str(path))
    before = stored_tree()
    wipe_regions()
    out = io.StringIO()
    # when
    call_command("import_regions", str(path), stdout=out)
    # then
    assert stored_tree() == before
    assert "local administrator" in out.getvalue()
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None
    assert entry.action == "region.import"
    assert entry.actor_id is None
    assert entry.detail["actor"].startswith("shell:")
    assert entry.detail["created"] == len(before)


@pytest.mark.django_db
def test_the_shell_may_only_set_up_the_configured_county(tree, tmp_path):
    # given the other county's export and an empty database
    path = tmp_path / "other.geojson"
    call_command("export_regions", "--root", tree.other_county, "-o", str(path))
    wipe_regions()
    # when / then
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_regions", str(path), stdout=io.StringIO())
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_import_command_acts_as_the_county_operator_and_reports_bad_rows(
    tree, operator, county_rows, tmp_path
):
    # given a file with a bad row
    _grid_row(county_rows, tree.grids[0])["population"] = "-1"
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(county_rows), encoding="utf-8")
    out = io.StringIO()
    # when / then
    with pytest.raises(CommandError, match="1 of"):
        call_command("import_regions", str(path), stdout=out)
    assert f"county operator {operator.username}" in out.getvalue()
    assert f"line {line_of(county_rows, tree.grids[0])}\t{tree.grids[0]}" in out.getvalue()


@pytest.mark.django_db
def test_import_command_dry_run_and_as_user(tree, operator, county_rows, tmp_path):
    # given
    _grid_row(county_rows, tree.grids[0])["name"] = "改名"
    path = tmp_path / "changes.csv"
    path.write_text(csv_text(county_rows), encoding="utf-8")
    out = io.StringIO()
    # when
    call_command("import_regions", str(path), "--dry-run", "--as", operator.username, stdout=out)
    # then
    assert "1 updated" in out.getvalue()
    assert tree.region(tree.grids[0]).name == tree.names[tree.grids[0]]


@pytest.mark.django_db
def test_import_command_needs_an_actor_once_the_county_exists(tree, tmp_path):
    # given the county exists but nobody operates it
    path = tmp_path / "county.geojson"
    call_command("export_regions", "-o", str(path))
    # when / then
    with pytest.raises(CommandError, match="--as"):
        call_command("import_regions", str(path), stdout=io.StringIO())


@pytest.mark.django_db
def test_export_command_as_a_user_is_scoped_to_their_jurisdiction(tree, user_factory):
    # given
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    out = io.StringIO()
    # when
    call_command("export_regions", "--format", "csv", "--as", official.username, stdout=out)
    # then
    exported = {row["code"] for row in csv_rows(out.getvalue())}
    assert exported == {row[0] for row in stored_tree(tree.towns[0])}


# --- scale --------------------------------------------------------------------------------


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def _strips(bounds: tuple[float, ...], parts: int, *, vertical: bool) -> list[tuple[float, ...]]:
    minx, miny, maxx, maxy = bounds
    if vertical:
        width = (maxx - minx) / parts
        return [(minx + i * width, miny, minx + (i + 1) * width, maxy) for i in range(parts)]
    height = (maxy - miny) / parts
    return [(minx, miny + i * height, maxx, miny + (i + 1) * height) for i in range(parts)]


def generated_county(
    towns: int = 8, villages: int = 122, grids: int = 1264, micro_grids: int = 5000
) -> list[RegionRecord]:
    """Fufeng's scale as nested rectangles that tile each parent."""
    records: list[RegionRecord] = []

    def add(code: str, bounds: tuple[float, ...]) -> None:
        records.append(
            RegionRecord(
                row=len(records),
                code=code,
                name=f"区域{code}",
                boundary=rectangle(*bounds),
                row_label="feature",
            )
        )

    county_bounds = (107.0, 34.0, 108.0, 35.0)
    add("610324", county_bounds)
    villages_per_town = _spread(villages, towns)
    grids_per_village = iter(_spread(grids, villages))
    micro_per_grid = iter(_spread(micro_grids, grids))
    for t, town_bounds in enumerate(_strips(county_bounds, towns, vertical=True)):
        town = f"610324{t + 1:03d}"
        add(town, town_bounds)
        for v, village_bounds in enumerate(
            _strips(town_bounds, villages_per_town[t], vertical=False)
        ):
            village = f"{town}{v + 1:03d}"
            add(village, village_bounds)
            for g, grid_bounds in enumerate(
                _strips(village_bounds, next(grids_per_village), vertical=True)
            ):
                grid = f"{village}{g + 1:03d}"
                add(grid, grid_bounds)
                for m, micro_bounds in enumerate(
                    _strips(grid_bounds, next(micro_per_grid), vertical=False)
                ):
                    add(f"{grid}{m + 1:03d}", micro_bounds)
    return records


@pytest.mark.django_db
def test_a_county_of_1264_grids_and_5000_micro_grids_validates_and_imports_quickly():
    # given Fufeng's scale, an empty database and the shell's first-setup actor
    records = generated_county()
    actor = shell_actor(codes=("610324",), permissions=frozenset({Perm.REGIONS_MANAGE}))
    # when
    started = time.perf_counter()
    dry = regions_import(actor=actor, records=records, dry_run=True)
    validated = time.perf_counter() - started
    started = time.perf_counter()
    report = regions_import(actor=actor, records=records, dry_run=False)
    imported = time.perf_counter() - started
    started = time.perf_counter()
    again = regions_import(actor=actor, records=records, dry_run=True)
    revalidated = time.perf_counter() - started
    # then
    timing = (
        f"6,395 regions: validation {validated:.2f} s into an empty tree, "
        f"validation + write {imported:.2f} s, validation over the stored tree {revalidated:.2f} s"
    )
    print("\n" + timing)  # noqa: T201  (the timing note, shown with -s)
    assert dry.ok, dry.errors[:5]
    assert report.created == 1 + 8 + 122 + 1264 + 5000
    assert Region.objects.filter(level="micro_grid").count() == 5000
    assert (again.ok, again.unchanged) == (True, report.created)
    # Generous bounds: they catch a quadratic check, not a slow machine.
    assert validated < 20
    assert imported < 60
    assert revalidated < 20


@pytest.mark.django_db
@pytest.mark.parametrize("repeated", ["code", "boundary"])
def test_a_value_filled_down_a_whole_column_is_reported_in_linear_time(tree, operator, repeated):
    # given 900 grids of the first village sharing one code, or one boundary
    village = tree.villages[0]
    records = [
        RegionRecord(
            row=index + 2,
            code=f"{village}100" if repeated == "code" else f"{village}{100 + index:03d}",
            name="网格",
            boundary=rectangle(107.01, 34.01, 107.02, 34.02),
        )
        for index in range(900)
    ]
    # when
    started = time.perf_counter()
    report = regions_import(actor=operator, records=records, dry_run=True)
    elapsed = time.perf_counter() - started
    # then every row is reported; a message names a few others and counts the rest
    problem = "duplicate_code" if repeated == "code" else "overlap"
    assert [(e.row, e.problem) for e in report.errors if e.problem == problem] == [
        (record.row, problem) for record in records
    ]
    # 899 other rows (and, for the boundary, the stored grid it lies in), five of them named
    others = 899 if repeated == "code" else 899 + 1
    assert any(error.reason.endswith(f"and {others - 5} more") for error in report.errors)
    assert elapsed < 5


@pytest.mark.django_db
def test_at_scale_one_overlap_among_5000_micro_grids_is_found():
    # given the generated county with one micro-grid copied over its neighbour
    records = generated_county()
    micro = [r for r in records if len(r.code) == 18]
    micro[1000].boundary = copy.deepcopy(micro[1001].boundary)
    actor = shell_actor(codes=("610324",), permissions=frozenset({Perm.REGIONS_MANAGE}))
    # when
    report = regions_import(actor=actor, records=records, dry_run=True)
    # then
    assert found(report) == {
        (micro[1000].row, micro[1000].code, "overlap"),
        (micro[1001].row, micro[1001].code, "overlap"),
    }
