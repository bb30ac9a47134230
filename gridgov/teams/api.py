"""The teams API: the rosters of the actor's jurisdiction."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.accounts.actors import actor_from
from gridgov.core.api_responses import BAD_INPUT, FORBIDDEN, NOT_FOUND
from gridgov.teams import selectors
from gridgov.teams.serializers import (
    MemberListFilter,
    MemberOutput,
    TeamListFilter,
    TeamOutput,
)

# A county has a team of each kind at each of its ~130 places: a whole county fits one answer.
MAX_TEAMS = 2000


class TeamListApi(APIView):
    @extend_schema(
        operation_id="v1_teams_list",
        summary="The teams of your jurisdiction, each with how many serve on it",
        parameters=[TeamListFilter],
        responses={200: TeamOutput(many=True), 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        actor = actor_from(request)
        params = TeamListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = selectors.TeamFilters(
            kind=params.validated_data.get("kind", ""),
            region_code=params.validated_data.get("region", ""),
        )
        teams = selectors.team_list(actor=actor, filters=filters)[:MAX_TEAMS]
        return Response(TeamOutput(teams, many=True).data)


class TeamMembersApi(APIView):
    @extend_schema(
        operation_id="v1_teams_members",
        summary="A team's roster: those serving (and, asked, those who left)",
        parameters=[MemberListFilter],
        responses={
            200: MemberOutput(many=True),
            400: BAD_INPUT,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, team_id: int) -> Response:
        actor = actor_from(request)
        params = MemberListFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        team = selectors.team_get(actor=actor, team_id=team_id)
        members = selectors.team_members(
            team=team, include_left=params.validated_data["include_left"]
        )
        return Response(MemberOutput(members, many=True).data)
