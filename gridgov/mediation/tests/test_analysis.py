"""The analysis report: JSON counts from the records, a planted hotspot found, PDF and xlsx
render with the same figures; bad input 400; a wrong role 403."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from gridgov.cases.models import Category
from gridgov.mediation.models import MediationFile
from gridgov.mediation.services import file_record_outcome
from gridgov.mediation.services.work import OutcomeInput
from gridgov.mediation.tests.conftest import TERMS
from gridgov.regions.models import Region

pytestmark = pytest.mark.django_db

REPORT = "/api/v1/reports/analysis/"


@pytest.fixture
def spike(world, register):
    """Six disputes in one grid this week, one a month in it for the past year."""
    grid = world["tree"].grids[0]
    now = timezone.now()
    for months in range(1, 12, 3):
        old = register(region_code=grid)
        MediationFile.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=30 * months))
    files = [register(region_code=grid) for _ in range(6)]
    file_record_outcome(
        actor=world["mediator"],
        file=files[0],
        data=OutcomeInput(outcome="agreement", agreed_terms=TERMS),
    )
    return grid


def test_the_report_counts_and_flags_the_spike(world, spike, api_as):
    today = timezone.localdate()
    params = {
        "region": world["tree"].towns[0],
        "from": str(today - timedelta(days=6)),
        "to": str(today),
    }
    body = api_as(world["official"]).get(REPORT, params).json()
    assert body["disputes"] == 6
    assert body["by_kind"] == {"dispute-neighbour": 6}
    assert body["by_level"] == {"town": 6}
    assert (body["concluded"], body["resolved"], body["on_time"]) == (1, 1, 1)
    assert body["resolution_rate"] == 1.0
    assert [h["grid"] for h in body["hotspots"]] == [spike]
    assert body["hotspots"][0]["p_value"] < 0.01


def test_a_quiet_period_has_no_hotspot(world, spike, api_as):
    today = timezone.localdate()
    params = {"from": str(today - timedelta(days=400)), "to": str(today - timedelta(days=370))}
    body = api_as(world["official"]).get(REPORT, params).json()
    assert body["hotspots"] == []


def test_pdf_and_xlsx(world, spike, api_as):
    client = api_as(world["official"])
    pdf = client.get(REPORT, {"format": "pdf", "region": world["tree"].towns[0]})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = text.replace("\n", "")
    assert "矛盾纠纷分析研判报告" in text
    # places and kinds by their names, not their codes
    town = Region.objects.get(region_code=world["tree"].towns[0]).name
    grid = Region.objects.get(region_code=spike).name
    kind = Category.objects.get(code="dispute-neighbour").name
    assert town in flat
    assert grid in flat
    assert kind in flat
    assert spike not in flat
    assert "dispute-neighbour" not in flat
    xlsx = client.get(REPORT, {"format": "xlsx"})
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = {row[0]: row[1] for row in book["研判"].iter_rows(values_only=True) if row}
    assert rows["受理矛盾纠纷"] == 6
    kinds = list(book["纠纷类型"].iter_rows(values_only=True))
    assert kinds[1] == (kind, 6, "dispute-neighbour")
    spots = list(book["高发网格"].iter_rows(values_only=True))
    assert (spots[1][0], spots[1][1], spots[1][4]) == (grid, 6, spike)


def test_bad_input_and_roles(world, api_as):
    client = api_as(world["official"])
    assert client.get(REPORT, {"format": "doc"}).status_code == 400
    assert client.get(REPORT, {"from": "2026-13-01"}).status_code == 400
    assert api_as(world["worker"]).get(REPORT).status_code == 403
