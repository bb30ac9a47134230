"""The demo's mediation: a centre at the county, each town/street and each village/community,
a file for every dispute case consistent with its story, and every file's documents render."""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from gridgov.accounts.models import User
from gridgov.cases.catalogue import seed_categories
from gridgov.cases.models import Case, Category
from gridgov.cases.states import State
from gridgov.demo import cases as demo_cases
from gridgov.demo.county import STEPS, load_demo
from gridgov.mediation.documents import KINDS, file_document
from gridgov.mediation.models import Centre, MediationFile
from gridgov.regions.models import Region

SMALL = 1500


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    now = timezone.now()
    steps = [
        (name, partial(demo_cases.create_cases, count=SMALL, now=now) if name == "cases" else step)
        for name, step in STEPS
    ]
    with django_db_blocker.unblock(), transaction.atomic():
        seed_categories(Category)
        yield load_demo(steps=steps)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_centre_at_every_county_town_and_village(loaded: Any) -> None:
    counts = {
        level: Centre.objects.filter(level=level).count() for level in ("county", "town", "village")
    }
    regions = {
        level: Region.objects.filter(county_code="610324", level=level).count()
        for level in ("county", "town", "village")
    }
    assert counts == regions
    assert loaded.mediation_centres == sum(regions.values())
    assert counts["town"] == 8
    # Each village and community centre has its own mediator.
    village_centre = Centre.objects.filter(level="village").first()
    assert village_centre is not None
    assert User.objects.filter(username=f"md{village_centre.region_code}").exists()


@pytest.mark.django_db
def test_every_dispute_case_has_a_file_consistent_with_its_story(loaded: Any) -> None:
    disputes = Case.objects.filter(category__is_dispute=True).exclude(
        state__in=[State.NOT_ACCEPTED, State.MERGED]
    )
    assert MediationFile.objects.count() == disputes.count() == loaded.mediation_files > 0
    for file in MediationFile.objects.select_related("case", "centre").prefetch_related(
        "sessions", "parties"
    ):
        case = file.case
        assert file.region_code == case.region_code
        assert case.region_code.startswith(file.centre.region_code)
        assert file.parties.count() == 2
        if case.state in {State.RESOLVED, State.VERIFIED, State.CLOSED}:
            assert file.outcome in {"agreement", "partial"}
            assert file.agreed_terms
            assert all(s.held_at is not None for s in file.sessions.all())
        elif case.state == State.TRANSFERRED:
            assert file.outcome == "referred"
        else:
            assert file.outcome == ""
        if file.followed_up_at is not None:
            assert file.performance_deadline is not None


@pytest.mark.django_db
def test_the_demo_files_documents_render(loaded: Any) -> None:
    mediator = User.objects.get(username="mediator_chengguan")
    files = MediationFile.objects.filter(mediators=mediator).exclude(agreed_terms="")[:3]
    assert files
    for file in files:
        for kind in KINDS:
            rendered = file_document(actor=mediator, number=file.number, kind=kind)
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered.content)).pages)
            assert file.number in text.replace("\n", "")
        agreement = file_document(actor=mediator, number=file.number, kind="agreement")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(agreement.content)).pages)
        flat = text.replace("\n", "")
        assert file.agreed_terms[:12] in flat
        first = file.parties.first()
        assert first is not None
        assert first.name.reveal() in flat
