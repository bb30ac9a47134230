"""The teams' pages: the rosters of the actor's places, and one team's roster with its keeping."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gridgov.accounts.actors import actor_from
from gridgov.core.access import Perm
from gridgov.core.errors import ValidationFailed
from gridgov.core.pages import add_problems, page_view
from gridgov.core.scoping import require_permission
from gridgov.regions.selectors import region_list, region_names
from gridgov.teams import selectors
from gridgov.teams.forms import MemberForm, TeamQueryForm
from gridgov.teams.models import Team
from gridgov.teams.services import MemberInput, member_add, member_leave

MAX_ROWS = 500
MAX_PLACES = 2000
# Teams belong to a county, a town or a village; their members serve down to a grid.
TEAM_LEVELS = ("county", "town", "village")


def _places(
    request: HttpRequest, within: str = "", levels: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """The places of the actor's jurisdiction by name (with the place they lie in), as choices."""
    regions = region_list(actor=actor_from(request)).exclude(level="micro_grid")
    if within:
        regions = regions.filter(region_code__startswith=within)
    if levels:
        regions = regions.filter(level__in=levels)
    return [
        (
            region.region_code,
            f"{region.name} · {region.parent.name}" if region.parent else region.name,
        )
        for region in regions[:MAX_PLACES]
    ]


@page_view
@require_safe
def team_list(request: HttpRequest) -> HttpResponse:
    """The teams of the actor's places, by place and kind, with how many serve on each."""
    actor = actor_from(request)
    require_permission(actor, Perm.TEAMS_VIEW)
    query = TeamQueryForm(request.GET, places=_places(request, levels=TEAM_LEVELS))
    if not query.is_valid():
        return render(request, "teams/list.html", {"query": query}, status=400)
    filters = selectors.TeamFilters(
        kind=query.cleaned_data["kind"], region_code=query.cleaned_data["region"]
    )
    teams = list(selectors.team_list(actor=actor, filters=filters)[:MAX_ROWS])
    names = region_names(actor=actor, region_codes={team.region_code for team in teams})
    rows = [(team, names.get(team.region_code, team.region_code)) for team in teams]
    return render(request, "teams/list.html", {"query": query, "rows": rows})


def _roster(request: HttpRequest, team: Team, form: MemberForm, status: int = 200) -> HttpResponse:
    actor = actor_from(request)
    members = list(selectors.team_members(team=team))
    names = region_names(
        actor=actor, region_codes={team.region_code} | {m.region_code for m in members}
    )
    context = {
        "team": team,
        "place": names.get(team.region_code, team.region_code),
        "members": [
            (member, names.get(member.region_code, member.region_code)) for member in members
        ],
        "form": form,
        "may_manage": any(
            team.region_code.startswith(code)
            for code in actor.jurisdiction_codes(Perm.TEAMS_MANAGE)
        ),
    }
    return render(request, "teams/team.html", context, status=status)


def _member_form(request: HttpRequest, team: Team) -> MemberForm:
    places = [
        (code, label) for code, label in _places(request) if code.startswith(team.region_code)
    ]
    data = request.POST if request.method == "POST" else None
    return MemberForm(data, places=places)


@page_view
@require_http_methods(["GET", "HEAD", "POST"])
def team_detail(request: HttpRequest, team_id: int) -> HttpResponseBase:
    """A team's roster; whoever keeps the place's teams adds members here."""
    actor = actor_from(request)
    team = selectors.team_get(actor=actor, team_id=team_id, manage=request.method == "POST")
    form = _member_form(request, team)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = member_add(
                    actor=actor,
                    team=team,
                    data=MemberInput(
                        name=data["name"],
                        region_code=data["region_code"],
                        username=data["username"],
                        duty=data["duty"],
                        joined_on=data["joined_on"],
                    ),
                )
            except ValidationFailed as error:
                add_problems(form, error)
            else:
                messages.success(request, _("%(name)s joined the team.") % {"name": member.name})
                return redirect("teams:detail", team_id=team.pk)
        return _roster(request, team, form, status=400)
    return _roster(request, team, form)


@page_view
@require_POST
def member_leave_view(request: HttpRequest, team_id: int, member_id: int) -> HttpResponseBase:
    actor = actor_from(request)
    team = selectors.team_get(actor=actor, team_id=team_id, manage=True)
    member = selectors.member_get(team=team, member_id=member_id)
    member_leave(actor=actor, member=member)
    messages.success(request, _("%(name)s left the team.") % {"name": member.name})
    return redirect("teams:detail", team_id=team.pk)
