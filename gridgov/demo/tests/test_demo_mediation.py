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

from gridgov.accounts.models import RoleAssignment, User
from gridgov.cases.catalogue import seed_categories
from gridgov.cases.models import Case, CaseEvent, Category
from gridgov.cases.states import State
from gridgov.demo import cases as demo_cases
from gridgov.demo.county import STEPS, load_demo
from gridgov.mediation.documents import KINDS, file_document
from gridgov.mediation.models import Centre, JointMeeting, MediationFile, Referral, Risk
from gridgov.mediation.services.meetings import may_own_tasks_at
from gridgov.regions.models import Region
from gridgov.teams.models import Team, TeamMember

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


@pytest.mark.django_db
def test_referrals_follow_each_disputes_timeline(loaded: Any) -> None:
    files = {f.case_id: f for f in MediationFile.objects.all()}
    steps = list(
        CaseEvent.objects.filter(case_id__in=list(files), action__in=["transfer", "take_back"])
        .order_by("case_id", "created_at", "id")
        .values_list("case_id", "action", "created_at", "data")
    )
    referrals = list(
        Referral.objects.order_by("file__case_id", "created_at", "id").values_list(
            "file__case_id", "from_track", "to_track", "unit", "created_at"
        )
    )
    # one referral for each transfer and each taking back, at the same moment
    assert loaded.mediation_referrals == len(referrals) == len(steps) > 0
    for (case_id, action, at, data), (file_case, from_track, to_track, unit, when) in zip(
        steps, referrals, strict=True
    ):
        assert (case_id, at) == (file_case, when)
        if action == "transfer":
            assert from_track == "people"
            assert to_track == (
                "judicial" if data["transfer_kind"] == "court" else "administrative"
            )
            assert unit == data["transfer_to"][:120]
        else:
            # taken back home from where the last transfer sent it
            assert from_track in {"administrative", "judicial"}
            assert to_track == "people"
    # a file ends on the track its case is on: away while transferred, home otherwise
    for file in MediationFile.objects.select_related("case"):
        transferred = file.case.state == State.TRANSFERRED
        assert (file.track != "people") == transferred, file.number


@pytest.mark.django_db
def test_every_town_has_risks_each_answered_for_and_followed_up(loaded: Any) -> None:
    risks = list(Risk.objects.prefetch_related("follow_ups", "cases").select_related("responsible"))
    assert loaded.risks == len(risks)
    towns = set(Region.objects.filter(level="town").values_list("region_code", flat=True))
    assert {risk.town_code for risk in risks} == towns
    assert {risk.level for risk in risks} >= {"red", "orange", "yellow", "blue"}
    assert {risk.status for risk in risks} == {"monitoring", "controlled", "resolved"}
    today = timezone.localdate()
    overdue = 0
    for risk in risks:
        # the official who answers for it works there
        assert any(
            risk.region_code.startswith(code)
            for code in risk.responsible.jurisdiction_codes("mediation.work")
        )
        assert all(case.village_code == risk.village_code for case in risk.cases.all())
        pending = [f for f in risk.follow_ups.all() if f.done_at is None]
        if risk.status == "resolved":
            assert risk.resolved_at is not None
            assert not pending
            assert risk.next_follow_up_on is None
        else:
            assert risk.resolved_at is None
            next_due = risk.next_follow_up_on
            assert next_due is not None
            assert [f.due_on for f in pending] == [next_due]
            overdue += next_due < today
    # some follow-ups are already late, as in life
    assert 0 < overdue < len(risks)


@pytest.mark.django_db
def test_every_town_held_joint_meetings_on_its_risks(loaded: Any) -> None:
    meetings = list(JointMeeting.objects.prefetch_related("risks", "tasks__owner"))
    towns = Region.objects.filter(level="town").count()
    assert loaded.joint_meetings == len(meetings) == 3 * towns
    for meeting in meetings:
        assert meeting.since <= meeting.until < meeting.held_on
        assert all(risk.town_code == meeting.town_code for risk in meeting.risks.all())
        for task in meeting.tasks.all():
            assert may_own_tasks_at(task.owner, meeting.region_code)
    assert any(task.done_at is None for m in meetings for task in m.tasks.all())


@pytest.mark.django_db
def test_every_village_has_its_teams_with_the_accounts_serving_where_they_work(
    loaded: Any,
) -> None:
    villages = set(Region.objects.filter(level="village").values_list("region_code", flat=True))
    teams = Team.objects.all()
    assert loaded.teams == teams.count()
    assert loaded.team_members == TeamMember.objects.count()
    for kind in ("party_members", "grid_workers", "volunteers", "mediators"):
        assert (
            set(
                teams.filter(kind=kind, village_code__in=villages).values_list(
                    "region_code", flat=True
                )
            )
            == villages
        ), kind
    # every grid worker serves on their village's grid-worker team, at their own grid
    for assignment in RoleAssignment.objects.filter(role="grid_worker"):
        member = TeamMember.objects.get(user=assignment.user, team__kind="grid_workers")
        assert member.region_code == assignment.region_code
        assert member.team.region_code == assignment.village_code
    # each team's members serve within its place
    for member in TeamMember.objects.select_related("team"):
        assert member.region_code.startswith(member.team.region_code)
    assert teams.filter(kind="lecturers", region_code="610324").exists()
