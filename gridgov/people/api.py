"""The register's API v1: thin views over the selectors and services (masked everywhere; the full
value only through the audited reveal)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.core.access import Perm
from gridgov.core.api_responses import BAD_INPUT, FORBIDDEN, NOT_FOUND
from gridgov.core.clientaddress import client_address
from gridgov.core.jsonbody import BoundedJSONParser
from gridgov.core.scoping import require_permission
from gridgov.people import edits, errors, selectors, spreadsheets
from gridgov.people.models import Building, Household, Organisation, Resident
from gridgov.people.serializers import (
    BuildingOutput,
    BuildingPatchInput,
    HouseholdDetailOutput,
    HouseholdOutput,
    HouseholdPatchInput,
    ImportInput,
    ImportReportOutput,
    OrganisationOutput,
    OrganisationPatchInput,
    OrganisationQuery,
    PageQuery,
    PatchInput,
    ResidentItemOutput,
    ResidentPageOutput,
    ResidentPatchInput,
    ResidentQuery,
    RevealInput,
    RevealOutput,
    UnmaskedExportInput,
    page_output,
)
from gridgov.people.services import (
    export_record,
    export_unmasked_check,
    export_unmasked_record,
    resident_reveal,
)


def _next_url(request: Request, cursor: str | None) -> str | None:
    return replace_query_param(request.build_absolute_uri(), "cursor", cursor) if cursor else None


def _changes(serializer: type[PatchInput], request: Request) -> dict[str, Any]:
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _query(serializer: type[PageQuery], request: Request) -> dict[str, Any]:
    params = serializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    return dict(params.validated_data)


class ResidentListApi(APIView):
    @extend_schema(
        operation_id="v1_people_residents_list",
        summary="Search the residents of your jurisdiction",
        description=(
            "`q`: a whole ID number or mobile number (exact), the last four characters of an ID "
            "number (what a masked one shows), pinyin initials (zs for 张三), or the start of a "
            "name, a household number, words of the address. Ordered by name; keyset-paged "
            "(follow `next`). ID numbers and phones are masked."
        ),
        parameters=[ResidentQuery],
        responses={200: ResidentPageOutput, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        query = _query(ResidentQuery, request)
        residents = selectors.resident_list(
            actor=actor,
            filters=selectors.ResidentFilters(
                q=query["q"],
                region_code=query["region"],
                household_id=query.get("household"),
                focus=query["focus"],
            ),
        )
        rows, cursor = selectors.keyset_page(
            residents, key="name", cursor=query.get("cursor"), size=query["page_size"]
        )
        focus = selectors.focus_of_residents(actor=actor, residents=rows)
        items = ResidentItemOutput(rows, many=True, context={"focus": focus}).data
        return Response({"results": items, "next": _next_url(request, cursor)})


class ResidentDetailApi(APIView):
    @extend_schema(
        summary="One resident (masked)",
        description="With the focus groups you may see for them.",
        responses={200: ResidentItemOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, resident_id: int) -> Response:
        actor = actor_from(request)
        resident = selectors.resident_get(actor=actor, resident_id=resident_id)
        focus = [item.kind for item in selectors.resident_focus(actor=actor, resident=resident)]
        return Response(ResidentItemOutput(resident, context={"focus": {resident.pk: focus}}).data)

    @extend_schema(
        summary="Change a resident (audited)",
        description="Only the fields given change. A new ID number is checked again and gender and "
        "birth date follow it; they cannot be set themselves. `phone: null` removes the stored "
        "phone. Needs the register's management.",
        request=ResidentPatchInput,
        responses={200: ResidentItemOutput, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def patch(self, request: Request, resident_id: int) -> Response:
        actor = actor_from(request)
        resident = selectors.editable_get(
            actor=actor, model=Resident, pk=resident_id, not_found=errors.RESIDENT_NOT_FOUND
        )
        changes = _changes(ResidentPatchInput, request)
        resident = edits.resident_update(actor=actor, resident=resident, changes=changes)
        focus = [item.kind for item in selectors.resident_focus(actor=actor, resident=resident)]
        return Response(ResidentItemOutput(resident, context={"focus": {resident.pk: focus}}).data)


class ResidentRevealApi(APIView):
    # Not idempotent on purpose: the answer carries personal data in full, which must not be
    # stored for replays, and every full read is audited anew.
    @extend_schema(
        summary="Read a resident's ID number or phone in full (audited)",
        description="Needs the reveal permission over the resident and a reason; the reason and "
        "the field go to the audit log.",
        request=RevealInput,
        responses={200: RevealOutput, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, resident_id: int) -> Response:
        actor = actor_from(request)
        resident = selectors.resident_get(actor=actor, resident_id=resident_id)
        data = RevealInput(data=request.data)
        data.is_valid(raise_exception=True)
        value = resident_reveal(
            actor=actor,
            resident=resident,
            field=data.validated_data["field"],
            reason=data.validated_data["reason"],
            client_address=client_address(request),
        )
        body = {"id": resident.pk, "field": data.validated_data["field"], "value": value}
        return Response(RevealOutput(body).data, headers={"Cache-Control": "no-store"})


class HouseholdListApi(APIView):
    @extend_schema(
        operation_id="v1_people_households_list",
        summary="Households of your jurisdiction",
        description="`q`: a household number (exact) or words of the address. By number.",
        parameters=[PageQuery],
        responses={
            200: page_output(HouseholdOutput, "HouseholdPage"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        query = _query(PageQuery, request)
        households = selectors.household_list(
            actor=actor, q=query["q"], region_code=query["region"]
        )
        rows, cursor = selectors.keyset_page(
            households, key="number", cursor=query.get("cursor"), size=query["page_size"]
        )
        return Response(
            {"results": HouseholdOutput(rows, many=True).data, "next": _next_url(request, cursor)}
        )


class HouseholdDetailApi(APIView):
    @extend_schema(
        summary="One household and its members (masked)",
        responses={200: HouseholdDetailOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, household_id: int) -> Response:
        actor = actor_from(request)
        household = selectors.household_get(actor=actor, household_id=household_id)
        members = selectors.household_members(household=household)
        household.size = len(members)  # type: ignore[attr-defined]
        return Response(HouseholdDetailOutput(household, context={"members": members}).data)

    @extend_schema(
        summary="Change a household (audited)",
        request=HouseholdPatchInput,
        responses={200: HouseholdDetailOutput, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def patch(self, request: Request, household_id: int) -> Response:
        actor = actor_from(request)
        household = selectors.editable_get(
            actor=actor, model=Household, pk=household_id, not_found=errors.HOUSEHOLD_NOT_FOUND
        )
        changes = _changes(HouseholdPatchInput, request)
        household = edits.household_update(actor=actor, household=household, changes=changes)
        members = selectors.household_members(household=household)
        household.size = len(members)  # type: ignore[attr-defined]
        return Response(HouseholdDetailOutput(household, context={"members": members}).data)


class BuildingListApi(APIView):
    @extend_schema(
        operation_id="v1_people_buildings_list",
        summary="Buildings and houses of your jurisdiction",
        parameters=[PageQuery],
        responses={
            200: page_output(BuildingOutput, "BuildingPage"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        query = _query(PageQuery, request)
        buildings = selectors.building_list(actor=actor, q=query["q"], region_code=query["region"])
        rows, cursor = selectors.keyset_page(
            buildings, key="address", cursor=query.get("cursor"), size=query["page_size"]
        )
        return Response(
            {"results": BuildingOutput(rows, many=True).data, "next": _next_url(request, cursor)}
        )


class BuildingDetailApi(APIView):
    @extend_schema(
        summary="One building or house",
        responses={200: BuildingOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, building_id: int) -> Response:
        actor = actor_from(request)
        building = selectors.building_get(actor=actor, building_id=building_id)
        households = selectors.building_households(building=building)
        building.household_count = len(households)  # type: ignore[attr-defined]
        return Response(BuildingOutput(building).data)

    @extend_schema(
        summary="Change a building or house (audited)",
        request=BuildingPatchInput,
        responses={200: BuildingOutput, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def patch(self, request: Request, building_id: int) -> Response:
        actor = actor_from(request)
        building = selectors.editable_get(
            actor=actor, model=Building, pk=building_id, not_found=errors.BUILDING_NOT_FOUND
        )
        changes = _changes(BuildingPatchInput, request)
        building = edits.building_update(actor=actor, building=building, changes=changes)
        households = selectors.building_households(building=building)
        building.household_count = len(households)  # type: ignore[attr-defined]
        return Response(BuildingOutput(building).data)


class OrganisationListApi(APIView):
    @extend_schema(
        operation_id="v1_people_organisations_list",
        summary="Organisations of your jurisdiction",
        description="`q`: words of the name, or a unified social credit code.",
        parameters=[OrganisationQuery],
        responses={
            200: page_output(OrganisationOutput, "OrganisationPage"),
            400: BAD_INPUT,
            403: FORBIDDEN,
        },
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        query = _query(OrganisationQuery, request)
        organisations = selectors.organisation_list(
            actor=actor, q=query["q"], kind=query["kind"], region_code=query["region"]
        )
        rows, cursor = selectors.keyset_page(
            organisations, key="name", cursor=query.get("cursor"), size=query["page_size"]
        )
        return Response(
            {
                "results": OrganisationOutput(rows, many=True).data,
                "next": _next_url(request, cursor),
            }
        )


class OrganisationDetailApi(APIView):
    @extend_schema(
        summary="One organisation",
        responses={200: OrganisationOutput, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, organisation_id: int) -> Response:
        actor = actor_from(request)
        organisation = selectors.organisation_get(actor=actor, organisation_id=organisation_id)
        return Response(OrganisationOutput(organisation).data)

    @extend_schema(
        summary="Change an organisation (audited)",
        request=OrganisationPatchInput,
        responses={200: OrganisationOutput, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def patch(self, request: Request, organisation_id: int) -> Response:
        actor = actor_from(request)
        organisation = selectors.editable_get(
            actor=actor,
            model=Organisation,
            pk=organisation_id,
            not_found=errors.ORGANISATION_NOT_FOUND,
        )
        changes = _changes(OrganisationPatchInput, request)
        organisation = edits.organisation_update(
            actor=actor, organisation=organisation, changes=changes
        )
        return Response(OrganisationOutput(organisation).data)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class ImportTemplateApi(APIView):
    @extend_schema(
        summary="The register's import template (xlsx)",
        description="The ID number, phone and grid columns are formatted as text, so Excel keeps "
        "every digit.",
        responses={(200, XLSX): OpenApiTypes.BINARY, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> HttpResponse:
        require_permission(actor_from(request), Perm.PEOPLE_MANAGE)
        return xlsx_response(spreadsheets.template_workbook(), "register-template.xlsx")


class ImportApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Import residents from the template (dry run by default)",
        description=(
            "Every bad row is listed with its row number, column and reason (bad check "
            "character, birth date not matching the ID number, duplicate ID, unknown grid, an ID "
            "Excel stored as a number, a phone that is not Chinese); while any row is bad nothing "
            "is written and the answer is 400 with the same report. `dry_run=false` writes."
        ),
        request={"multipart/form-data": ImportInput},
        responses={
            200: ImportReportOutput,
            # Either the field errors of a file that is no register sheet, or the report (as for
            # 200, with `code`) when any row is bad.
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Field errors, or the report with every bad row "
                "(code people.import_has_bad_rows).",
            ),
            403: FORBIDDEN,
        },
    )
    def post(self, request: Request) -> Response:
        actor = actor_from(request)
        require_permission(actor, Perm.PEOPLE_MANAGE)
        data = ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = spreadsheets.resident_import(
            actor=actor,
            content=data.validated_data["file"].read(),
            dry_run=data.validated_data["dry_run"],
        )
        body = ImportReportOutput(report.as_dict()).data
        if report.problems:
            return Response(
                {"code": "people.import_has_bad_rows", **body},
                status=400,
            )
        return Response(body)


class ResidentExportApi(APIView):
    @extend_schema(
        summary="The residents of a search as a workbook (masked)",
        description=f"The same search as the list; at most {spreadsheets.EXPORT_LIMIT} rows. "
        "ID numbers and phones are masked. Each export is audited.",
        parameters=[ResidentQuery],
        responses={(200, XLSX): OpenApiTypes.BINARY, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> HttpResponse:
        actor = actor_from(request)
        query = _query(ResidentQuery, request)
        rows = selectors.resident_export_rows(
            actor=actor,
            filters=selectors.ResidentFilters(
                q=query["q"],
                region_code=query["region"],
                household_id=query.get("household"),
                focus=query["focus"],
            ),
            limit=spreadsheets.EXPORT_LIMIT,
        )
        export_record(
            actor=actor, count=len(rows), query={k: str(v) for k, v in request.query_params.items()}
        )
        return xlsx_response(spreadsheets.export_workbook(rows), "residents.xlsx")


class ResidentExportUnmaskedApi(APIView):
    # Not idempotent on purpose, as the reveal: the answer must not be stored for replays. JSON
    # only: a form body would turn an empty field into its default instead of refusing it.
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        summary="The residents of a search as a workbook, unmasked (audited with a reason)",
        description="The same search as the list, in the body with a `reason`; only the residents "
        "where you may unmask. Needs the reveal permission; the reason and the count go to the "
        "audit log.",
        request=UnmaskedExportInput,
        responses={(200, XLSX): OpenApiTypes.BINARY, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> HttpResponse:
        actor = actor_from(request)
        raw_reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
        data = UnmaskedExportInput(data=request.data)
        data.is_valid(raise_exception=True)
        query = {k: str(v) for k, v in data.validated_data.items() if k != "reason"}
        reason = export_unmasked_check(actor=actor, reason=str(raw_reason), query=query)
        rows = selectors.resident_export_rows(
            actor=actor,
            filters=selectors.ResidentFilters(
                q=data.validated_data["q"],
                region_code=data.validated_data["region"],
                household_id=data.validated_data.get("household"),
                focus=data.validated_data["focus"],
            ),
            limit=spreadsheets.EXPORT_LIMIT,
            unmasked=True,
        )
        export_unmasked_record(
            actor=actor,
            reason=reason,
            count=len(rows),
            query=query,
            client_address=client_address(request),
        )
        return xlsx_response(spreadsheets.export_workbook(rows, unmasked=True), "residents.xlsx")
