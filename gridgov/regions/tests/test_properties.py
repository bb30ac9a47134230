"""Properties of the region tree under random moves, and of the locator under random points and
boundaries (hypothesis). Each example runs in a savepoint rolled back at its end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box, shape
from shapely.ops import unary_union

from gridgov.accounts.models import RoleAssignment, User
from gridgov.core.access import Role
from gridgov.core.audit import verify_chain
from gridgov.core.codes import CODE_LENGTHS, ancestor_codes, parent_code
from gridgov.core.errors import ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.regions import locator
from gridgov.regions.locator import PointOutsideGrids, locate_point
from gridgov.regions.models import Region
from gridgov.regions.services import region_move, region_set_boundary
from gridgov.testing import Tree, make_user, rectangle

PROPERTY = settings(
    max_examples=30,
    deadline=None,
    # The tree and users come from function-scoped fixtures on purpose: every example starts
    # from them and rolls its own changes back.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
COLUMNS = ("region_code", "county_code", "town_code", "village_code", "grid_code")


@contextmanager
def rolled_back() -> Iterator[None]:
    # A rolled-back change can hand out a boundaries version again, so the cached locator is
    # dropped on the way in and out.
    locator._current = None
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    locator._current = None


@dataclass
class Staffed:
    operator: User
    # Role assignment id -> id of the region it was placed at.
    placed_at: dict[int, int]


@pytest.fixture
def staffed(tree: Tree, user_factory: Callable[..., User]) -> Staffed:
    """An operator of both counties, and a volunteer at every region."""
    operator = user_factory(Role.COUNTY_OPERATOR, tree.county)
    both = RoleAssignment(user=operator, role=Role.COUNTY_OPERATOR)
    both.set_region_code(tree.other_county)
    both.save()
    placed_at = {}
    for region in Region.objects.all():
        volunteer = make_user(Role.VOLUNTEER, region.region_code)
        placed_at[RoleAssignment.objects.get(user=volunteer).pk] = region.pk
    return Staffed(operator=User.objects.get(pk=operator.pk), placed_at=placed_at)


def _codes_by_id() -> dict[int, str]:
    return dict(Region.objects.values_list("pk", "region_code"))


def _audit_rows() -> list[tuple[int, str, str]]:
    return list(AuditEntry.objects.values_list("sequence", "region_code", "entry_hash"))


def _check_invariants(staffed: Staffed) -> None:
    regions = {region.pk: region for region in Region.objects.all()}
    for region in regions.values():
        # every region's code extends its parent's, one level down
        parent = regions.get(region.parent_id) if region.parent_id else None
        assert parent_code(region.region_code) == (parent.region_code if parent else None)
        assert (
            len(region.region_code)
            == CODE_LENGTHS[("county", "town", "village", "grid", "micro_grid").index(region.level)]
        )
        assert {column: getattr(region, column) for column in COLUMNS} == ancestor_codes(
            region.region_code
        )
    for assignment in RoleAssignment.objects.filter(pk__in=staffed.placed_at):
        # a record scoped under a moved region moved with it
        assert assignment.region_code == regions[staffed.placed_at[assignment.pk]].region_code
        assert {column: getattr(assignment, column) for column in COLUMNS} == ancestor_codes(
            assignment.region_code
        )


@PROPERTY
@given(data=st.data(), keep_boundaries=st.booleans())
@pytest.mark.django_db
def test_random_moves_keep_the_tree_consistent(
    staffed: Staffed, data: st.DataObject, keep_boundaries: bool
) -> None:
    with rolled_back():
        # given
        if not keep_boundaries:
            Region.objects.update(boundary=None)
        audit_before = _audit_rows()
        expected = _codes_by_id()
        moves = 0
        for _ in range(data.draw(st.integers(min_value=1, max_value=4), label="moves")):
            movable = sorted(code for code in expected.values() if len(code) > CODE_LENGTHS[0])
            code = data.draw(st.sampled_from(movable), label="region")
            parents = sorted(
                other for other in expected.values() if len(other) == len(parent_code(code) or "")
            )
            new_parent = data.draw(st.sampled_from(parents), label="new parent")
            # when
            try:
                moved = region_move(actor=staffed.operator, code=code, new_parent_code=new_parent)
            except ValidationFailed:
                # then: a refused move changes nothing
                assert _codes_by_id() == expected
                continue
            # then: the subtree, and only it, now lies under the new code
            if moved.region_code != code:
                moves += 1
                expected = {
                    pk: moved.region_code + other[len(code) :] if other.startswith(code) else other
                    for pk, other in expected.items()
                }
            assert _codes_by_id() == expected
            _check_invariants(staffed)
        # and the audit log is appended to, never rewritten
        assert _audit_rows()[: len(audit_before)] == audit_before
        assert AuditEntry.objects.filter(action="region.move").count() == moves
        assert not list(verify_chain())


def _grid_shapes() -> dict[str, object]:
    return {
        code: shape(boundary)
        for code, boundary in Region.objects.filter(level="grid").values_list(
            "region_code", "boundary"
        )
    }


@st.composite
def point_in_a_grid(draw: st.DrawFn, grids: list[str], shapes: dict[str, object]):
    code = draw(st.sampled_from(grids))
    minx, miny, maxx, maxy = shapes[code].bounds  # type: ignore[attr-defined]
    lng = draw(st.floats(minx, maxx, exclude_min=True, exclude_max=True))
    lat = draw(st.floats(miny, maxy, exclude_min=True, exclude_max=True))
    return code, lng, lat


@PROPERTY
@given(data=st.data())
@pytest.mark.django_db
def test_a_point_inside_a_grid_is_located_to_it(tree: Tree, data: st.DataObject) -> None:
    # given
    shapes = _grid_shapes()
    code, lng, lat = data.draw(point_in_a_grid(sorted(shapes), shapes))
    assume(shapes[code].contains(Point(lng, lat)))  # type: ignore[attr-defined]
    # when
    location = locate_point(lng=lng, lat=lat)
    # then
    assert location.grid_code == code
    assert location.micro_grid_code is not None
    assert location.micro_grid_code.startswith(code)
    micro = shape(Region.objects.get(region_code=location.micro_grid_code).boundary)
    assert micro.intersects(Point(lng, lat))


@PROPERTY
@given(lng=st.floats(100.0, 115.0), lat=st.floats(28.0, 40.0))
@pytest.mark.django_db
def test_a_point_outside_every_grid_raises(tree: Tree, lng: float, lat: float) -> None:
    # given
    grids = unary_union(list(_grid_shapes().values()))
    assume(not grids.intersects(Point(lng, lat)))
    # when / then
    with pytest.raises(PointOutsideGrids):
        locate_point(lng=lng, lat=lat)


@PROPERTY
@given(data=st.data())
@pytest.mark.django_db
def test_the_locator_answers_with_a_changed_boundary(
    staffed: Staffed, tree: Tree, data: st.DataObject
) -> None:
    with rolled_back():
        # given: a grid shrinks to a random rectangle inside its old one
        shapes = _grid_shapes()
        code = data.draw(st.sampled_from(sorted(shapes)), label="grid")
        minx, miny, maxx, maxy = shapes[code].bounds  # type: ignore[attr-defined]
        fractions = st.floats(0.05, 0.95)
        xs = sorted(data.draw(st.lists(fractions, min_size=2, max_size=2, unique=True)))
        ys = sorted(data.draw(st.lists(fractions, min_size=2, max_size=2, unique=True)))
        assume(xs[1] - xs[0] > 0.05 and ys[1] - ys[0] > 0.05)
        new = (
            minx + xs[0] * (maxx - minx),
            miny + ys[0] * (maxy - miny),
            minx + xs[1] * (maxx - minx),
            miny + ys[1] * (maxy - miny),
        )
        locate_point(lng=(minx + maxx) / 2, lat=(miny + maxy) / 2)  # the old tree is built
        # when
        region_set_boundary(actor=staffed.operator, code=code, boundary=rectangle(*new))
        # then: inside the new rectangle it is this grid; in the part given up, no grid at all
        centre = box(*new).representative_point()
        assert locate_point(lng=centre.x, lat=centre.y).grid_code == code
        given_up = box(minx, miny, maxx, maxy).difference(box(*new)).representative_point()
        with pytest.raises(PointOutsideGrids):
            locate_point(lng=given_up.x, lat=given_up.y)
