"""The assessment API: the month's scores with their components and the links to the records
behind each; recomputing a month on demand."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.assessment import selectors
from gridgov.assessment.serializers import (
    OrderInput,
    OrderListFilter,
    OrderOutput,
    OrderRespondInput,
    OrderReviewInput,
    PackageInput,
    PackageListFilter,
    PackageOutput,
    RecomputeInput,
    RecomputeOutput,
    ScoreListFilter,
    ScoreOutput,
)
from gridgov.assessment.services.package import PackageInput as PackageData
from gridgov.assessment.services.package import package_assign, package_end
from gridgov.assessment.services.scoring import scores_recompute
from gridgov.assessment.services.supervision import OrderInput as OrderData
from gridgov.assessment.services.supervision import order_issue, order_step
from gridgov.assessment.states import Step
from gridgov.core.access import Perm
from gridgov.core.api_responses import BAD_INPUT, FORBIDDEN, NOT_FOUND, refusal
from gridgov.core.scoping import require_permission

CONFLICT = refusal("Not in a state that allows this.")
# A county's month: ~1,300 grid workers, ~130 villages and 8 towns fit one answer.
MAX_SCORES = 3000


class ScoreListApi(APIView):
    @extend_schema(
        operation_id="v1_assessment_scores",
        summary="The month's scores of your jurisdiction, each with its components, weights "
        "and the links to the records behind them",
        parameters=[ScoreListFilter],
        responses={200: ScoreOutput(many=True), 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.ASSESSMENT_VIEW)
        params = ScoreListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        month = data.get("month") or timezone.localdate().replace(day=1)
        filters = selectors.ScoreFilters(
            month=month, region_code=data.get("region", ""), kind=data.get("kind", "")
        )
        scores = selectors.score_list(actor=actor, filters=filters)[:MAX_SCORES]
        return Response(ScoreOutput(scores, many=True, context={"request": request}).data)


class ScoreDetailApi(APIView):
    @extend_schema(
        operation_id="v1_assessment_score",
        summary="One score with its components and the links to the records behind them",
        responses={200: ScoreOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, score_id: int) -> Response:
        actor = actor_from(request)
        score = selectors.score_get(actor=actor, score_id=score_id)
        return Response(ScoreOutput(score, context={"request": request}).data)


class ScoreRecomputeApi(APIView):
    @extend_schema(
        operation_id="v1_assessment_recompute",
        summary="Recompute a month's scores from the records now",
        request=RecomputeInput,
        responses={200: RecomputeOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.ASSESSMENT_VIEW)
        params = RecomputeInput(data=request.data)
        params.is_valid(raise_exception=True)
        month = params.validated_data["month"]
        count = scores_recompute(actor=actor, month=month)
        return Response({"month": month.strftime("%Y-%m"), "scores": count})


# Supervision orders
MAX_ORDERS = 500


def _order_output(order: Any, many: bool = False) -> Any:
    return OrderOutput(order, many=many, context={"today": timezone.localdate()}).data


class OrderListApi(APIView):
    @extend_schema(
        operation_id="v1_supervision_orders",
        summary="Supervision orders waiting on you (to answer, or to review), issued by you, or "
        "all of your jurisdiction",
        parameters=[OrderListFilter],
        responses={200: OrderOutput(many=True), 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.SUPERVISION_RESPOND)
        params = OrderListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        orders = selectors.order_list(actor=actor, which=params.validated_data["list"])
        return Response(_order_output(orders[:MAX_ORDERS], many=True))

    @extend_schema(
        operation_id="v1_supervision_orders_issue",
        summary="Issue a supervision order against a late case, a village or town, or a grid "
        "worker of your jurisdiction",
        request=OrderInput,
        responses={201: OrderOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.SUPERVISION_ISSUE)
        params = OrderInput(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        order = order_issue(
            actor=actor,
            data=OrderData(
                target=data["target"],
                request=data["request"],
                deadline_on=data["deadline_on"],
                case_number=data["case_number"],
                unit=data["unit"],
                worker=data["worker"],
            ),
        )
        return Response(_order_output(order), status=201)


class OrderDetailApi(APIView):
    @extend_schema(
        operation_id="v1_supervision_order",
        summary="One supervision order",
        responses={200: OrderOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, number: str) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.SUPERVISION_RESPOND)
        return Response(_order_output(selectors.order_get(actor=actor, number=number)))


class OrderRespondApi(APIView):
    @extend_schema(
        operation_id="v1_supervision_order_respond",
        summary="Respond to a supervision order addressed to you or your unit",
        request=OrderRespondInput,
        responses={200: OrderOutput, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, number: str) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.SUPERVISION_RESPOND)
        order = selectors.order_get(actor=actor, number=number)
        params = OrderRespondInput(data=request.data)
        params.is_valid(raise_exception=True)
        order = order_step(
            actor=actor, order=order, step=Step.RESPOND, note=params.validated_data["response"]
        )
        return Response(_order_output(order))


class OrderReviewApi(APIView):
    @extend_schema(
        operation_id="v1_supervision_order_review",
        summary="Close an order you issued on its response, or send the response back",
        request=OrderReviewInput,
        responses={200: OrderOutput, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, number: str) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.SUPERVISION_RESPOND)
        order = selectors.order_get(actor=actor, number=number)
        params = OrderReviewInput(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        step = Step.CLOSE if data["decision"] == "close" else Step.RETURN
        order = order_step(actor=actor, order=order, step=step, note=data["note"])
        return Response(_order_output(order))


class OrderWithdrawApi(APIView):
    @extend_schema(
        operation_id="v1_supervision_order_withdraw",
        summary="Withdraw an order you issued (until it is closed)",
        request=None,
        responses={200: OrderOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, number: str) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.SUPERVISION_RESPOND)
        order = selectors.order_get(actor=actor, number=number)
        order = order_step(actor=actor, order=order, step=Step.WITHDRAW)
        return Response(_order_output(order))


# Package responsibility


class PackageListApi(APIView):
    @extend_schema(
        operation_id="v1_packages",
        summary="The package responsibilities of your jurisdiction (who answers for what)",
        parameters=[PackageListFilter],
        responses={200: PackageOutput(many=True), 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.PACKAGE_ASSIGN)
        params = PackageListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.package_list(
            actor=actor, region_code=params.validated_data.get("region", "")
        )
        return Response(PackageOutput(rows[:MAX_ORDERS], many=True).data)

    @extend_schema(
        operation_id="v1_packages_assign",
        summary="Name an official who answers for a place, a case or a risk of your jurisdiction",
        request=PackageInput,
        responses={201: PackageOutput, 400: BAD_INPUT, 403: FORBIDDEN, 409: CONFLICT},
    )
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.PACKAGE_ASSIGN)
        params = PackageInput(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        row = package_assign(
            actor=actor,
            data=PackageData(
                official=data["official"],
                kind=data["kind"],
                region_code=data["region_code"],
                case_number=data["case_number"],
                risk_id=data["risk_id"],
                note=data["note"],
            ),
        )
        return Response(PackageOutput(row).data, status=201)


class PackageEndApi(APIView):
    @extend_schema(
        operation_id="v1_packages_end",
        summary="End a package responsibility (the record stays)",
        request=None,
        responses={200: PackageOutput, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def post(self, request: Request, package_id: int) -> Response:
        actor = actor_from(request)
        row = selectors.package_get(actor=actor, package_id=package_id)
        return Response(PackageOutput(package_end(actor=actor, package=row)).data)


class MyPackageApi(APIView):
    @extend_schema(
        operation_id="v1_packages_mine",
        summary="What you answer for now: places, cases and risks",
        responses={200: PackageOutput(many=True), 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.ASSESSMENT_VIEW)
        return Response(PackageOutput(selectors.my_package(actor=actor), many=True).data)
