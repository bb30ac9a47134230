"""The import and export endpoints: happy paths, bad input, another jurisdiction, a wrong role."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gridgov.core.access import Role
from gridgov.core.models import AuditEntry
from gridgov.regions.models import Region
from gridgov.testing import rectangle

EXPORT = "/api/v1/regions/export/"
IMPORT = "/api/v1/regions/import/"
BOM = "\ufeff"


def body_of(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def codes_under(prefix: str) -> list[str]:
    return list(
        Region.objects.filter(region_code__startswith=prefix)
        .order_by("region_code")
        .values_list("region_code", flat=True)
    )


@pytest.fixture
def operator(tree, user_factory):
    return user_factory(Role.COUNTY_OPERATOR, tree.county)


@pytest.fixture
def county_geojson(operator, api_as) -> dict:
    return json.loads(body_of(api_as(operator).get(EXPORT, {"format": "geojson"})))


def renamed(collection: dict, code: str, name: str) -> dict:
    for feature in collection["features"]:
        if feature["properties"]["code"] == code:
            feature["properties"]["name"] = name
    return collection


# --- export -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_geojson_streams_the_jurisdiction(tree, operator, api_as):
    # when
    response = api_as(operator).get(EXPORT, {"format": "geojson"})
    # then
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/geo+json"
    assert 'filename="regions-all.geojson"' in response["Content-Disposition"]
    collection = json.loads(body_of(response))
    assert [f["properties"]["code"] for f in collection["features"]] == codes_under(tree.county)


@pytest.mark.django_db
def test_export_csv_of_a_subtree_is_utf8_with_bom(tree, operator, api_as):
    # when
    response = api_as(operator).get(EXPORT, {"format": "csv", "root": tree.towns[1]})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body_of(response)
    assert text.startswith(BOM + "code,parent_code,level,kind,name,population,households,boundary")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert [row["code"] for row in rows] == codes_under(tree.towns[1])
    assert rows[0]["name"] == tree.names[tree.towns[1]]


@pytest.mark.django_db
def test_export_default_format_is_geojson(tree, operator, api_as):
    response = api_as(operator).get(EXPORT)
    assert response.status_code == 200
    assert json.loads(body_of(response))["type"] == "FeatureCollection"


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"format": "xlsx"}, {"root": "61032"}, {"root": "abc"}])
def test_export_bad_parameters_are_400(tree, operator, api_as, params):
    response = api_as(operator).get(EXPORT, params)
    assert response.status_code == 400
    assert set(response.json()) & {"format", "root_code"}


@pytest.mark.django_db
def test_export_of_a_root_in_another_jurisdiction_is_404(tree, user_factory, api_as):
    # given a town official: they see their town only
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    # when
    other_town = api_as(official).get(EXPORT, {"format": "csv", "root": tree.towns[1]})
    other_county = api_as(official).get(EXPORT, {"root": tree.other_county})
    missing = api_as(official).get(EXPORT, {"root": "610324999"})
    # then
    for response in (other_town, other_county, missing):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert tree.names[tree.towns[1]] not in response.content.decode()
    assert other_town.json()["code"] == missing.json()["code"] == "region.not_found"


@pytest.mark.django_db
def test_export_without_a_root_is_scoped_to_the_jurisdiction(tree, user_factory, api_as):
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0])
    response = api_as(official).get(EXPORT, {"format": "csv"})
    text = body_of(response)
    assert response.status_code == 200
    assert tree.names[tree.towns[1]] not in text
    assert tree.names[tree.other_county] not in text


@pytest.mark.django_db
def test_export_is_refused_to_a_role_without_regions(tree, user_factory, api_as):
    auditor = user_factory(Role.AUDITOR, tree.county)
    response = api_as(auditor).get(EXPORT, {"format": "csv"})
    assert response.status_code == 403


# --- import -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_upload_dry_run_then_for_real(tree, operator, api_as, county_geojson):
    # given the county with one grid renamed, as an uploaded file
    content = json.dumps(renamed(county_geojson, tree.grids[0], "改名网格")).encode()
    client = api_as(operator)

    def upload(dry_run: bool):
        file = SimpleUploadedFile("county.geojson", content, "application/geo+json")
        return client.post(IMPORT, {"file": file, "dry_run": dry_run}, format="multipart")

    # when
    dry = upload(dry_run=True)
    name_after_dry_run = Region.objects.get(region_code=tree.grids[0]).name
    real = upload(dry_run=False)
    # then
    assert dry.status_code == 200, dry.json()
    assert (dry.json()["updated"], dry.json()["dry_run"], dry.json()["written"]) == (1, True, False)
    assert name_after_dry_run == tree.names[tree.grids[0]]
    assert real.status_code == 200, real.json()
    assert (real.json()["updated"], real.json()["written"]) == (1, True)
    assert Region.objects.get(region_code=tree.grids[0]).name == "改名网格"


@pytest.mark.django_db
def test_import_csv_upload_guesses_the_format_from_the_name(tree, operator, api_as):
    # given the first village's export as a CSV file
    text = body_of(api_as(operator).get(EXPORT, {"format": "csv", "root": tree.villages[0]}))
    file = SimpleUploadedFile("village.csv", text.encode("utf-8"), "text/csv")
    # when
    response = api_as(operator).post(IMPORT, {"file": file}, format="multipart")
    # then
    assert response.status_code == 200, response.json()
    assert response.json()["unchanged"] == len(codes_under(tree.villages[0]))


@pytest.mark.django_db
def test_import_json_body_creates_a_region(tree, operator, api_as):
    # given a new grid of the first village, without a boundary yet
    code = f"{tree.villages[0]}077"
    feature = {
        "type": "Feature",
        "geometry": None,
        "properties": {"code": code, "name": "新网格", "population": 5, "households": 2},
    }
    content = {"type": "FeatureCollection", "features": [feature]}
    # when
    response = api_as(operator).post(IMPORT, {"content": content}, format="json")
    # then
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 1
    region = Region.objects.select_related("parent").get(region_code=code)
    assert region.parent is not None
    assert (region.name, region.parent.region_code, region.level) == (
        "新网格",
        tree.villages[0],
        "grid",
    )
    assert AuditEntry.objects.filter(action="region.import", actor=operator).count() == 1


@pytest.mark.django_db
def test_import_json_body_with_csv_text_and_dry_run_in_the_query(tree, operator, api_as):
    text = body_of(api_as(operator).get(EXPORT, {"format": "csv", "root": tree.grids[0]}))
    # The grid's own name cell only (its micro-grids' names start with it).
    text = text.replace(f",{tree.names[tree.grids[0]]},", ",改名,")
    response = api_as(operator).post(
        IMPORT + "?dry_run=true", {"content": text, "format": "csv"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["updated"], response.json()["dry_run"]) == (1, True)
    assert Region.objects.get(region_code=tree.grids[0]).name == tree.names[tree.grids[0]]


@pytest.mark.django_db
def test_import_with_bad_rows_is_400_with_every_bad_row_and_writes_nothing(
    tree, operator, api_as, county_geojson
):
    # given two faults: an overlap and a bad figure
    features = county_geojson["features"]
    index = {f["properties"]["code"]: i for i, f in enumerate(features)}
    features[index[tree.grids[1]]]["geometry"] = rectangle(107.1, 34.0, 107.25, 35.0)
    features[index[tree.grids[3]]]["properties"]["population"] = -3
    renamed(county_geojson, tree.grids[6], "不会保存")
    count = Region.objects.count()
    # when
    response = api_as(operator).post(IMPORT, {"content": county_geojson}, format="json")
    # then
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["ok"], body["written"]) == ("rows_rejected", False, False)
    assert sorted((e["row"], e["problem"]) for e in body["errors"]) == sorted(
        [
            (index[tree.grids[0]], "overlap"),
            (index[tree.grids[1]], "overlap"),
            (index[tree.grids[3]], "bad_number"),
        ]
    )
    assert body["bad_rows"] == 3
    assert all(e["reason"] and e["where"] for e in body["errors"])
    assert Region.objects.count() == count
    assert Region.objects.get(region_code=tree.grids[6]).name == tree.names[tree.grids[6]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "fmt", "field"),
    [
        ({"content": "{broken"}, "json", "file"),
        ({"content": {"type": "Feature"}}, "json", "file"),
        ({"content": "code,name\n1,2\n", "format": "csv"}, "json", "file"),
        ({}, "json", "content"),
        ({"content": [1, 2]}, "json", "file"),
        ({"content": 5, "format": "csv"}, "json", "file"),
        ({"file": "not a file"}, "multipart", "content"),
    ],
)
def test_import_unreadable_input_is_400(tree, operator, api_as, data, fmt, field):
    response = api_as(operator).post(IMPORT, data, format=fmt)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_import_rows_of_another_jurisdiction_are_bad_rows(tree, operator, api_as):
    # given a good row of the operator's county and a row of the other county
    feature = {
        "type": "Feature",
        "geometry": None,
        "properties": {"code": tree.grids[-1], "name": "岐山网格改名"},
    }
    other = dict(feature, properties={"code": "610323100200001", "name": "岐山网格改名"})
    content = {"type": "FeatureCollection", "features": [feature, other]}
    # when
    response = api_as(operator).post(IMPORT, {"content": content, "dry_run": True}, format="json")
    # then
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["row"], e["problem"]) for e in errors] == [(1, "outside_jurisdiction")]
    assert "岐山" not in errors[0]["reason"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.TOWN_OFFICIAL, Role.SYSADMIN, Role.AUDITOR, Role.COUNTY_LEADER]
)
def test_import_is_refused_to_a_role_that_cannot_manage_regions(tree, user_factory, api_as, role):
    # given
    region = tree.towns[0] if role == Role.TOWN_OFFICIAL else tree.county
    user = user_factory(role, region)
    content = {"type": "FeatureCollection", "features": []}
    # when
    response = api_as(user).post(IMPORT, {"content": content}, format="json")
    # then
    assert response.status_code == 403
    refused = AuditEntry.objects.filter(actor=user, outcome=AuditEntry.Outcome.DENIED)
    assert refused.exists()


@pytest.mark.django_db
def test_import_refuses_anonymous_callers(tree, api_client):
    response = api_client.post(IMPORT, {"content": {}}, format="json")
    assert response.status_code in (401, 403)


@pytest.mark.django_db
def test_schema_documents_both_endpoints(api_client):
    # when
    response = api_client.get("/api/schema/", {"format": "json"})
    # then
    paths = response.json()["paths"]
    assert "get" in paths["/api/v1/regions/export/"]
    post = paths["/api/v1/regions/import/"]["post"]
    assert set(post["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    assert {"200", "400"} <= set(post["responses"])
    export_ok = paths["/api/v1/regions/export/"]["get"]["responses"]["200"]["content"]
    assert set(export_ok) == {"application/geo+json", "text/csv"}
