"""GET endpoints: services, service definitions, requests with the specification's filters, one
request, tokens; unknown ids and a wrong jurisdiction_id answer 404 in the specification's format;
no GET shows personal data."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gridgov.cases.models import Case, Category
from gridgov.cases.services import CaseInput, case_merge, case_report, case_transition
from gridgov.core.access import Role
from gridgov.open311 import selectors
from gridgov.open311.tests.conftest import BASE


def get(client: Client, path: str, **params: Any) -> Any:
    return client.get(f"{BASE}{path}", params)


def numbers(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [request["service_request_id"] for request in json.loads(response.content)]


def created(response: Any) -> str:
    assert response.status_code == 200, response.content
    return json.loads(response.content)[0]["service_request_id"]


def error_of(response: Any, status: int) -> str:
    assert response.status_code == status, response.content
    (error,) = json.loads(response.content)
    assert error["code"] == status
    return error["description"]


@pytest.mark.django_db
def test_services_are_the_active_leaf_categories_grouped_by_parent(client, tree):
    # given
    Category.objects.filter(code="dispute-medical").update(is_active=False)
    # when
    data = json.loads(get(client, "services.json").content)
    # then
    codes = [service["service_code"] for service in data]
    expected = [
        category.code
        for category in Category.objects.filter(is_active=True).order_by("sort_order", "code")
        if not category.children.filter(is_active=True).exists()
    ]
    assert codes == expected
    assert "dispute" not in codes
    assert "dispute-medical" not in codes
    by_code = {service["service_code"]: service for service in data}
    assert by_code["dispute-neighbour"]["group"] == "矛盾纠纷"
    assert by_code["dispute-neighbour"]["service_name"] == "邻里纠纷"
    assert by_code["other"]["group"] == "其他"
    assert "Neighbour dispute" in by_code["dispute-neighbour"]["keywords"]


@pytest.mark.django_db
def test_services_speak_english_when_asked(client, tree):
    # when
    response = client.get(f"{BASE}services.json", HTTP_ACCEPT_LANGUAGE="en")
    # then
    by_code = {service["service_code"]: service for service in json.loads(response.content)}
    assert by_code["dispute-neighbour"]["service_name"] == "Neighbour dispute"
    assert by_code["dispute-neighbour"]["group"] == "Disputes"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["no-such-service", "dispute"])
def test_unknown_or_non_leaf_service_definition_is_404(client, tree, code):
    # when
    response = get(client, f"services/{code}.json")
    # then
    assert code in error_of(response, 404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "services.json",
        "services/infrastructure-road.json",
        "requests.json",
        "requests/610324-20260101-000001.json",
        "tokens/abc.json",
    ],
)
def test_wrong_jurisdiction_is_404_in_the_spec_format(client, tree, path):
    # when
    response = get(client, path, jurisdiction_id="sfgov.org")
    # then
    assert "sfgov.org" in error_of(response, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("jurisdiction_id", ["610324", "testserver", "", "TESTSERVER"])
def test_own_jurisdiction_ids_are_accepted(client, tree, jurisdiction_id):
    # when
    response = get(client, "services.json", jurisdiction_id=jurisdiction_id)
    # then
    assert response.status_code == 200


@pytest.mark.django_db
def test_configured_domain_like_jurisdiction_id_is_accepted(client, tree, settings):
    # given
    settings.GRIDGOV_OPEN311_JURISDICTION_ID = "fufeng.gov.cn"
    # when
    response = get(client, "services.xml", jurisdiction_id="fufeng.gov.cn")
    # then
    assert response.status_code == 200


@pytest.mark.django_db
def test_wrong_jurisdiction_in_xml_is_the_spec_error_element(client, tree):
    # when
    response = get(client, "requests.xml", jurisdiction_id="sfgov.org")
    # then
    assert response.status_code == 404
    assert b"<errors><error><code>404</code><description>" in response.content


@pytest.mark.django_db
def test_requests_default_to_the_last_90_days(client, tree, post_request):
    # given
    recent = created(post_request())
    old = created(post_request())
    Case.objects.filter(number=old).update(created_at=timezone.now() - timedelta(days=91))
    # when
    listed = numbers(get(client, "requests.json"))
    # then
    assert listed == [recent]


@pytest.mark.django_db
def test_requests_between_dates_include_older_ones(client, tree, post_request):
    # given
    recent = created(post_request())
    old = created(post_request())
    Case.objects.filter(number=old).update(created_at=timezone.now() - timedelta(days=100))
    start = (timezone.now() - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
    # when
    between = numbers(get(client, "requests.json", start_date=start, end_date=end))
    from_start = numbers(get(client, "requests.json", start_date=start))
    # then
    assert between == [old]
    assert from_start == [old]  # start_date alone spans 90 days from it
    assert recent not in between


@pytest.mark.django_db
def test_an_offset_sent_unencoded_in_the_query_string_is_read(client, tree, post_request):
    # given
    number = created(post_request())
    day = timezone.localdate().isoformat()
    # when: "+08:00" in a raw query string decodes to " 08:00"
    response = client.get(
        f"{BASE}requests.json?start_date={day}T00:00:00+08:00&end_date={day}T23:59:59+08:00"
    )
    # then
    assert numbers(response) == [number]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2010-13-45T00:00:00Z"}, "end_date"),
        ({"start_date": "2010-03-01T00:00:00Z", "end_date": "2010-01-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2010-01-01T00:00:00Z", "end_date": "2010-06-01T00:00:00Z"}, "90"),
        ({"status": "pending"}, "pending"),
    ],
)
def test_bad_filters_are_400_in_the_spec_format(client, tree, params, mentions):
    # when
    response = get(client, "requests.json", **params)
    # then
    assert mentions in error_of(response, 400)


@pytest.mark.django_db
def test_status_and_service_code_filters(client, tree, user_factory, post_request):
    # given
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    light = created(post_request(service_code="infrastructure-streetlight"))
    waste = created(post_request(service_code="environment-waste"))
    road = created(post_request(service_code="infrastructure-road"))
    case_transition(
        actor=operator, case=Case.objects.get(number=road), action="reject", note="不属于受理范围"
    )
    # when
    open_ones = numbers(get(client, "requests.json", status="open"))
    closed_ones = numbers(get(client, "requests.json", status="closed"))
    both = numbers(get(client, "requests.json", status="open,closed"))
    by_code = numbers(
        get(client, "requests.json", service_code="infrastructure-streetlight,environment-waste")
    )
    # then
    assert sorted(open_ones) == sorted([light, waste])
    assert closed_ones == [road]
    assert sorted(both) == sorted([light, waste, road])
    assert sorted(by_code) == sorted([light, waste])


@pytest.mark.django_db
def test_service_request_ids_override_every_other_filter(client, tree, post_request):
    # given
    recent = created(post_request())
    old = created(post_request())
    created(post_request())
    Case.objects.filter(number=old).update(created_at=timezone.now() - timedelta(days=300))
    # when
    listed = numbers(
        get(client, "requests.json", service_request_id=f"{old},{recent}", status="closed")
    )
    # then
    assert sorted(listed) == sorted([old, recent])


@pytest.mark.django_db
def test_requests_are_capped_newest_first(client, tree, post_request, monkeypatch):
    # given
    monkeypatch.setattr(selectors, "MAX_RESULTS", 2)
    _first, second, third = (created(post_request()) for _ in range(3))
    # when
    listed = numbers(get(client, "requests.json"))
    # then
    assert listed == [third, second]


@pytest.mark.django_db
def test_requests_of_another_county_are_not_listed(client, tree, post_request):
    # given: a resident's report in the neighbouring county (same server, other jurisdiction)
    ours = created(post_request())
    theirs = case_report(
        actor=None,
        data=CaseInput(
            category_code="infrastructure-road",
            description="路面塌陷",
            channel="resident_web",
            latitude=34.5,
            longitude=106.5,
        ),
    )
    # when
    listed = numbers(get(client, "requests.json"))
    detail = get(client, f"requests/{theirs.number}.json")
    token = get(client, f"tokens/{theirs.tracking_token}.json")
    # then
    assert listed == [ours]
    error_of(detail, 404)
    error_of(token, 404)


@pytest.mark.django_db
def test_unknown_request_and_token_are_404(client, tree):
    # when
    request = get(client, "requests/610324-20260101-999999.xml")
    token = get(client, "tokens/no-such-token.json")
    # then
    assert request.status_code == 404
    assert b"<code>404</code>" in request.content
    assert "no-such-token" in error_of(token, 404)


@pytest.mark.django_db
def test_status_notes_and_agency_follow_the_case(client, tree, user_factory, post_request):
    # given
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    kept = created(post_request())
    duplicate = created(post_request())
    transferred = created(post_request(service_code="environment-pollution"))
    case_merge(
        actor=operator,
        case=Case.objects.get(number=duplicate),
        into=Case.objects.get(number=kept),
    )
    moved = case_transition(
        actor=operator, case=Case.objects.get(number=transferred), action="accept"
    )
    case_transition(
        actor=operator,
        case=moved,
        action="transfer",
        note="移交环保部门",
        transfer_kind="department",
        transfer_to="县生态环境局",
    )
    # when
    by_number = {
        request["service_request_id"]: request
        for request in json.loads(get(client, "requests.json").content)
    }
    # then
    assert by_number[duplicate]["status"] == "closed"
    assert kept in by_number[duplicate]["status_notes"]
    assert by_number[kept]["status"] == "open"
    assert by_number[kept]["agency_responsible"] == tree.names[tree.villages[0]]
    assert by_number[kept]["expected_datetime"] is not None
    assert by_number[transferred]["status"] == "open"
    assert by_number[transferred]["agency_responsible"] == "县生态环境局"


PERSONAL = ["张三", "三", "13812345678", "138****5678", "zhang@example.com", "dev-777", "acct-42"]


@pytest.mark.django_db
def test_no_get_shows_personal_data(client, tree, post_request):
    # given: a report that carries a name, a phone, an email, a device and an account
    response = post_request(
        first_name="三",
        last_name="张",
        phone="13812345678",
        email="zhang@example.com",
        device_id="dev-777",
        account_id="acct-42",
        description="路灯坏了，有事打我电话 138 1234 5678",
        address_string="城关街道第1村 村委会门口",
    )
    number = created(response)
    case = Case.objects.get(number=number)
    # when
    bodies = [
        get(client, path).content.decode()
        for path in [
            f"requests/{number}.json",
            f"requests/{number}.xml",
            "requests.json",
            "requests.xml",
            f"tokens/{case.tracking_token}.json",
            f"tokens/{case.tracking_token}.xml",
        ]
    ]
    # then: the intake kept the contact (encrypted), and no GET shows any of it
    assert case.reporter_name.reveal() == "张三"
    assert case.reporter_phone.reveal() == "+8613812345678"
    assert "zhang@example.com" not in json.dumps(
        list(Case.objects.values("description", "address", "title"))
    )
    for body in bodies:
        for value in PERSONAL:
            assert value not in body, (value, body)
        assert "1234 5678" not in body
    detail = json.loads(bodies[0])[0]
    assert detail["description"].startswith("路灯坏了")
    assert detail["lat"] == pytest.approx(34.5)  # the grid's centroid, not the point


@pytest.mark.django_db
def test_other_methods_are_refused_in_the_spec_format(client, tree):
    # when
    response = client.delete(f"{BASE}services.json")
    # then
    assert "DELETE" in error_of(response, 400)


@pytest.mark.django_db
def test_anything_else_under_the_endpoint_is_404_in_the_spec_format(client, tree):
    # when
    as_json = client.get(f"{BASE}requests.html")
    as_xml = client.get(f"{BASE}no/such/thing")
    # then
    assert as_json.status_code == 404
    assert as_json["Content-Type"].startswith("text/xml")
    assert as_xml.status_code == 404
    assert b"<errors><error><code>404</code>" in as_xml.content
    assert json.loads(client.get(f"{BASE}services.csv.json").content)[0]["code"] == 404


@pytest.mark.django_db
def test_the_endpoint_root_serves_the_discovery_document(client, tree):
    # when
    response = client.get(BASE)
    # then
    assert response.status_code == 200
    assert b"<discovery><changeset>" in response.content


@pytest.mark.django_db
def test_listing_reads_a_fixed_number_of_queries_whatever_the_count(
    client, tree, post_request, django_assert_max_num_queries
):
    # given
    created(post_request())
    with django_assert_max_num_queries(50) as one:
        numbers(get(client, "requests.json"))
    for _ in range(5):
        created(post_request())
    # when
    with django_assert_max_num_queries(50) as six:
        listed = numbers(get(client, "requests.json"))
    # then
    assert len(listed) == 6
    assert len(six.captured_queries) == len(one.captured_queries) <= 4
