"""Writes to the teams' rosters: add a member (with their account where they have one), record
that a member left. Each audited; a place outside the actor's jurisdiction answers as missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from gridgov.accounts.selectors import active_user_named
from gridgov.core import codes
from gridgov.core.access import Perm
from gridgov.core.audit import audit_record
from gridgov.core.errors import Conflict, Problem, ValidationFailed
from gridgov.core.scoping import require_permission
from gridgov.teams import errors
from gridgov.teams.models import Team, TeamMember

NAME_MAX_LENGTH = 64


@dataclass
class MemberInput:
    name: str
    region_code: str = ""  # where they serve; empty: the team's own place
    username: str = ""  # their account, when they have one
    duty: str = ""
    joined_on: date | None = None


def _works_at(user: Any, region_code: str) -> bool:
    """Whether the account holds a role at, above or below the place."""
    return any(
        codes.is_within(region_code, a.region_code) or codes.is_within(a.region_code, region_code)
        for a in user.active_assignments()
    )


def member_add(*, actor: Any, team: Team, data: MemberInput) -> TeamMember:
    """Put someone on the team's roster, serving at a place within the team's region."""
    allowed = require_permission(actor, Perm.TEAMS_MANAGE)
    if not any(codes.is_within(team.region_code, code) for code in allowed):
        raise ValidationFailed.on("team", errors.TEAM_NOT_FOUND)
    problems: dict[str, list[Problem]] = {}
    name = data.name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        problems["name"] = [errors.NAME_REQUIRED.bind()]
    place = data.region_code.strip() or team.region_code
    if not codes.is_valid_code(place) or not codes.is_within(place, team.region_code):
        problems["region_code"] = [errors.PLACE_OUTSIDE_TEAM.bind()]
    user = None
    if data.username.strip():
        user = active_user_named(username=data.username.strip())
        if user is None or not _works_at(user, place):
            problems["username"] = [errors.NO_SUCH_ACCOUNT.bind(username=data.username.strip())]
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        serving = team.members.select_for_update().filter(left_on__isnull=True)
        taken = serving.filter(user=user) if user else serving.filter(name=name, region_code=place)
        if taken.exists():
            raise Conflict(errors.ALREADY_MEMBER, name=name)
        member = TeamMember(
            team=team,
            name=name,
            user=user,
            duty=data.duty.strip()[:64],
            joined_on=data.joined_on or timezone.localdate(),
        )
        member.set_region_code(place)
        member.save()
        audit_record(
            actor=actor,
            action="teams.member_add",
            object_type="team",
            object_id=team.pk,
            region_code=place,
            detail={"member": member.pk, "kind": team.kind},
        )
    return member


def member_leave(*, actor: Any, member: TeamMember, left_on: date | None = None) -> TeamMember:
    """Record that a member left the team; the row stays in the roster's history."""
    allowed = require_permission(actor, Perm.TEAMS_MANAGE)
    if not any(codes.is_within(member.region_code, code) for code in allowed):
        raise ValidationFailed.on("member", errors.MEMBER_NOT_FOUND)
    with transaction.atomic():
        member = TeamMember.objects.select_for_update().get(pk=member.pk)
        if member.left_on is not None:
            raise Conflict(errors.ALREADY_LEFT, name=member.name)
        member.left_on = left_on or timezone.localdate()
        member.save(update_fields=["left_on"])
        audit_record(
            actor=actor,
            action="teams.member_leave",
            object_type="team",
            object_id=member.team_id,
            region_code=member.region_code,
            detail={"member": member.pk},
        )
    return member
