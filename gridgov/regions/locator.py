"""Point -> grid and micro-grid: a raster cache over the grids' extent, and shapely STRtrees for the
points the raster cannot decide, all built once per boundaries version.

Each process keeps one locator; it checks TreeState's version (one primary-key read) and rebuilds
only when a service changed a boundary, so the web server and the worker agree.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from gridgov.core.codes import GRID_LEN
from gridgov.core.errors import NotFound
from gridgov.regions.errors import OUTSIDE_GRIDS
from gridgov.regions.geometry import to_shape
from gridgov.regions.models import Level, Region, TreeState

# Cells of the raster cache: 2**21 cells hold 4 MB of labels (8 MB past 32,767 regions). Over the
# demo county a cell is ~20 m across and about one random point in ten lands in a cell an edge
# crosses; finer cells cost build time and memory for less and less.
RASTER_CELLS = 1 << 21
# Slack, in cells, added around a cell when testing whether an edge touches it. It dwarfs the
# rounding in mapping coordinates to cells (~1e-10 cells here), so a point that rounds into a
# neighbouring cell is still inside the cell as tested; it only marks a few more cells crossed.
_CELL_SLACK = 1e-6
# Edges tested per batch while building, to bound the build's temporary memory.
_EDGES_PER_BATCH = 1 << 12


class PointOutsideGrids(NotFound):
    default = OUTSIDE_GRIDS


@dataclass(frozen=True)
class Location:
    grid_code: str
    micro_grid_code: str | None

    @property
    def region_code(self) -> str:
        """The smallest region the point lies in."""
        return self.micro_grid_code or self.grid_code


Boundaries = Sequence[tuple[str, BaseGeometry]]


def _boundaries(level: str) -> list[tuple[str, BaseGeometry]]:
    """Codes and parsed boundaries of one level's regions that have a boundary, by code."""
    rows = (
        Region.objects.filter(level=level, boundary__isnull=False)
        .order_by("region_code")
        .values_list("region_code", "boundary")
    )
    return [(code, to_shape(boundary)) for code, boundary in rows if boundary]


class _LevelIndex:
    """An STRtree over one level's polygons, with their codes in the same order."""

    def __init__(self, codes: list[str], geometries: list[BaseGeometry]) -> None:
        self.codes = codes
        self.geometries = np.array(geometries, dtype=object)
        self.tree = shapely.STRtree(self.geometries)

    def first_match(self, points: np.ndarray) -> np.ndarray:
        """For each point the position of a polygon that contains or touches it, else -1."""
        result = np.full(len(points), -1, dtype=np.intp)
        if len(self.codes) == 0 or len(points) == 0:
            return result
        point_index, polygon_index = self.tree.query(points, predicate="intersects")
        # A point on a shared edge touches two polygons; the first match wins, deterministically.
        result[point_index[::-1]] = polygon_index[::-1]
        return result


