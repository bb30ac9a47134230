"""The demo's named logins: one a role, at the places the README and the journeys use."""

from __future__ import annotations

from gridgov.core.access import Role
from gridgov.demo import names

# Shown by `demo_accounts` and in the README: a demo is meant to be logged into.
DEMO_PASSWORD = "Fufeng-demo-2026"  # noqa: S105

_COUNTY = names.COUNTY_CODE
_CHENGGUAN = "610324001"  # 城关街道
_TIANDU = "610324100"  # 天度镇
_XIANGYUN = _CHENGGUAN + "001"  # 祥云社区, the street's first community
_XIGUAN = _CHENGGUAN + "200"  # 西关村, the street's first village
_TIANDU_VILLAGE = _TIANDU + "200"  # 天度村, the town's seat village

DEMO_ACCOUNTS: list[dict[str, str]] = [
    {"username": username, "password": DEMO_PASSWORD, "role": role.value, "region_code": code}
    for username, role, code in (
        ("county_leader", Role.COUNTY_LEADER, _COUNTY),
        ("operator", Role.COUNTY_OPERATOR, _COUNTY),
        # The second person of the emergency broadcast: approves what the operator composes.
        ("approver", Role.DEPUTY_COUNTY_LEADER, _COUNTY),
        # 三员分立: accounts, roles and the audit log are three different people.
        ("sysadmin", Role.SYSADMIN, _COUNTY),
        ("security_admin", Role.SECURITY_ADMIN, _COUNTY),
        ("auditor", Role.AUDITOR, _COUNTY),
        ("town_chengguan", Role.TOWN_OFFICIAL, _CHENGGUAN),
        ("town_tiandu", Role.TOWN_OFFICIAL, _TIANDU),
        ("village_xiguan", Role.VILLAGE_SECRETARY, _XIGUAN),
        ("village_tiandu", Role.VILLAGE_SECRETARY, _TIANDU_VILLAGE),
        # These two are the grid workers of their grids, and the info officer one of the 3,422.
        ("grid_xiguan_01", Role.GRID_WORKER, _XIGUAN + "001"),
        ("grid_tiandu_01", Role.GRID_WORKER, _TIANDU_VILLAGE + "001"),
        ("info_xiguan_01", Role.INFO_OFFICER, _XIGUAN + "001001"),
        ("mediator_chengguan", Role.MEDIATOR, _CHENGGUAN),
        ("volunteer_xiangyun", Role.VOLUNTEER, _XIANGYUN),
        ("resident_xiangyun", Role.RESIDENT, _XIANGYUN + "001"),
    )
]
