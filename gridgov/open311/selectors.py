"""Reads behind the Open311 endpoints: the services (leaf categories), the public requests of the
jurisdiction, and API clients by key.

Open311 reads are public by design (no login), and a key changes nothing about them: they are
bounded by the jurisdiction (the configured county) and by what may be published at all, a case
reported through a public channel, in a public category, whose reporter agreed to publication
(`published_requests`). Any other case answers as a missing one. How much of a published case a
reader sees (redacted, placed to its grid) is decided in `representations`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gridgov.cases.models import PUBLIC_CHANNELS, Case, Category
from gridgov.cases.selectors import case_by_tracking_token
from gridgov.cases.states import OPEN_STATES, TERMINAL_STATES
from gridgov.core.errors import NotFound, PermissionDenied, RefusalTarget
from gridgov.core.pii import search_hash
from gridgov.open311 import errors
from gridgov.open311.models import Open311Client
from gridgov.open311.params import MAX_RESULTS, STATUS_CLOSED, STATUS_OPEN, RequestQuery

STATES_BY_STATUS: dict[str, list[str]] = {
    STATUS_OPEN: sorted(state.value for state in OPEN_STATES),
    STATUS_CLOSED: sorted(state.value for state in TERMINAL_STATES),
}


def service_list() -> QuerySet[Category]:
    """The categories a report can be filed under: active ones without active sub-categories."""
    return (
        Category.objects.filter(is_active=True)
        .filter(Q(parent__isnull=True) | Q(parent__is_active=True))
        .exclude(children__is_active=True)
        .select_related("parent")
        .order_by("sort_order", "code")
    )


def service_get(*, service_code: str) -> Category:
    category = service_list().filter(code=service_code).first()
    if category is None:
        raise NotFound(errors.SERVICE_NOT_FOUND, code=service_code)
    return category


def published_requests(*, county_code: str) -> QuerySet[Case]:
    """The cases of the county that may be published: reported by a resident through a public
    channel, in a public category, with the reporter's consent."""
    return Case.objects.filter(
        county_code=county_code,
        channel__in=sorted(PUBLIC_CHANNELS),
        category__public=True,
        publication_consent=True,
    )


def _requests(county_code: str) -> QuerySet[Case]:
    return published_requests(county_code=county_code).select_related(
        "category", "category__parent", "merged_into__category", "open311_request"
    )


def request_list(*, county_code: str, query: RequestQuery) -> list[Case]:
    """Newest first, at most MAX_RESULTS; `query.ids` overrides every other filter."""
    queryset = _requests(county_code)
    if query.ids:
        queryset = queryset.filter(number__in=query.ids)
    else:
        if query.start is not None:
            queryset = queryset.filter(created_at__gte=query.start)
        if query.end is not None:
            queryset = queryset.filter(created_at__lte=query.end)
        if query.service_codes:
            queryset = queryset.filter(category__code__in=query.service_codes)
        if query.statuses:
            states = [state for status in query.statuses for state in STATES_BY_STATUS[status]]
            queryset = queryset.filter(state__in=states)
    return list(queryset.order_by("-created_at", "-id")[:MAX_RESULTS])


def request_get(*, county_code: str, service_request_id: str) -> Case:
    case = _requests(county_code).filter(number=service_request_id).first()
    if case is None:
        raise NotFound(errors.REQUEST_NOT_FOUND, id=service_request_id)
    return case


def request_by_token(*, county_code: str, token: str) -> Case:
    try:
        case = case_by_tracking_token(token=token)
    except NotFound as error:
        raise NotFound(errors.TOKEN_NOT_FOUND, token=token) from error
    if case.county_code != county_code:
        raise NotFound(errors.TOKEN_NOT_FOUND, token=token)
    return case


# A refused key is audited as a refused request creation.
_REQUEST_CREATE = RefusalTarget(object_type="open311", object_id="", operation="request_create")


def client_by_key(*, raw_key: str) -> Open311Client:
    """The active client holding this key; PermissionDenied for a missing, unknown or inactive one."""
    if not raw_key.strip():
        raise PermissionDenied(errors.KEY_MISSING, target=_REQUEST_CREATE)
    client = Open311Client.objects.filter(key_hash=search_hash(raw_key), is_active=True).first()
    if client is None:
        raise PermissionDenied(errors.KEY_INVALID, target=_REQUEST_CREATE)
    return client
