"""Scores recomputed from the records equal the values worked out by hand from the fixture's
facts (tests/fixture.py), with the default scheme:

    indicator      weight  target
    reports_made     20    6 a grid a month
    on_time          20
    resolution       15
    verified         10
    satisfaction     15
    focus_visits     20

Points = normalised value x weight, to the cent; score = points / weights that applied x 100.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from gridgov.assessment.models import Score
from gridgov.assessment.services.scoring import scores_compute
from gridgov.assessment.tests.fixture import MONTH, NOW, build_month, component


def _score(subject: str) -> Score:
    return Score.objects.prefetch_related("components").get(month=MONTH, subject=subject)


def _points(score: Score) -> dict[str, Decimal | None]:
    return {c.indicator: c.points for c in score.components.all()}


@pytest.mark.django_db
def test_a_grid_workers_month_is_scored_as_worked_out_by_hand(tree):
    # given the fixture's November
    month = build_month(tree)
    # when the month is scored
    scores_compute(month=MONTH, now=NOW)
    # then W1's components are:
    w1 = _score(f"user:{month.w1.pk}")
    # reports made: c1, c2, c3 (c0 was in October) = 3 of a target of 6 x 1 grid
    #   -> 3/6 = 0.5 -> 0.5 x 20 = 10.00
    reports = component(w1, "reports_made")
    assert (reports.numerator, reports.denominator, reports.normalised) == (3, 6, 0.5)
    # handled (dispatched to W1, reported in November): c1, c2, c3, c4 = 4
    # on time: c1 and c4 (c2 resolved late, c3 overdue now) = 2/4 = 0.5 -> 10.00
    on_time = component(w1, "on_time")
    assert (on_time.numerator, on_time.denominator) == (2, 4)
    # resolved: c1 closed, c2 verified, c4 resolved = 3/4 = 0.75 -> 0.75 x 15 = 11.25
    # verified: c1 closed, c2 verified, of the 3 resolved = 2/3 -> 0.6667 x 10 = 6.67
    verified = component(w1, "verified")
    assert (verified.numerator, verified.denominator) == (2, 3)
    # satisfaction: c1 rated 5, c4 rated 3 -> average 4 -> 4/5 = 0.8 -> 0.8 x 15 = 12.00
    satisfaction = component(w1, "satisfaction")
    assert (satisfaction.value, satisfaction.numerator, satisfaction.denominator) == (4, 8, 2)
    # focus households in G1: H1, H2; W1 visited H1 (and H3, no focus; H2 in October)
    #   -> 1/2 = 0.5 -> 0.5 x 20 = 10.00
    visits = component(w1, "focus_visits")
    assert (visits.numerator, visits.denominator) == (1, 2)
    assert _points(w1) == {
        "reports_made": Decimal("10.00"),
        "on_time": Decimal("10.00"),
        "resolution": Decimal("11.25"),
        "verified": Decimal("6.67"),
        "satisfaction": Decimal("12.00"),
        "focus_visits": Decimal("10.00"),
    }
    # every weight applied (100): 10 + 10 + 11.25 + 6.67 + 12 + 10 = 59.92
    assert w1.total == Decimal("59.92")
    assert [c.weight for c in w1.components.all()] == [20, 20, 15, 10, 15, 20]


@pytest.mark.django_db
def test_what_there_is_nothing_to_count_does_not_apply(tree):
    month = build_month(tree)
    scores_compute(month=MONTH, now=NOW)
    w2 = _score(f"user:{month.w2.pk}")
    # W2 reported c6 (1 of 6): 1/6 = 0.1667 -> 0.1667 x 20 = 3.33. Nothing was dispatched to
    # W2 and G2 has no focus households: those indicators do not apply.
    assert _points(w2) == {
        "reports_made": Decimal("3.33"),
        "on_time": None,
        "resolution": None,
        "verified": None,
        "satisfaction": None,
        "focus_visits": None,
    }
    # 3.33 earned of the 20 that applied: 3.33 / 20 x 100 = 16.65
    assert w2.total == Decimal("16.65")
    # ranked among the town's two workers: W1 (59.92) first, W2 second
    w1 = _score(f"user:{month.w1.pk}")
    assert (w1.rank, w1.ranked_among, w2.rank, w2.ranked_among) == (1, 2, 2, 2)


@pytest.mark.django_db
def test_a_village_and_a_town_are_scored_as_worked_out_by_hand(tree):
    build_month(tree)
    scores_compute(month=MONTH, now=NOW)
    village = _score(tree.villages[0])
    # patrol reports in the village: c1, c2, c3, c6 = 4 of 6 x 2 grids = 12
    #   -> 4/12 = 0.3333 -> 6.67
    # handled: c1, c2, c3, c4, c6 (c5 refused) = 5; on time: c1, c4, c6 = 3/5 = 0.6 -> 12.00
    # resolved: c1, c2, c4 = 3/5 = 0.6 -> 0.6 x 15 = 9.00; verified 2/3 -> 6.67
    # satisfaction (5 + 3) / 2 = 4 -> 0.8 -> 12.00
    # focus households H1, H2, visited by anyone: H1 (W1), H2 (W2) = 2/2 -> 20.00
    assert _points(village) == {
        "reports_made": Decimal("6.67"),
        "on_time": Decimal("12.00"),
        "resolution": Decimal("9.00"),
        "verified": Decimal("6.67"),
        "satisfaction": Decimal("12.00"),
        "focus_visits": Decimal("20.00"),
    }
    # 6.67 + 12 + 9 + 6.67 + 12 + 20 = 66.34
    assert village.total == Decimal("66.34")
    # the second village: no report of 12 expected (0 points), nothing else applies -> 0
    other = _score(tree.villages[1])
    assert other.total == Decimal("0.00")
    assert (village.rank, other.rank, village.ranked_among) == (1, 2, 2)
    town = _score(tree.towns[0])
    # the town's 4 grids expect 24 patrol reports: 4/24 = 0.1667 -> 3.33; the rest as the
    # village (its only cases and focus households): 3.33 + 12 + 9 + 6.67 + 12 + 20 = 63.00
    assert _points(town)["reports_made"] == Decimal("3.33")
    assert town.total == Decimal("63.00")
    # ranked among the county's two towns (the other county's town is ranked in its own)
    assert (town.rank, town.ranked_among) == (1, 2)
    assert _score("610323100").ranked_among == 1


@pytest.mark.django_db
def test_recomputing_follows_the_records_and_keeps_each_scores_row(tree):
    month = build_month(tree)
    scores_compute(month=MONTH, now=NOW)
    before = _score(f"user:{month.w2.pk}")
    # W2 resolves c6 in time and a resident rates it 4
    c6 = month.cases["c6"]
    c6.state, c6.resolved_at, c6.rating = "resolved", c6.created_at, 4
    c6.assignee = month.w2
    c6.save()
    scores_compute(month=MONTH, now=NOW)
    after = _score(f"user:{month.w2.pk}")
    assert after.pk == before.pk
    # now handled 1, on time 1 (20.00), resolved 1 (15.00), verified 0/1 (0.00), rating 4
    # (0.8 x 15 = 12.00): 3.33 + 20 + 15 + 0 + 12 = 50.33 of the 80 that applied -> 62.91
    assert after.total == Decimal("62.91")
