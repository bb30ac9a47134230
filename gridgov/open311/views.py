"""The GeoReport v2 endpoints: parse, call one selector or service, render as XML or JSON.

Plain Django views, exempt from CSRF (a machine API: writes are authorised by api_key, not by a
session). Every failure answers in the specification's error format with its HTTP status:
400 bad or missing parameter, 403 missing or invalid api_key, 404 unknown resource or
jurisdiction_id.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from gridgov.core.clientaddress import client_address
from gridgov.core.errors import NotFound, PermissionDenied, ValidationFailed
from gridgov.core.refusals import audit_refusal
from gridgov.open311 import selectors
from gridgov.open311.formats import JSON, XML, Open311Error, render, render_error
from gridgov.open311.params import optional, parse_new_request, parse_request_query
from gridgov.open311.representations import (
    created_payload,
    discovery_payload,
    request_payloads,
    service_definition_payload,
    service_payload,
)
from gridgov.open311.services import open311_request_create

View = Callable[..., HttpResponse]

# Names of the intake's fields as the Open311 parameters a client sent.
PARAMETER_OF_FIELD = {
    "category": "service_code",
    "description": "description",
    "reporter_phone": "phone",
    "reporter_name": "first_name/last_name",
    "location": "lat/long",
    "region_code": "address_id",
    "address": "address_string",
    "photos": "media",
}


def _params(request: HttpRequest) -> QueryDict:
    return request.POST if request.method == "POST" else request.GET


def accepted_jurisdiction_ids(request: HttpRequest) -> set[str]:
    """This endpoint serves one jurisdiction, the configured county: its code, the domain-like id
    configured for it, or the host name this API is served under (without www)."""
    host = request.get_host().rsplit(":", 1)[0].lower().removeprefix("www.")
    configured = getattr(settings, "GRIDGOV_OPEN311_JURISDICTION_ID", "") or ""
    return {settings.GRIDGOV_COUNTY_CODE, host, configured.lower()} - {""}


def _check_jurisdiction(request: HttpRequest) -> str:
    given = optional(_params(request), "jurisdiction_id") or optional(
        request.GET, "jurisdiction_id"
    )
    if given and given.lower() not in accepted_jurisdiction_ids(request):
        raise Open311Error(404, _("jurisdiction_id %(id)s was not found.") % {"id": given})
    return str(settings.GRIDGOV_COUNTY_CODE)


def open311_endpoint(*methods: str) -> Callable[[View], View]:
    """Method check, jurisdiction check, and errors rendered in the requested format."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            # A client application states its user's language in Accept-Language (the web
            # pages ignore it on purpose; see gridgov.web.middleware).
            with translation.override(translation.get_language_from_request(request)):
                try:
                    if request.method not in allowed:
                        raise Open311Error(
                            400,
                            _("This resource does not accept %(method)s.")
                            % {"method": request.method},
                        )
                    county_code = _check_jurisdiction(request)
                    response = view(request, fmt, county_code=county_code, **kwargs)
                except Open311Error as error:
                    response = render_error(fmt, error)
                response["Content-Language"] = translation.get_language()
            return response

        return wrapper

    return decorate


@open311_endpoint("GET")
def discovery(request: HttpRequest, fmt: str, *, county_code: str) -> HttpResponse:
    return render(fmt, discovery_payload(request), root_tag="discovery")


@open311_endpoint("GET")
def services(request: HttpRequest, fmt: str, *, county_code: str) -> HttpResponse:
    payload = [service_payload(category) for category in selectors.service_list()]
    return render(fmt, payload, root_tag="services", item_tag="service")


@open311_endpoint("GET")
def service_definition(
    request: HttpRequest, fmt: str, *, county_code: str, service_code: str
) -> HttpResponse:
    try:
        category = selectors.service_get(service_code=service_code)
    except NotFound as error:
        raise Open311Error(404, error.message) from error
    return render(fmt, service_definition_payload(category), root_tag="service_definition")


@open311_endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str, *, county_code: str) -> HttpResponse:
    if request.method == "POST":
        return _create_request(request, fmt, county_code)
    query = parse_request_query(request.GET, now=timezone.now())
    cases = selectors.request_list(county_code=county_code, query=query)
    return render(fmt, request_payloads(cases), root_tag="service_requests", item_tag="request")


def _client(request: HttpRequest) -> Any:
    try:
        return selectors.client_by_key(raw_key=optional(request.POST, "api_key"))
    except PermissionDenied as error:
        audit_refusal(request, error=error)
        raise Open311Error(
            403, _("Missing or invalid api_key: the request cannot be created.")
        ) from error


def _create_request(request: HttpRequest, fmt: str, county_code: str) -> HttpResponse:
    client = _client(request)
    data = parse_new_request(request.POST, request.FILES.getlist("media"))
    try:
        category = selectors.service_get(service_code=data.service_code)
    except NotFound as error:
        raise Open311Error(404, error.message) from error
    try:
        case = open311_request_create(
            client=client,
            category=category,
            data=data,
            county_code=county_code,
            client_address=client_address(request),
        )
    except ValidationFailed as error:
        raise Open311Error(
            400,
            *[
                f"{PARAMETER_OF_FIELD.get(field, field)}: {message}"
                for field, messages in error.errors.items()
                for message in messages
            ],
        ) from error
    payload = created_payload(case, account_id=data.account_id)
    return render(fmt, payload, root_tag="service_requests", item_tag="request")


@open311_endpoint("GET")
def request_detail(
    request: HttpRequest, fmt: str, *, county_code: str, service_request_id: str
) -> HttpResponse:
    try:
        case = selectors.request_get(county_code=county_code, service_request_id=service_request_id)
    except NotFound as error:
        raise Open311Error(404, error.message) from error
    return render(fmt, request_payloads([case]), root_tag="service_requests", item_tag="request")


@open311_endpoint("GET")
def token(request: HttpRequest, fmt: str, *, county_code: str, token: str) -> HttpResponse:
    try:
        case = selectors.request_by_token(county_code=county_code, token=token)
    except NotFound as error:
        raise Open311Error(404, error.message) from error
    payload = [{"service_request_id": case.number, "token": token}]
    return render(fmt, payload, root_tag="service_requests", item_tag="request")


@csrf_exempt
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Anything else under the endpoint: the specification's 404, in JSON when the path asks."""
    fmt = JSON if path.endswith(".json") else XML
    return render_error(fmt, Open311Error(404, _("There is no such Open311 resource.")))
