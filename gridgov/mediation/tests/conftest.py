"""A mediation world on the test tree: a centre per county, town and village, mediators and
officials, and a helper that registers a walk-in dispute."""

from __future__ import annotations

from typing import Any

import pytest

from gridgov.core.access import Role
from gridgov.mediation.models import Centre, CentreLevel
from gridgov.mediation.services import DisputeInput, PartyInput, dispute_register

APPLICANT = "王建国"
RESPONDENT = "李秀兰"
ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
TERMS = "李秀兰于2026年12月31日前赔偿王建国修缮费人民币3000元"


def add_centres(tree: Any) -> dict[str, Centre]:
    centres: dict[str, Centre] = {}
    for code, level in [
        (tree.county, CentreLevel.COUNTY),
        *((town, CentreLevel.TOWN) for town in tree.towns),
        *((village, CentreLevel.VILLAGE) for village in tree.villages),
        ("610323", CentreLevel.COUNTY),
    ]:
        centre = Centre(name=f"{tree.names[code]}矛盾纠纷调处中心", level=level)
        centre.set_region_code(code)
        centre.save()
        centres[code] = centre
    return centres


def parties() -> list[PartyInput]:
    return [
        PartyInput(side="applicant", name=APPLICANT, id_number=ID_NUMBER, phone=PHONE),
        PartyInput(side="respondent", name=RESPONDENT, phone="13987654321"),
    ]


def dispute(centre: Centre, **overrides: Any) -> DisputeInput:
    data = DisputeInput(
        centre_id=centre.pk,
        category_code="dispute-neighbour",
        facts="楼上卫生间漏水，损坏楼下天花板，双方就维修费用发生争执。",
        region_code=overrides.pop("region_code", centre.region_code),
        address="城关街道东大街12号",
        amount_involved="3000",
        parties=parties(),
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


@pytest.fixture
def world(tree: Any, user_factory: Any) -> dict[str, Any]:
    centres = add_centres(tree)
    town = tree.towns[0]
    return {
        "tree": tree,
        "centres": centres,
        "town_centre": centres[town],
        "mediator": user_factory(Role.MEDIATOR, town),
        "other_mediator": user_factory(Role.MEDIATOR, tree.towns[1]),
        "official": user_factory(Role.TOWN_OFFICIAL, town),
        "worker": user_factory(Role.GRID_WORKER, tree.grids[0]),
        "leader": user_factory(Role.COUNTY_LEADER, tree.county),
    }


@pytest.fixture
def register(world: dict[str, Any]) -> Any:
    def register_one(actor: Any = None, centre: Centre | None = None, **overrides: Any) -> Any:
        return dispute_register(
            actor=actor or world["mediator"],
            data=dispute(centre or world["town_centre"], **overrides),
        )

    return register_one
