"""The desk's registration: a walk-in dispute becomes a case at the centre's level and its file;
bad input changes nothing; jurisdiction and role are checked."""

from __future__ import annotations

import pytest

from gridgov.cases.models import Case
from gridgov.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gridgov.core.models import AuditEntry
from gridgov.mediation.models import MediationFile
from gridgov.mediation.services import PartyInput
from gridgov.mediation.tests.conftest import APPLICANT, ID_NUMBER, PHONE, dispute

pytestmark = pytest.mark.django_db


def test_a_walk_in_at_a_town_centre_is_a_case_of_the_town_with_its_file(world, register):
    # given a mediator of the first town
    # when the town centre's desk registers a walk-in dispute
    file = register()
    # then the case is the town's, reported through the walk-in channel, due in 30 days
    case = file.case
    assert case.channel == "walk_in"
    assert case.level == "town"
    assert case.handling_code == world["town_centre"].region_code
    assert case.category.is_dispute
    assert (file.due_at - file.created_at).days == 30
    assert file.number.startswith(f"{world['town_centre'].region_code}-")
    assert list(file.mediators.all()) == [world["mediator"]]
    assert AuditEntry.objects.filter(action="mediation.file_open", object_id=file.number).exists()
    # and the mediator at the desk took it on there and then (one-stop acceptance): accepted,
    # theirs and in progress, each step on the case's timeline
    assert (case.state, case.assignee_id) == ("in_progress", world["mediator"].pk)
    steps = list(case.events.order_by("id").values_list("action", flat=True))
    assert steps[-3:] == ["accept", "dispatch", "start"]


def test_a_dispute_registered_by_someone_not_mediating_it_waits_for_dispatch(world, register):
    # given the town official, who is not one of the file's mediators
    # when they register a walk-in naming the town's mediator
    file = register(actor=world["official"], mediator_usernames=[world["mediator"].username])
    # then the case waits in the town's queue for someone to accept and dispatch it
    assert (file.case.state, file.case.assignee_id) == ("reported", None)


def test_parties_are_encrypted_hashed_and_masked(world, register):
    file = register()
    applicant = file.parties.get(side="applicant")
    assert str(applicant.name) == APPLICANT[0] + "**"
    assert str(applicant.id_number) == ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    assert str(applicant.phone) == "138****5678"
    assert applicant.id_number.reveal() == ID_NUMBER
    assert applicant.id_number_hash
    assert applicant.phone_hash
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, name FROM mediation_party WHERE id = %s", [applicant.pk]
        )
        raw = "".join(cursor.fetchone())
    assert ID_NUMBER not in raw
    assert PHONE not in raw
    assert APPLICANT not in raw


def test_an_organisation_party_is_checked_by_its_credit_code(world, register):
    bad = [
        PartyInput(side="applicant", name="王建国"),
        PartyInput(
            side="respondent",
            kind="organisation",
            name="某物业公司",
            credit_code="9111000060003734",
        ),
    ]
    with pytest.raises(ValidationFailed) as caught:
        register(parties=bad)
    assert caught.value.problems["parties"][0].code == "mediation.bad_credit_code"
    bad[1].credit_code = "91110000600037341L"
    file = register(parties=bad)
    organisation = file.parties.get(side="respondent")
    assert organisation.display_name == "某物业公司"
    assert organisation.credit_code == "91110000600037341L"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"category_code": "road-damage"}, "category", "mediation.not_a_dispute"),
        ({"facts": "  "}, "facts", "mediation.facts_required"),
        ({"amount_involved": "-5"}, "amount_involved", "mediation.bad_amount"),
        ({"amount_involved": "lots"}, "amount_involved", "mediation.bad_amount"),
        ({"people_band": "many"}, "people_band", "mediation.bad_people_band"),
        ({"channel": "grid_patrol"}, "channel", "mediation.bad_channel"),
        ({"region_code": "610324100"}, "region_code", "mediation.place_outside_centre"),
        (
            {"parties": [PartyInput(side="applicant", name="甲")]},
            "parties",
            "mediation.parties_required",
        ),
        (
            {
                "parties": [
                    PartyInput(side="applicant", name="甲", id_number="123"),
                    PartyInput(side="respondent", name="乙"),
                ]
            },
            "parties",
            "mediation.bad_id_number",
        ),
        ({"mediator_usernames": ["nobody"]}, "mediators", "mediation.not_a_mediator"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(world, register, overrides, field, code):
    cases_before = Case.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        register(**overrides)
    assert code in [problem.code for problem in caught.value.problems[field]]
    assert Case.objects.count() == cases_before
    assert MediationFile.objects.count() == 0


def test_a_mediator_of_another_town_is_not_named_on_the_file(world, register):
    with pytest.raises(ValidationFailed):
        register(mediator_usernames=[world["other_mediator"].username])


def test_a_centre_outside_the_jurisdiction_is_not_found(world, register):
    other_centre = world["centres"][world["tree"].towns[1]]
    with pytest.raises(NotFound):
        register(centre=other_centre)


def test_a_grid_worker_may_not_register(world, register):
    with pytest.raises(PermissionDenied):
        register(actor=world["worker"])


def test_a_dispute_case_already_reported_gets_its_file(world, register):
    first = register()
    case = first.case
    first.delete()
    data = dispute(world["town_centre"], case_number=case.number)
    from gridgov.mediation.services import dispute_register

    file = dispute_register(actor=world["mediator"], data=data)
    assert file.case == case
    with pytest.raises(Conflict) as caught:
        dispute_register(actor=world["mediator"], data=data)
    assert caught.value.code == "mediation.case_has_file"


def test_file_numbers_count_per_centre_and_year(world, register):
    numbers = [register().number for _ in range(3)]
    assert [number[-4:] for number in numbers] == ["0001", "0002", "0003"]
