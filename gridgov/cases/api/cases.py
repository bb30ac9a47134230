"""Cases: list and report, one case, its transitions and timeline, the classification."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.accounts.selectors import active_user_named
from gridgov.cases import errors, selectors
from gridgov.cases.api.schema import BAD_INPUT, CONFLICT, FORBIDDEN, KEY_REUSED, NOT_FOUND
from gridgov.cases.caller import CallerSearch
from gridgov.cases.selectors.listing import Order, case_list_page
from gridgov.cases.serializers import (
    CallerSearchInput,
    CallerSearchOutput,
    CaseDetailOutput,
    CaseListFilter,
    CasePageOutput,
    CaseReportInput,
    CategoryOutput,
    TimelineOutput,
    TransitionInput,
    case_list_item,
    case_list_query,
)
from gridgov.cases.services import case_merge, case_report, case_transition
from gridgov.cases.states import Action
from gridgov.core.access import Perm
from gridgov.core.clientaddress import client_address
from gridgov.core.errors import NotFound, ValidationFailed
from gridgov.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from gridgov.core.renderers import FastJSONRenderer
from gridgov.core.scoping import require_permission


class CaseListApi(APIView):
    # DRF's default renderers (settings name none), JSON written by orjson: the list's rows hold
    # strings, integers, booleans and None only (case_list_item), written as DRF would write them.
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]

    @extend_schema(
        operation_id="v1_cases_list",
        summary="The cases in your jurisdiction",
        description=(
            "Newest first, or with `order=deadline` the work-queue order (soonest deadline "
            "first; only cases being worked). Keyset-paged: follow `next`."
        ),
        parameters=[CaseListFilter],
        responses={200: CasePageOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        query = case_list_query(request.query_params)
        rows, next_cursor = case_list_page(
            actor=actor,
            filters=selectors.CaseFilters(
                state=query.get("state"),
                open_only=query["open"],
                overdue_only=query["overdue"],
                escalated_only=query["escalated"],
                category=query.get("category"),
                level=query.get("level"),
                handling_code=query.get("handling_code"),
                assignee_id=actor.pk if query.get("assignee") == "me" else query.get("assignee_id"),
                reporter_id=query.get("reporter_id"),
                handled_only=query["handled"],
                region_code=query.get("region"),
                q=query.get("q"),
                channel=query.get("channel"),
                phone_hash=query.get("caller"),
                reported_from=query.get("reported_from"),
                reported_before=query.get("reported_before"),
                rated=query["rated"],
            ),
            order=Order(query["order"]),
            cursor=query.get("cursor"),
            size=query["page_size"],
        )
        next_url = (
            replace_query_param(request.build_absolute_uri(), "cursor", next_cursor)
            if next_cursor
            else None
        )
        now, zone = timezone.now(), timezone.get_current_timezone()
        results = [case_list_item(row, now=now, zone=zone) for row in rows]
        return Response({"results": results, "next": next_url})

    @extend_schema(
        summary="Report a case",
        description="JSON, or multipart with `photos`. Give `lat`/`lng`, or `region_code` and "
        "`address`. The reporter's name and phone are kept encrypted and shown masked.",
        request={
            "application/json": CaseReportInput,
            "multipart/form-data": CaseReportInput,
        },
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: CaseDetailOutput, 400: BAD_INPUT, 403: FORBIDDEN, 422: KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        data = CaseReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_report(
            actor=actor, data=data.to_case_input(), client_address=client_address(request)
        )
        # The service's case is answered as is: a reporter may hold cases.report without
        # cases.view (volunteers), so reading it back through the selector would refuse them.
        return Response(
            CaseDetailOutput(case, context={"actor": actor}).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("cases-api:case-detail", args=[case.number])},
        )


class CaseDetailApi(APIView):
    @extend_schema(
        summary="One case, with the actions you may take now",
        responses={200: CaseDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, number: str) -> Response:
        actor = actor_from(request)
        case = selectors.case_get(actor=actor, number=number)
        return Response(CaseDetailOutput(case, context={"actor": actor}).data)


def _handler_named(username: str) -> Any:
    user = active_user_named(username=username)
    if user is None:
        # The same words as for a user who exists but may not handle it: usernames are not probed.
        raise ValidationFailed.on("assignee", errors.ASSIGNEE_CANNOT_HANDLE)
    return user


def _merge_target(actor: Any, number: str) -> Any:
    try:
        return selectors.case_get(actor=actor, number=number)
    except NotFound as error:
        raise ValidationFailed.on("into", errors.MERGE_TARGET_NOT_FOUND, number=number) from error


class CaseTransitionApi(APIView):
    @extend_schema(
        summary="Move a case through its states",
        description=(
            "`action` with a `note`, plus what the action needs: `assignee` (a username) for "
            "dispatch; `transfer_kind` (department or court) and `transfer_to` for transfer; "
            "`into` (a case number) for merge. A move the state table does not allow answers "
            "409 with the reason."
        ),
        request=TransitionInput,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            200: CaseDetailOutput,
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
            422: KEY_REUSED,
        },
    )
    @idempotent
    def post(self, request: Request, number: str) -> Response:
        actor = actor_from(request)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        move = data.validated_data
        case = selectors.case_get(actor=actor, number=number)
        if move["action"] == Action.MERGE:
            case = case_merge(
                actor=actor,
                case=case,
                into=_merge_target(actor, move["into"]),
                note=move["note"],
            )
        else:
            dispatching = move["action"] == Action.DISPATCH and move.get("assignee")
            case = case_transition(
                actor=actor,
                case=case,
                action=move["action"],
                note=move["note"],
                assignee=_handler_named(move["assignee"]) if dispatching else None,
                transfer_kind=move.get("transfer_kind", ""),
                transfer_to=move["transfer_to"],
            )
        return Response(CaseDetailOutput(case, context={"actor": actor}).data)


class CaseTimelineApi(APIView):
    @extend_schema(
        summary="A case's timeline, oldest first",
        responses={200: TimelineOutput(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, number: str) -> Response:
        events = selectors.case_timeline(actor=actor_from(request), number=number)
        return Response(TimelineOutput(events, many=True).data)


class CaseCategoryListApi(APIView):
    @extend_schema(
        summary="The two-level case classification, with its SLA defaults",
        responses={200: CategoryOutput(many=True)},
    )
    def get(self, request: Request) -> Response:
        actor_from(request)
        categories = list(selectors.category_list())
        children: dict[int, list[Any]] = defaultdict(list)
        for category in categories:
            if category.parent_id is not None:
                children[category.parent_id].append(category)
        top = [category for category in categories if category.parent_id is None]
        return Response(CategoryOutput(top, many=True, context={"children": children}).data)


class CallerSearchApi(APIView):
    @extend_schema(
        operation_id="v1_cases_caller_search",
        summary="Look for a reporter's cases by their phone",
        description=(
            "The phone goes in the body, never in an address: the answer is a signed `caller` "
            "token to give the case list (`GET /api/v1/cases/?caller=`), and the phone masked."
        ),
        request=CallerSearchInput,
        responses={200: CallerSearchOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        require_permission(actor_from(request), Perm.CASES_VIEW)
        data = CallerSearchInput(data=request.data)
        data.is_valid(raise_exception=True)
        search = CallerSearch.for_phone(data.validated_data["phone"])
        token = search.token()
        cases = f"{reverse('cases-api:case-list')}?{urlencode({'caller': token})}"
        return Response({"caller": token, "masked": search.masked, "cases": cases})