def _edges(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Start and end coordinates of every edge of the geometries' boundaries (x0, y0, x1, y1).

    A clipped micro-grid may be a collection holding stray lines or points; those are kept as
    edges (a point as an edge of length 0), so the cells they touch are left to the trees.
    """
    parts = shapely.get_parts(geometries)
    polygonal = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
    lines = np.concatenate([shapely.get_rings(parts[polygonal]), parts[~polygonal]])
    coords, owner = shapely.get_coordinates(lines, return_index=True)
    # Consecutive coordinates of one line are an edge; a lone point is an edge onto itself.
    same = owner[1:] == owner[:-1]
    single = np.bincount(owner, minlength=len(lines))[owner] == 1
    starts = np.concatenate([coords[:-1][same], coords[single]])
    ends = np.concatenate([coords[1:][same], coords[single]])
    return starts[:, 0], starts[:, 1], ends[:, 0], ends[:, 1]


def _crossed_cells(
    u0: np.ndarray, v0: np.ndarray, u1: np.ndarray, v1: np.ndarray, columns: int, rows: int
) -> np.ndarray:
    """Flat mask of the cells that an edge touches, edges given in cell units (cell (c, r) is
    the closed square [c, c + 1] x [r, r + 1])."""
    crossed = np.zeros(columns * rows, dtype=bool)
    for batch in range(0, len(u0), _EDGES_PER_BATCH):
        edges = slice(batch, batch + _EDGES_PER_BATCH)
        du, dv = u1[edges] - u0[edges], v1[edges] - v0[edges]
        # Long edges are cut into pieces at most two cells long, so that each piece's bounding
        # box holds a handful of cells whatever the edge's length.
        pieces = np.maximum(1, np.ceil(np.maximum(abs(du), abs(dv)) / 2)).astype(np.intp)
        edge = np.repeat(np.arange(len(du)), pieces)
        step = np.arange(len(edge)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        start, end = step / pieces[edge], (step + 1) / pieces[edge]
        du, dv = du[edge], dv[edge]
        au, av = u0[edges][edge] + start * du, v0[edges][edge] + start * dv
        bu, bv = u0[edges][edge] + end * du, v0[edges][edge] + end * dv
        _mark_touched(crossed, columns, rows, au, av, bu, bv)
    return crossed


def _mark_touched(
    crossed: np.ndarray,
    columns: int,
    rows: int,
    au: np.ndarray,
    av: np.ndarray,
    bu: np.ndarray,
    bv: np.ndarray,
) -> None:
    """Mark in `crossed` the cells whose slack-widened square the pieces (a -> b) touch."""
    # Candidates: the cells whose widened squares meet a piece's bounding box.
    lo_c = np.clip(np.floor(np.minimum(au, bu) - _CELL_SLACK), 0, columns - 1).astype(np.intp)
    hi_c = np.clip(np.floor(np.maximum(au, bu) + _CELL_SLACK), 0, columns - 1).astype(np.intp)
    lo_r = np.clip(np.floor(np.minimum(av, bv) - _CELL_SLACK), 0, rows - 1).astype(np.intp)
    hi_r = np.clip(np.floor(np.maximum(av, bv) + _CELL_SLACK), 0, rows - 1).astype(np.intp)
    width = hi_c - lo_c + 1
    cells = width * (hi_r - lo_r + 1)
    piece = np.repeat(np.arange(len(au)), cells)
    offset = np.arange(len(piece)) - np.repeat(np.cumsum(cells) - cells, cells)
    column = lo_c[piece] + offset % width[piece]
    row = lo_r[piece] + offset // width[piece]
    # A candidate is touched unless its four corners lie strictly on one side of the piece's
    # line (separating axes: the bounding boxes already meet). A piece of length 0 has every
    # corner "on" its line, so it marks every cell it lies in.
    pu, pv = au[piece], av[piece]
    pdu, pdv = bu[piece] - pu, bv[piece] - pv
    left, right = column - _CELL_SLACK - pu, column + 1 + _CELL_SLACK - pu
    bottom, top = row - _CELL_SLACK - pv, row + 1 + _CELL_SLACK - pv
    corners = np.stack(
        [
            pdu * bottom - pdv * left,
            pdu * bottom - pdv * right,
            pdu * top - pdv * left,
            pdu * top - pdv * right,
        ]
    )
    touched = (corners.min(axis=0) <= 0) & (corners.max(axis=0) >= 0)
    crossed[row[touched] * columns + column[touched]] = True


class _Raster:
    """Answers for the cells of a grid over the extent of every grid, where no edge decides.

    A cell that no boundary touches lies wholly inside one micro-grid, or inside a grid and in no
    micro-grid, or outside every grid: every point in it has the same answer, which is computed
    once at build time by the trees themselves, so the raster can never disagree with them. A
    cell an edge touches is marked undecided (-1) and its points go to the trees.
    """

    def __init__(
        self,
        geometries: np.ndarray,
        cells: int,
        outside: int,
        answer_of: Callable[[np.ndarray, np.ndarray], np.ndarray],
    ) -> None:
        start = time.perf_counter()
        self.outside = outside
        self.minx, self.miny, self.maxx, self.maxy = (
            float(b) for b in shapely.total_bounds(geometries)
        )
        width, height = self.maxx - self.minx, self.maxy - self.miny
        # Near-square cells, `cells` of them in all.
        self.columns = max(1, min(cells, round((cells * width / height) ** 0.5)))
        self.rows = max(1, cells // self.columns)
        self.cell_width, self.cell_height = width / self.columns, height / self.rows

        crossed = self._crossed(geometries)
        # Neighbouring clean cells of a row share their answer (no edge separates them), so the
        # trees answer once per run of clean cells, at the centre of its first cell.
        clean = ~crossed
        run_starts, run_ends = clean.copy(), clean.copy()
        run_starts[:, 1:] &= crossed[:, :-1]
        run_ends[:, :-1] &= crossed[:, 1:]
        first, last = np.flatnonzero(run_starts), np.flatnonzero(run_ends)
        run_answers = answer_of(
            self.minx + (first % self.columns + 0.5) * self.cell_width,
            self.miny + (first // self.columns + 0.5) * self.cell_height,
        )
        dtype = np.int16 if outside < np.iinfo(np.int16).max else np.int32
        self.labels = np.full(self.columns * self.rows, -1, dtype=dtype)
        # Runs follow one another in the flat order, so their answers repeated over their
        # lengths fill the clean cells in order.
        self.labels[clean.ravel()] = np.repeat(run_answers.astype(dtype), last - first + 1)
        self.runs = len(first)
        self.build_seconds = time.perf_counter() - start

    def _crossed(self, geometries: np.ndarray) -> np.ndarray:
        """Mask of the cells (rows x columns) that a boundary touches."""
        x0, y0, x1, y1 = _edges(geometries)
        return _crossed_cells(
            (x0 - self.minx) / self.cell_width,
            (y0 - self.miny) / self.cell_height,
            (x1 - self.minx) / self.cell_width,
            (y1 - self.miny) / self.cell_height,
            self.columns,
            self.rows,
        ).reshape(self.rows, self.columns)

    @property
    def nbytes(self) -> int:
        return int(self.labels.nbytes)

    def lookup(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Each point's answer index, `outside` beyond the grids' extent, -1 where undecided."""
        inside = (
            (lngs >= self.minx) & (lngs <= self.maxx) & (lats >= self.miny) & (lats <= self.maxy)
        )
        column = (lngs - self.minx) / self.cell_width
        row = (lats - self.miny) / self.cell_height
        # The extent's far edges belong to the last cells; points beyond it (or NaN) read cell 0
        # and are answered `outside` below.
        np.minimum(column, self.columns - 1, out=column)
        np.minimum(row, self.rows - 1, out=row)
        outside = ~inside
        column[outside] = 0
        row[outside] = 0
        cell = row.astype(np.intp) * self.columns + column.astype(np.intp)
        answers = self.labels[cell].astype(np.intp)
        answers[outside] = self.outside
        return answers


class Locator:
    """Both levels' trees, the raster cache in front of them, and one shared Location per answer.

    A micro-grid is clipped to its grid when the locator is built, so its code names the point's
    grid too: the trees ask the micro-grid tree first and the grid tree only for points in no
    micro-grid. Answers are indices into prebuilt Locations, because creating a million objects
    in a Python loop costs more than the lookups themselves.
    """

    def __init__(
        self,
        version: int,
        grids: Boundaries,
        micro_grids: Boundaries,
        *,
        raster_cells: int = RASTER_CELLS,
    ) -> None:
        self.version = version
        self.grids = _LevelIndex([code for code, _ in grids], [geometry for _, geometry in grids])
        grid_position = {code: position for position, code in enumerate(self.grids.codes)}
        # A micro-grid whose grid has no boundary places no point: such a point is in no grid.
        kept = [
            (code, geometry, grid_position[code[:GRID_LEN]])
            for code, geometry in micro_grids
            if code[:GRID_LEN] in grid_position
        ]
        grid_of_micro = np.array([grid for _, _, grid in kept], dtype=np.intp)
        micro_array = np.array([geometry for _, geometry, _ in kept], dtype=object)
        parents = self.grids.geometries[grid_of_micro]
        # Clipped to its grid where it overshoots (imports allow rounding slack on shared edges),
        # so a point in a micro-grid is always in that micro-grid's grid too.
        clipped = micro_array.copy()
        overshoots = ~shapely.covers(parents, micro_array)
        clipped[overshoots] = shapely.intersection(micro_array[overshoots], parents[overshoots])
        nonempty = ~shapely.is_empty(clipped)
        self.micro_grids = _LevelIndex(
            [code for (code, _, _), keep in zip(kept, nonempty.tolist(), strict=True) if keep],
            list(clipped[nonempty]),
        )
        answers: list[Location | None] = [Location(code, None) for code in self.grids.codes]
        answers += [
            Location(self.grids.codes[grid], code)
            for code, grid in zip(
                self.micro_grids.codes, grid_of_micro[nonempty].tolist(), strict=True
            )
        ]
        answers.append(None)
        self._answers = np.array(answers, dtype=object)
        self._outside = len(answers) - 1
        self.raster: _Raster | None = None
        minx, miny, maxx, maxy = shapely.total_bounds(self.grids.geometries)
        if raster_cells > 0 and maxx > minx and maxy > miny:
            self.raster = _Raster(
                np.concatenate([self.grids.geometries, self.micro_grids.geometries]),
                raster_cells,
                self._outside,
                self._tree_answers,
            )

    @classmethod
    def from_database(cls, version: int, *, raster_cells: int = RASTER_CELLS) -> Locator:
        return cls(
            version,
            _boundaries(Level.GRID),
            _boundaries(Level.MICRO_GRID),
            raster_cells=raster_cells,
        )

    def _tree_answers(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Each point's answer index, from the trees alone."""
        points = shapely.points(lngs, lats)
        answer = np.full(len(points), self._outside, dtype=np.intp)
        micro = self.micro_grids.first_match(points)
        in_micro = micro >= 0
        answer[in_micro] = len(self.grids.codes) + micro[in_micro]
        rest = np.flatnonzero(~in_micro)
        if len(rest):
            grid = self.grids.first_match(points[rest])
            in_grid = grid >= 0
            answer[rest[in_grid]] = grid[in_grid]
        return answer

    def locate_many(self, lngs: np.ndarray, lats: np.ndarray) -> list[Location | None]:
        lngs, lats = np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float)
        if self.raster is None:
            answer = self._tree_answers(lngs, lats)
        else:
            answer = self.raster.lookup(lngs, lats)
            undecided = np.flatnonzero(answer < 0)
            if len(undecided):
                answer[undecided] = self._tree_answers(lngs[undecided], lats[undecided])
        located: list[Location | None] = self._answers[answer].tolist()
        return located


_lock = threading.Lock()
_current: Locator | None = None


def current_version() -> int:
    state = TreeState.objects.filter(pk=1).values_list("boundaries_version", flat=True).first()
    return state or 0


def get_locator() -> Locator:
    global _current
    version = current_version()
    with _lock:
        if _current is None or _current.version != version:
            _current = Locator.from_database(version)
        return _current


def locate_point(*, lng: float, lat: float) -> Location:
    """The grid (and micro-grid) containing a point; PointOutsideGrids when it is in none."""
    location = get_locator().locate_many(np.array([lng]), np.array([lat]))[0]
    if location is None:
        raise PointOutsideGrids()
    return location


def locate_points(lngs: np.ndarray, lats: np.ndarray) -> list[Location | None]:
    """Vectorised form for imports and benchmarks: the raster answers most points, one STRtree
    query per level the rest."""
    return get_locator().locate_many(lngs, lats)
