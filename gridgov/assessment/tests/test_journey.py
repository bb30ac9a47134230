"""The issue's journey's end: a grid worker reports a case on patrol and the town official sees
the worker's score of the month change when it is recomputed (the button, or the periodic task)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from gridgov.assessment.models import Score
from gridgov.assessment.services.scoring import scores_compute
from gridgov.assessment.tasks import recompute_this_month
from gridgov.cases.models import Category
from gridgov.cases.services import CaseInput, case_report
from gridgov.core.access import Role
from gridgov.testing import make_user


def _report(worker, code: str) -> None:
    category = Category.objects.filter(is_active=True, children=None).order_by("code").first()
    assert category is not None
    case_report(
        actor=worker,
        data=CaseInput(
            category_code=category.code,
            description="路灯不亮",
            channel="grid_patrol",
            region_code=code,
            address="东口",
        ),
    )


def _reports_counted(score: Score) -> float:
    return next(c.numerator for c in score.components.all() if c.indicator == "reports_made")


@pytest.mark.django_db
def test_the_town_official_sees_the_workers_score_change_after_a_report(tree, client):
    worker = make_user(Role.GRID_WORKER, tree.grids[0], username="w1")
    town = make_user(Role.TOWN_OFFICIAL, tree.towns[0], username="town")
    month = timezone.localdate().replace(day=1)
    scores_compute(month=month)
    score = Score.objects.get(month=month, subject=f"user:{worker.pk}")
    before = score.total
    assert _reports_counted(score) == 0
    # the worker reports a problem found on patrol
    _report(worker, tree.micro_grids[0])
    # the town official opens the worker's score and recomputes it from the records
    client.force_login(town)
    page = reverse("assessment:score", args=[score.pk])
    assert client.get(page).context["score"].total == before
    response = client.post(
        reverse("assessment:recompute"), {"month": month.strftime("%Y-%m"), "next": page}
    )
    assert response.status_code == 302
    assert response["Location"] == page
    shown = client.get(page).context["score"]
    assert _reports_counted(shown) == 1
    assert shown.total > before
    # the record is behind the component: the case list of the worker's month lists it
    reports = next(
        row for row in client.get(page).context["rows"] if row["spec"].code == "reports_made"
    )
    assert len(client.get(reports["href"]).context["rows"]) == 1


@pytest.mark.django_db
def test_the_periodic_task_recomputes_the_month_with_the_new_report(tree):
    worker = make_user(Role.GRID_WORKER, tree.grids[0], username="w1")
    month = timezone.localdate().replace(day=1)
    recompute_this_month.call_local()
    assert _reports_counted(Score.objects.get(month=month, subject=f"user:{worker.pk}")) == 0
    _report(worker, tree.micro_grids[0])
    _report(worker, tree.micro_grids[1])
    recompute_this_month.call_local()
    assert _reports_counted(Score.objects.get(month=month, subject=f"user:{worker.pk}")) == 2
