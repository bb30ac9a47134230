"""Roles and what each may do: one declarative table, pure Python.

A permission is granted within the subtree of the region the role is assigned at. Apps name their
permissions here so the whole access policy can be read in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_LEADER = "county_leader", _("County leader")
    # The command centre: sees and routes everything in the county.
    COUNTY_OPERATOR = "county_operator", _("County operator")
    # 分管副县长: the county leader's deputy for emergencies; approves county-wide broadcasts.
    DEPUTY_COUNTY_LEADER = "deputy_county_leader", _("Deputy county leader")
    TOWN_OFFICIAL = "town_official", _("Town/street official")
    VILLAGE_SECRETARY = "village_secretary", _("Village/community secretary")
    GRID_WORKER = "grid_worker", _("Grid worker")
    INFO_OFFICER = "info_officer", _("Information officer")
    MEDIATOR = "mediator", _("Mediator")
    VOLUNTEER = "volunteer", _("Volunteer")
    # Manages accounts (creates them, clears lockouts); grants no role that reads residents' or
    # cases' data, and reads none itself.
    SYSADMIN = "sysadmin", _("System administrator")
    # 安全保密管理员: grants and revokes roles, those that read personal data included.
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    # Reads the audit log and nothing else.
    AUDITOR = "auditor", _("Auditor")
    RESIDENT = "resident", _("Resident")


class Perm:
    """Permission names. Each is checked by scoping against the roles that grant it."""

    REGIONS_VIEW = "regions.view"
    REGIONS_MANAGE = "regions.manage"
    REGIONS_STAFF_VIEW = "regions.staff_view"
    # See the accounts of a jurisdiction and their roles (the account pages).
    ACCOUNTS_VIEW = "accounts.view"
    # Create accounts, clear lockouts; grant and revoke the roles that read no personal data.
    ACCOUNTS_MANAGE = "accounts.manage"
    # Grant and revoke any role, those that read residents' or cases' data included.
    ROLES_GRANT = "accounts.grant_roles"
    AUDIT_VIEW = "audit.view"
    # Cases: see them; report them; handle what is dispatched to you; route them at your unit's
    # level (accept, dispatch, verify, close, escalate, refer, transfer, suspend).
    CASES_VIEW = "cases.view"
    CASES_REPORT = "cases.report"
    CASES_HANDLE = "cases.handle"
    CASES_ROUTE = "cases.route"
    # The emergency broadcast: see messages and terminals; compose and submit a message for
    # regions of your jurisdiction; approve (or reject) somebody else's message whose whole
    # target lies in your jurisdiction; approve a county-wide emergency (the county leader and
    # their deputy only).
    BROADCAST_VIEW = "broadcast.view"
    BROADCAST_COMPOSE = "broadcast.compose"
    BROADCAST_APPROVE = "broadcast.approve"
    BROADCAST_APPROVE_COUNTY_EMERGENCY = "broadcast.approve_county_emergency"
    # The broadcast terminals: see them, with their status, on the list and map; register them
    # (the xlsx import), which the system administrator and the county's operators do.
    TERMINALS_VIEW = "broadcast.terminals_view"
    TERMINALS_MANAGE = "broadcast.terminals_manage"
    # The command centre's overview of a region's cases (figures only, from the rollups).
    DASHBOARD_VIEW = "dashboards.view"
    # The population register: read it (masked); read one resident's ID number or phone in full,
    # with a reason (audited); keep it (import, edit, the community card). Each focus group kind
    # is seen only with its own permission (FOCUS_PERMS).
    PEOPLE_VIEW = "people.view"
    PEOPLE_REVEAL = "people.reveal"
    PEOPLE_MANAGE = "people.manage"
    FOCUS_ELDERLY_ALONE = "people.focus.elderly_alone"
    FOCUS_DISABLED = "people.focus.disabled"
    FOCUS_LEFT_BEHIND_CHILDREN = "people.focus.left_behind_children"
    FOCUS_LOW_INCOME = "people.focus.low_income"
    FOCUS_COMMUNITY_CORRECTION = "people.focus.community_correction"
    FOCUS_RELEASED = "people.focus.released"
    FOCUS_MENTAL_ILLNESS = "people.focus.mental_illness"
    FOCUS_DRUG_REHABILITATION = "people.focus.drug_rehabilitation"
    # Mediation (三级调处中心): see the centres and their mediation files (parties masked);
    # work a file (the desk's registration, sessions, outcome, follow-up, judicial confirmation).
    MEDIATION_VIEW = "mediation.view"
    MEDIATION_WORK = "mediation.work"
    # The teams' rosters: who does the work where (names and duties, no personal data).
    TEAMS_VIEW = "teams.view"
    TEAMS_MANAGE = "teams.manage"
    # Volunteer service: see the events, hours and micro-wishes of a place; serve (sign oneself
    # up for an event, check in and out on a phone, take up a resident's micro-wish); organise
    # (hold events, sign up and check in volunteers without a phone, correct hours, record
    # residents' wishes and confirm them fulfilled).
    VOLUNTEERS_VIEW = "volunteers.view"
    VOLUNTEERS_SERVE = "volunteers.serve"
    VOLUNTEERS_MANAGE = "volunteers.manage"
    # Trainings: see the courses, sessions, attendance and certificates of a place; run them
    # (courses, sessions, attendance, passing, certificates).
    TRAININGS_VIEW = "trainings.view"
    TRAININGS_MANAGE = "trainings.manage"
    # The six front lines' activities (patrols, publicity, mediation, prevention, service, law
    # education): see those of your jurisdiction; log your own there (a patrol's check-ins too).
    ACTIVITIES_VIEW = "activities.view"
    ACTIVITIES_LOG = "activities.log"
    # Supervision and assessment: see the monthly scores and rankings of the grid workers,
    # villages and towns of a jurisdiction (and recompute them from the records); set the
    # scoring scheme's weights and targets (the county); issue a supervision order (督办) against
    # a late case or a weak unit; answer one addressed to you or your unit.
    ASSESSMENT_VIEW = "assessment.view"
    ASSESSMENT_CONFIGURE = "assessment.configure"
    SUPERVISION_ISSUE = "assessment.supervise"
    SUPERVISION_RESPOND = "assessment.respond"
    # Package responsibility (包抓): name an official who answers for regions, cases or risks of
    # your jurisdiction. Whoever is named sees their package whatever their roles.
    PACKAGE_ASSIGN = "assessment.package_assign"


@dataclass(frozen=True)
class RoleSpec:
    levels: frozenset[str]  # region levels the role may be assigned at
    permissions: frozenset[str]


_STAFF_VIEW = frozenset({Perm.REGIONS_VIEW, Perm.REGIONS_STAFF_VIEW})
_CASE_WORK = frozenset({Perm.CASES_VIEW, Perm.CASES_REPORT, Perm.CASES_HANDLE})
_CASE_ROUTING = _CASE_WORK | {Perm.CASES_ROUTE}
_OVERVIEW = frozenset({Perm.DASHBOARD_VIEW})
_ALL = frozenset({"county", "town", "village", "grid", "micro_grid"})
# Care groups: whoever looks after the grid's people visits them.
_FOCUS_CARE = frozenset(
    {
        Perm.FOCUS_ELDERLY_ALONE,
        Perm.FOCUS_DISABLED,
        Perm.FOCUS_LEFT_BEHIND_CHILDREN,
        Perm.FOCUS_LOW_INCOME,
    }
)
# Groups under supervision (justice, health, public security): the town's comprehensive
# governance office, the county's command centre and the grid worker who must visit them; not
# the village committee, the county leader or volunteers.
_FOCUS_SUPERVISED = frozenset(
    {
        Perm.FOCUS_COMMUNITY_CORRECTION,
        Perm.FOCUS_RELEASED,
        Perm.FOCUS_MENTAL_ILLNESS,
        Perm.FOCUS_DRUG_REHABILITATION,
    }
)
_REGISTER_READ = frozenset({Perm.PEOPLE_VIEW}) | _FOCUS_CARE
_REGISTER_WORK = _REGISTER_READ | {Perm.PEOPLE_REVEAL, Perm.PEOPLE_MANAGE}
_MEDIATION = frozenset({Perm.MEDIATION_VIEW, Perm.MEDIATION_WORK})

_GRANTING = frozenset({Perm.ACCOUNTS_VIEW, Perm.ROLES_GRANT})
_TEAMS = frozenset({Perm.TEAMS_VIEW, Perm.TEAMS_MANAGE})
_VOLUNTEER_ORGANISING = frozenset({Perm.VOLUNTEERS_VIEW, Perm.VOLUNTEERS_MANAGE})
_TRAININGS = frozenset({Perm.TRAININGS_VIEW, Perm.TRAININGS_MANAGE})
_ACTIVITIES = frozenset({Perm.ACTIVITIES_VIEW, Perm.ACTIVITIES_LOG})
# Officials who hold units to account: the scores, supervision orders and package responsibility.
_SUPERVISING = frozenset(
    {Perm.ASSESSMENT_VIEW, Perm.SUPERVISION_ISSUE, Perm.SUPERVISION_RESPOND, Perm.PACKAGE_ASSIGN}
)
_ASSESSED = frozenset({Perm.ASSESSMENT_VIEW, Perm.SUPERVISION_RESPOND})
_BROADCAST_COMPOSING = frozenset({Perm.BROADCAST_VIEW, Perm.BROADCAST_COMPOSE, Perm.TERMINALS_VIEW})
_BROADCAST_APPROVING = frozenset({Perm.BROADCAST_VIEW, Perm.BROADCAST_APPROVE, Perm.TERMINALS_VIEW})
_TERMINALS = frozenset({Perm.TERMINALS_VIEW, Perm.TERMINALS_MANAGE})
_BROADCAST_COUNTY = _BROADCAST_APPROVING | {Perm.BROADCAST_APPROVE_COUNTY_EMERGENCY}

ROLE_SPECS: dict[str, RoleSpec] = {
    # The county leader answers for who reads the county's data, so may grant roles too.
    Role.COUNTY_LEADER: RoleSpec(
        frozenset({"county"}),
        _STAFF_VIEW
        | _GRANTING
        | _OVERVIEW
        | {
            Perm.CASES_VIEW,
            Perm.MEDIATION_VIEW,
            Perm.TEAMS_VIEW,
            Perm.VOLUNTEERS_VIEW,
            Perm.TRAININGS_VIEW,
            Perm.ACTIVITIES_VIEW,
        }
        | _BROADCAST_COUNTY
        | _REGISTER_READ
        | _SUPERVISING
        | {Perm.ASSESSMENT_CONFIGURE},
    ),
    Role.COUNTY_OPERATOR: RoleSpec(
        frozenset({"county"}),
        _STAFF_VIEW
        | _CASE_ROUTING
        | _OVERVIEW
        | _MEDIATION
        | {Perm.REGIONS_MANAGE}
        | _BROADCAST_COMPOSING
        | _TERMINALS
        | _REGISTER_WORK
        | _FOCUS_SUPERVISED
        | _TEAMS
        | _VOLUNTEER_ORGANISING
        | _TRAININGS
        | _ACTIVITIES
        | _SUPERVISING
        | {Perm.ASSESSMENT_CONFIGURE},
    ),
    # Approves broadcasts only: the second person beside the operator who composes them.
    Role.DEPUTY_COUNTY_LEADER: RoleSpec(frozenset({"county"}), _STAFF_VIEW | _BROADCAST_COUNTY),
    # A town official composes for the town and approves another's message within it.
    Role.TOWN_OFFICIAL: RoleSpec(
        frozenset({"town"}),
        _STAFF_VIEW
        | _CASE_ROUTING
        | _OVERVIEW
        | _MEDIATION
        | _BROADCAST_COMPOSING
        | _BROADCAST_APPROVING
        | _REGISTER_WORK
        | _FOCUS_SUPERVISED
        | _TEAMS
        | _VOLUNTEER_ORGANISING
        | _TRAININGS
        | _ACTIVITIES
        | _SUPERVISING,
    ),
    # A village composes; its town approves (a village rarely has two people to hand).
    Role.VILLAGE_SECRETARY: RoleSpec(
        frozenset({"village"}),
        _STAFF_VIEW
        | _CASE_ROUTING
        | _OVERVIEW
        | _MEDIATION
        | _BROADCAST_COMPOSING
        | _REGISTER_WORK
        | _TEAMS
        | _VOLUNTEER_ORGANISING
        | _TRAININGS
        | _ACTIVITIES
        | _ASSESSED,
    ),
    # A grid worker logs their own patrols, visits and other front-line work in their grid.
    Role.GRID_WORKER: RoleSpec(
        frozenset({"grid"}),
        _STAFF_VIEW | _CASE_WORK | _REGISTER_WORK | _FOCUS_SUPERVISED | _ACTIVITIES | _ASSESSED,
    ),
    Role.INFO_OFFICER: RoleSpec(
        frozenset({"grid", "micro_grid"}), _STAFF_VIEW | {Perm.CASES_VIEW, Perm.CASES_REPORT}
    ),
    # Mediators log the mediations and law education they do.
    Role.MEDIATOR: RoleSpec(
        frozenset({"county", "town", "village"}),
        _STAFF_VIEW | _CASE_WORK | _MEDIATION | _ACTIVITIES,
    ),
    Role.VOLUNTEER: RoleSpec(
        _ALL,
        frozenset(
            {
                Perm.REGIONS_VIEW,
                Perm.CASES_REPORT,
                Perm.VOLUNTEERS_VIEW,
                Perm.VOLUNTEERS_SERVE,
            }
        ),
    ),
    # The tree is not residents' data: an administrator needs it to place accounts.
    Role.SYSADMIN: RoleSpec(
        frozenset({"county"}),
        frozenset({Perm.REGIONS_VIEW, Perm.ACCOUNTS_VIEW, Perm.ACCOUNTS_MANAGE}) | _TERMINALS,
    ),
    Role.SECURITY_ADMIN: RoleSpec(frozenset({"county"}), _GRANTING | {Perm.REGIONS_VIEW}),
    Role.AUDITOR: RoleSpec(frozenset({"county", "town"}), frozenset({Perm.AUDIT_VIEW})),
    Role.RESIDENT: RoleSpec(_ALL, frozenset()),
}


def role_grants(role: str, permission: str) -> bool:
    spec = ROLE_SPECS.get(role)
    return spec is not None and permission in spec.permissions


def roles_granting(permission: str) -> list[str]:
    return [role for role, spec in ROLE_SPECS.items() if permission in spec.permissions]


# What reads residents' or cases' data: seeing cases, or handling or routing them (which shows the
# reporter's contact on request); the register and its focus groups. A role granting any of these is given only by whoever holds
# ROLES_GRANT, never by the account's creator.
READS_PERSONAL_DATA: frozenset[str] = frozenset(
    {
        Perm.CASES_VIEW,
        Perm.CASES_HANDLE,
        Perm.CASES_ROUTE,
        Perm.PEOPLE_REVEAL,
        Perm.MEDIATION_VIEW,
        Perm.MEDIATION_WORK,
    }
    | _REGISTER_READ
    | _FOCUS_SUPERVISED
)

# 三员分立: the three administrative powers; nobody holds two of them.
ADMINISTRATIVE_POWERS: frozenset[str] = frozenset(
    {Role.SYSADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}
)


def role_reads_personal_data(role: str) -> bool:
    spec = ROLE_SPECS.get(role)
    return spec is not None and not spec.permissions.isdisjoint(READS_PERSONAL_DATA)


# What speaks to the whole county through its loudspeakers: composing and approving broadcasts.
# A system administrator who could give these could make an approver of an account they hold.
SPEAKS_FOR_THE_COUNTY: frozenset[str] = frozenset(
    {Perm.BROADCAST_COMPOSE, Perm.BROADCAST_APPROVE, Perm.BROADCAST_APPROVE_COUNTY_EMERGENCY}
)


def role_needs_security_grant(role: str) -> bool:
    """Whether giving or taking `role` needs ROLES_GRANT (the security administrator or the county
    leader): a role that reads personal data or broadcasts, or one of the three powers (a system
    administrator who could make a security administrator could give themselves the data through
    them)."""
    spec = ROLE_SPECS.get(role)
    broadcasts = spec is not None and not spec.permissions.isdisjoint(SPEAKS_FOR_THE_COUNTY)
    return role_reads_personal_data(role) or broadcasts or role in ADMINISTRATIVE_POWERS
