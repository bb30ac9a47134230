"""POST requests: a report becomes a case through the one-stop intake; a missing or bad api_key is
403, bad input 400, an unknown service_code or jurisdiction 404, each in the specification's
format and with nothing created."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gridgov.cases.models import Case, CasePhoto, HandlingLevel
from gridgov.core.models import AuditEntry
from gridgov.open311.models import Open311Client, Open311Request

# Smallest valid PNG signature; the intake checks the magic number, not the pixels.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def errors_of(response: Any, status: int) -> list[str]:
    assert response.status_code == status, response.content
    errors = json.loads(response.content)
    assert {error["code"] for error in errors} == {status}
    return [error["description"] for error in errors]


@pytest.mark.django_db
def test_a_report_with_a_point_becomes_an_open311_case_at_its_village(tree, post_request):
    # when
    response = post_request(phone="13812345678", first_name="三", last_name="张")
    # then
    assert response.status_code == 200
    (answer,) = json.loads(response.content)
    case = Case.objects.get(number=answer["service_request_id"])
    assert case.channel == "open311"
    assert case.category.code == "infrastructure-streetlight"
    assert case.region_code == tree.micro_grids[0]
    assert case.level == HandlingLevel.VILLAGE
    assert case.handling_code == tree.villages[0]
    assert case.reporter_name.reveal() == "张三"
    assert case.reporter_phone.reveal() == "+8613812345678"
    assert "24" in answer["service_notice"]
    assert answer["account_id"] is None
    submission = Open311Request.objects.get(case=case)
    assert submission.client.name == "test-app"
    assert AuditEntry.objects.filter(
        action="open311.request_create", object_id=case.number, detail__client="test-app"
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "consent"),
    [(None, False), ("false", False), ("0", False), ("true", True), ("YES", True), ("1", True)],
)
def test_publication_consent_is_an_extension_field_absent_meaning_no(
    tree, post_request, sent, consent
):
    # when
    response = post_request(publication_consent=sent)
    # then
    assert response.status_code == 200, response.content
    assert Case.objects.get().publication_consent is consent


@pytest.mark.django_db
def test_a_publication_consent_that_is_not_a_yes_or_no_is_400(tree, post_request):
    # when
    response = post_request(publication_consent="maybe")
    # then
    assert any("publication_consent" in error for error in errors_of(response, 400))
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_report_without_description_is_described_by_its_service(tree, post_request):
    # when
    response = post_request(description=None)
    # then
    assert response.status_code == 200
    assert Case.objects.get().description == "路灯故障"


@pytest.mark.django_db
def test_address_string_naming_a_village_goes_to_that_village(tree, post_request):
    # given
    village = tree.villages[1]
    # when
    response = post_request(lat=None, long=None, address_string=f"{tree.names[village]} 小学门口")
    # then
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert case.region_code == village
    assert case.handling_code == village
    assert case.latitude is None
    assert case.address.endswith("小学门口")


@pytest.mark.django_db
def test_address_string_naming_no_region_goes_to_the_county(tree, post_request):
    # when
    response = post_request(lat=None, long=None, address_string="县医院对面")
    # then
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert case.region_code == tree.county
    assert case.level == HandlingLevel.COUNTY


@pytest.mark.django_db
def test_address_id_is_a_region_code_of_the_jurisdiction(tree, post_request):
    # when
    good = post_request(lat=None, long=None, address_id=tree.grids[2])
    foreign = post_request(lat=None, long=None, address_id="610323100200")
    unknown = post_request(lat=None, long=None, address_id="999")
    # then
    assert good.status_code == 200, good.content
    case = Case.objects.get()
    assert case.region_code == tree.grids[2]
    assert case.address == tree.names[tree.grids[2]]
    assert "address_id" in errors_of(foreign, 400)[0]
    assert "address_id" in errors_of(unknown, 400)[0]
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_media_url_is_kept_and_a_media_upload_becomes_a_photo(
    tree, post_request, settings, tmp_path
):
    # given
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    # when
    response = post_request(media_url="https://img.example.org/a.jpg", media=photo)
    # then
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    assert case.open311_request.media_url == "https://img.example.org/a.jpg"
    assert CasePhoto.objects.get(case=case).content_type == "image/png"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "mentions"),
    [
        ({"service_code": None}, "service_code"),
        ({"lat": None, "long": None}, "address_string"),
        ({"long": None}, "long"),
        ({"lat": "north"}, "lat"),
        ({"lat": "95", "long": "107"}, "lat"),
        ({"long": "nan"}, "long"),
        ({"description": "长" * 4001}, "description"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"phone": "12345"}, "phone"),
        ({"first_name": "x" * 70}, "first_name"),
        ({"lat": "30.0", "long": "120.0"}, "lat/long"),  # outside every grid
        ({"lat": "34.5", "long": "106.5"}, "lat/long"),  # in a grid of another county
    ],
)
def test_bad_input_is_400_in_the_spec_format_and_creates_nothing(
    tree, post_request, fields, mentions
):
    # when
    response = post_request(**fields)
    # then
    descriptions = errors_of(response, 400)
    assert any(mentions in description for description in descriptions), descriptions
    assert not Case.objects.exists()
    assert not Open311Request.objects.exists()


@pytest.mark.django_db
def test_unknown_or_group_service_code_is_404(tree, post_request):
    # when
    unknown = post_request(service_code="potholes")
    group = post_request(service_code="dispute", fmt="xml")
    # then
    assert "potholes" in errors_of(unknown, 404)[0]
    assert group.status_code == 404
    assert b"<code>404</code>" in group.content
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_wrong_jurisdiction_is_404_and_creates_nothing(tree, post_request):
    # when
    response = post_request(jurisdiction_id="sfgov.org")
    # then
    assert "sfgov.org" in errors_of(response, 404)[0]
    assert not Case.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("api_key", [None, "", "not-a-key"])
def test_missing_or_unknown_api_key_is_403_audited(tree, post_request, api_key):
    # when
    response = post_request(api_key=api_key)
    # then
    assert "api_key" in errors_of(response, 403)[0]
    assert not Case.objects.exists()
    assert AuditEntry.objects.filter(
        action="open311.request_create", outcome=AuditEntry.Outcome.DENIED
    ).exists()


@pytest.mark.django_db
def test_inactive_client_key_is_403(tree, post_request):
    # given
    Open311Client.objects.update(is_active=False)
    # when
    response = post_request()
    # then
    errors_of(response, 403)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_bad_key_is_refused_before_bad_input(tree, post_request):
    # when
    response = post_request(api_key="wrong", service_code=None, lat=None, long=None)
    # then
    errors_of(response, 403)


@pytest.mark.django_db
def test_several_problems_are_reported_together(tree, post_request):
    # when
    response = post_request(service_code=None, lat="34.2", long=None, media_url="ftp://x")
    # then
    descriptions = errors_of(response, 400)
    assert len(descriptions) == 3
