"""The residents' public pages: report (with its challenge and rate limit), the tracking and status
pages, rating and reopening a closed case, and the map's public outlines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gridgov.cases import challenge
from gridgov.cases.models import Case, CasePhoto, Channel
from gridgov.cases.services import CaseInput, case_report, case_transition
from gridgov.cases.states import State
from gridgov.core.access import Role
from gridgov.core.models import AuditEntry

# A point inside the first grid (its first micro-grid) of the test tree.
LNG, LAT = 107.06, 34.2
START = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
NAME, PHONE = "王小明", "13812345678"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # Rate-limit counters and used tokens live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def english(client: Client | None = None) -> Client:
    client = client or Client(REMOTE_ADDR="203.0.113.7")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_token(client: Client) -> str:
    response = client.get(reverse("public:report"))
    assert response.status_code == 200
    return str(response.context["form"].challenge.token)


def report_data(token: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category_group": "dispute",
        "category": "dispute-neighbour",
        "description": "楼上漏水，邻居不肯维修",
        "latitude": str(LAT),
        "longitude": str(LNG),
        "region": "",
        "address": "",
        "reporter_name": NAME,
        "reporter_phone": PHONE,
        "challenge_token": token,
        "challenge_answer": challenge.solve(token),
        "website": "",
    }
    data.update(overrides)
    return data


def send_report(client: Client, clock: time_machine.Traveller, **overrides: Any) -> tuple[Any, str]:
    """Fetch the form, wait like a person would, send it; the response and the token used."""
    token = form_token(client)
    clock.shift(timedelta(seconds=challenge.MIN_FILL_SECONDS + 2))
    return client.post(reverse("public:report"), report_data(token, **overrides)), token


def errors_of(response: Any) -> dict[str, list[str]]:
    form = response.context["form"]
    return {field: [str(error) for error in errors] for field, errors in form.errors.items()}


def resident_case(**overrides: Any) -> Case:
    fields: dict[str, Any] = {
        "category_code": "dispute-neighbour",
        "description": "路灯不亮",
        "channel": Channel.RESIDENT_WEB,
        "latitude": LAT,
        "longitude": LNG,
        "reporter_name": NAME,
        "reporter_phone": PHONE,
    }
    fields.update(overrides)
    return case_report(actor=None, data=CaseInput(**fields))


def close_case(case: Case, tree: Any, user_factory: Any) -> Case:
    worker = user_factory(Role.GRID_WORKER, tree.grids[0], username="zhang_worker")
    worker.display_name = "张网格员"
    worker.save(update_fields=["display_name"])
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0], username="li_secretary")
    secretary.display_name = "李书记"
    secretary.save(update_fields=["display_name"])
    case = case_transition(actor=secretary, case=case, action="accept", note="李书记受理")
    case = case_transition(actor=secretary, case=case, action="dispatch", assignee=worker)
    case = case_transition(actor=worker, case=case, action="start")
    case = case_transition(actor=worker, case=case, action="resolve", note="张网格员已上门协调")
    case = case_transition(actor=secretary, case=case, action="verify")
    return case_transition(actor=secretary, case=case, action="close")


def main_of(response: Any) -> str:
    """The page's own content, without the per-render CSRF tokens."""
    text = response.content.decode()
    main = text[text.index("<main>") : text.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


# Reporting


@pytest.mark.django_db
def test_the_report_form_offers_two_level_categories_places_and_a_map(tree):
    # given
    client = english()
    # when
    response = client.get(reverse("public:report"))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="Disputes">' in body
    assert 'value="dispute-neighbour"' in body
    assert 'name="category_group"' in body
    assert f'value="{tree.villages[0]}"' in body
    assert f'value="{tree.towns[0]}"' in body
    assert tree.grids[0] not in body
    assert tree.other_county not in body
    assert reverse("public:boundaries") in body
    assert 'name="website"' in body
    assert 'class="hp"' in body
    first, second = (
        response.context["form"].challenge.first,
        response.context["form"].challenge.second,
    )
    assert f"What is {first} plus {second}?" in body


@pytest.mark.django_db
def test_a_report_gives_a_tracking_number_and_its_status_page(tree, clock):
    # given
    client = english()
    # when
    response, _token = send_report(client, clock)
    # then
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("public:received", args=[case.tracking_token])
    received = client.get(response["Location"])
    assert received.status_code == 200
    assert case.tracking_token in received.content.decode()
    assert case.number in received.content.decode()
    assert reverse("public:status", args=[case.tracking_token]) in received.content.decode()
    assert case.channel == Channel.RESIDENT_WEB
    assert case.reporter is None
    assert case.region_code == tree.micro_grids[0]
    assert case.reporter_phone.reveal() == "+86" + PHONE
    status = client.get(reverse("public:status", args=[case.tracking_token]))
    assert status.status_code == 200
    assert "Received, waiting to be accepted" in status.content.decode()
    assert "Your report was received." in status.content.decode()
    assert AuditEntry.objects.filter(
        action="case.report", object_id=case.number, client_address="203.0.113.7"
    ).exists()


@pytest.mark.django_db
def test_a_report_with_an_address_and_a_chosen_village_and_a_photo(tree, clock):
    # given
    client = english()
    photo = SimpleUploadedFile("leak.png", PNG, content_type="image/png")
    # when
    response, _token = send_report(
        client,
        clock,
        latitude="",
        longitude="",
        region=tree.villages[1],
        address="村委会东侧50米",
        photos=[photo],
    )
    # then
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.region_code == tree.villages[1]
    assert case.address == "村委会东侧50米"
    assert CasePhoto.objects.filter(case=case, content_type="image/png").count() == 1


@pytest.mark.django_db
def test_bad_input_shows_the_form_again_and_saves_nothing(tree, clock):
    # given
    client = english()
    # when
    response, _token = send_report(
        client,
        clock,
        category="",
        description="",
        latitude="",
        longitude="",
        reporter_phone="12345",
    )
    # then
    errors = errors_of(response)
    assert response.status_code == 200
    assert {"category", "description", "region", "address", "reporter_phone"} <= set(errors)
    assert errors["reporter_phone"] == ["This is not a valid phone number."]
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused(tree, clock):
    # given
    client = english()
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    # when
    response, _token = send_report(client, clock, photos=[fake])
    # then
    assert response.status_code == 200
    assert errors_of(response)["photos"] == ["photo.jpg: only JPEG, PNG or WebP photos up to 5 MB."]
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_pin_outside_every_grid_is_refused_and_the_solved_question_still_counts(tree, clock):
    # given
    client = english()
    response, token = send_report(client, clock, latitude="30.0", longitude="125.0")
    # when
    retry = client.post(reverse("public:report"), report_data(token))
    # then
    assert response.status_code == 200
    assert "outside the county's grids" in " ".join(errors_of(response)["__all__"])
    assert response.context["form"].challenge.token == token
    assert retry.status_code == 302
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_pin_in_another_county_is_refused(tree, clock):
    # given
    client = english()
    # when: a point in a grid of the other county of the test tree
    response, _token = send_report(client, clock, latitude="34.5", longitude="106.5")
    # then
    assert response.status_code == 200
    assert "outside the county's grids" in " ".join(errors_of(response)["__all__"])
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_report_sent_while_signed_in_is_still_a_residents_report(tree, clock, user_factory):
    # given
    client = english()
    client.force_login(user_factory(Role.GRID_WORKER, tree.grids[0]))
    # when
    response, _token = send_report(client, clock)
    # then
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.reporter is None
    assert case.channel == Channel.RESIDENT_WEB
    assert case.events.get(action="report").actor is None


@pytest.mark.django_db
def test_the_publication_consent_box_is_offered_unchecked_in_both_languages(tree):
    # when
    in_english = english().get(reverse("public:report")).content.decode()
    in_chinese = Client(REMOTE_ADDR="203.0.113.8").get(reverse("public:report")).content.decode()
    # then
    box = re.search(r"<input[^>]*name=\"publication_consent\"[^>]*>", in_english)
    assert box is not None
    assert 'type="checkbox"' in box.group()
    assert "checked" not in box.group()
    assert "My report may be published without my name or contact" in in_english
    assert "我的反映可以公开" in in_chinese


@pytest.mark.django_db
@pytest.mark.parametrize(("sent", "consent"), [({}, False), ({"publication_consent": "on"}, True)])
def test_a_report_is_published_only_when_the_box_is_ticked(tree, clock, sent, consent):
    # when
    response, _token = send_report(english(), clock, **sent)
    # then
    assert response.status_code == 302
    assert Case.objects.get().publication_consent is consent


# The challenge


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "message"),
    [("", "Answer the question."), ("999", "That is not the answer. Try the new question.")],
    ids=["missing", "wrong"],
)
def test_a_missing_or_wrong_answer_is_refused(tree, clock, answer, message):
    # given
    client = english()
    # when
    response, _token = send_report(client, clock, challenge_answer=answer)
    # then
    assert response.status_code == 200
    assert errors_of(response)["challenge_answer"] == [message]
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_wrong_answer_burns_the_question_and_a_new_one_is_shown(tree, clock):
    # given
    client = english()
    response, token = send_report(client, clock, challenge_answer="999")
    # when
    retry_old = client.post(reverse("public:report"), report_data(token))
    new_token = response.context["form"].challenge.token
    retry_new = client.post(reverse("public:report"), report_data(new_token))
    # then
    assert new_token != token
    assert f'value="{new_token}"' in response.content.decode()
    assert retry_old.status_code == 200
    assert "challenge_answer" in errors_of(retry_old)
    # The new question was issued when the wrong answer came back, so it too must wait.
    assert errors_of(retry_new)["challenge_answer"] == [
        "That was very fast. Check your report and send it again."
    ]
    clock.shift(timedelta(seconds=challenge.MIN_FILL_SECONDS))
    assert client.post(reverse("public:report"), report_data(new_token)).status_code == 302
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_an_answer_sent_too_fast_is_refused(tree, clock):
    # given
    client = english()
    token = form_token(client)
    # when
    response = client.post(reverse("public:report"), report_data(token))
    # then
    assert response.status_code == 200
    assert errors_of(response)["challenge_answer"] == [
        "That was very fast. Check your report and send it again."
    ]
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_an_empty_answer_sent_fast_asks_for_the_answer(tree, clock):
    # given
    client = english()
    token = form_token(client)
    # when
    response = client.post(reverse("public:report"), report_data(token, challenge_answer=""))
    # then
    assert errors_of(response)["challenge_answer"] == ["Answer the question."]
    assert response.context["form"].challenge.token == token
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_an_expired_question_is_refused(tree, clock):
    # given
    client = english()
    token = form_token(client)
    data = report_data(token)
    clock.shift(timedelta(seconds=challenge.MAX_AGE_SECONDS + 1))
    # when
    response = client.post(reverse("public:report"), data)
    # then
    assert response.status_code == 200
    assert errors_of(response)["challenge_answer"] == [
        "The question has expired. Answer the new one."
    ]
    assert response.context["form"].challenge.token != token
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_forged_or_missing_token_is_refused(tree, clock):
    # given
    client = english()
    token = form_token(client)
    clock.shift(timedelta(seconds=10))
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    # when
    forged_answer = client.post(
        reverse("public:report"), report_data(token, challenge_token=forged)
    )
    no_token = client.post(reverse("public:report"), report_data(token, challenge_token=""))
    # then
    assert "challenge_answer" in errors_of(forged_answer)
    assert "challenge_answer" in errors_of(no_token)
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_filled_honeypot_is_refused(tree, clock):
    # given
    client = english()
    # when
    response, _token = send_report(client, clock, website="http://spam.example")
    # then
    assert response.status_code == 200
    assert errors_of(response)["__all__"] == ["The report could not be sent. Please try again."]
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_solved_form_cannot_be_sent_twice(tree, clock):
    # given
    client = english()
    first, token = send_report(client, clock)
    # when
    replay = client.post(reverse("public:report"), report_data(token))
    # then
    assert first.status_code == 302
    assert replay.status_code == 200
    assert errors_of(replay)["challenge_answer"] == [
        "This form has already been sent. Answer the new question."
    ]
    assert Case.objects.count() == 1


def test_solve_answers_the_question_a_token_asks():
    # given
    issued = challenge.issue()
    # when
    answer = challenge.solve(issued.token)
    # then
    assert answer == str(issued.first + issued.second)
    assert 4 <= int(answer) <= 18


# Rate limits


@pytest.mark.django_db
def test_the_sixth_report_in_an_hour_from_one_address_gets_429(tree, clock):
    # given
    client = english()
    for _ in range(challenge.REPORTS.default_limit):
        assert send_report(client, clock)[0].status_code == 302
    # when
    refused_form = client.get(reverse("public:report"))
    # then
    assert refused_form.status_code == 429
    assert int(refused_form["Retry-After"]) > 0
    assert "Too many reports from this connection" in refused_form.content.decode()
    assert Case.objects.count() == challenge.REPORTS.default_limit
    other = english(Client(REMOTE_ADDR="198.51.100.20"))
    assert other.get(reverse("public:report")).status_code == 200
    clock.shift(timedelta(hours=1))
    assert send_report(client, clock)[0].status_code == 302


@pytest.mark.django_db
def test_a_post_past_the_limit_saves_nothing(tree, clock, settings):
    # given
    settings.GRIDGOV_PUBLIC_REPORTS_PER_HOUR = 1
    client = english()
    token = form_token(client)
    assert send_report(client, clock)[0].status_code == 302
    clock.shift(timedelta(seconds=10))
    # when
    response = client.post(reverse("public:report"), report_data(token))
    # then
    assert response.status_code == 429
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_repeated_wrong_answers_get_429_and_one_audit_row(tree, clock, settings):
    # given
    settings.GRIDGOV_PUBLIC_CHALLENGE_FAILURES_PER_HOUR = 3
    client = english()
    # when
    answers = [send_report(client, clock, challenge_answer="999")[0] for _ in range(3)]
    refused = client.get(reverse("public:report"))
    # then
    assert [response.status_code for response in answers] == [200, 200, 200]
    assert refused.status_code == 429
    denied = AuditEntry.objects.filter(action="public.report", outcome="denied")
    assert denied.count() == 1
    assert denied.get().client_address == "203.0.113.7"


@pytest.mark.django_db
def test_behind_a_trusted_proxy_clients_are_told_apart_by_what_the_proxy_saw(tree, clock, settings):
    # given: one proxy in front; the client may send an X-Forwarded-For of its own
    settings.GRIDGOV_TRUSTED_PROXY_HOPS = 1
    settings.GRIDGOV_PUBLIC_REPORTS_PER_HOUR = 1
    first = english(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1"))
    same_with_a_lie = english(
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="5.6.7.8, 198.51.100.1")
    )
    second = english(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2"))
    # when
    sent = send_report(first, clock)[0]
    # then
    assert sent.status_code == 302
    assert same_with_a_lie.get(reverse("public:report")).status_code == 429
    assert second.get(reverse("public:report")).status_code == 200
    assert AuditEntry.objects.filter(action="case.report", client_address="198.51.100.1").exists()


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", "unknown"),
        (None, "unknown"),
    ],
)
def test_clients_are_counted_by_address_and_ipv6_by_its_64(address, key):
    assert challenge.client_key(address) == key


# Tracking and status


@pytest.mark.django_db
def test_the_status_page_shows_no_personal_data_and_no_staff(tree, user_factory):
    # given
    case = close_case(resident_case(), tree, user_factory)
    client = english()
    # when
    response = client.get(reverse("public:status", args=[case.tracking_token]))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    for secret in [
        NAME,
        "王**",
        PHONE,
        "138****5678",
        "+86" + PHONE,
        "zhang_worker",
        "张网格员",
        "li_secretary",
        "李书记",
        "上门协调",
        "路灯不亮",
    ]:
        assert secret not in body, secret
    # the dispatch names the unit, not the person
    assert f"A handler of {tree.names[case.handling_code]} was assigned." in body
    assert "The handler reported the problem solved." in body
    assert "Closed" in body


@pytest.mark.django_db
def test_the_status_page_shows_category_level_and_expected_date(tree):
    # given
    case = resident_case()
    client = english()
    # when
    response = client.get(reverse("public:status", args=[case.tracking_token]))
    # then
    body = response.content.decode()
    assert "Neighbour dispute" in body
    assert "Village/community" in body
    assert case.resolve_deadline_at is not None
    assert response.context["expected"] == case.resolve_deadline_at


@pytest.mark.django_db
def test_an_escalation_is_a_plain_step_without_anyone_s_name(tree, user_factory):
    # given
    case = resident_case()
    official = user_factory(Role.TOWN_OFFICIAL, tree.towns[0], username="wang_official")
    case_transition(actor=official, case=case, action="escalate", note="王镇长上提")
    # when
    response = english().get(reverse("public:status", args=[case.tracking_token]))
    # then
    body = response.content.decode()
    assert "The case was passed up to the town or street." in body
    assert "Town/street" in body
    assert "wang_official" not in body
    assert "王镇长" not in body


@pytest.mark.django_db
def test_signed_in_staff_see_the_same_public_page_as_anyone(tree, user_factory):
    # given
    case = close_case(resident_case(), tree, user_factory)
    anonymous = english()
    staff = english(Client())
    staff.force_login(user_factory(Role.COUNTY_OPERATOR, tree.county))
    url = reverse("public:status", args=[case.tracking_token])
    # when
    seen_by_anyone, seen_by_staff = anonymous.get(url), staff.get(url)
    # then
    assert seen_by_staff.status_code == seen_by_anyone.status_code == 200
    assert main_of(seen_by_staff) == main_of(seen_by_anyone)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("public:status", "get"),
        ("public:received", "get"),
        ("public:rate", "post"),
        ("public:reopen", "post"),
    ],
)
def test_an_unknown_tracking_number_is_404(tree, name, method):
    # given
    resident_case()
    client = english()
    # when
    response = getattr(client, method)(reverse(name, args=["no-such-token"]))
    # then
    assert response.status_code == 404
    assert "No report with this tracking number" in response.content.decode()


@pytest.mark.django_db
def test_a_case_of_another_county_is_not_on_these_pages(tree):
    # given
    case = resident_case(latitude=34.5, longitude=106.5)
    client = english()
    # when
    status = client.get(reverse("public:status", args=[case.tracking_token]))
    lookup = client.get(reverse("public:track"), {"token": case.tracking_token})
    # then
    assert case.county_code == tree.other_county
    assert status.status_code == 404
    assert lookup.status_code == 404


@pytest.mark.django_db
def test_the_lookup_form_finds_a_report_by_its_tracking_number(tree):
    # given
    case = resident_case()
    client = english()
    # when
    found = client.get(reverse("public:track"), {"token": f" {case.tracking_token} "})
    pasted_link = client.get(
        reverse("public:track"),
        {"token": "http://x/public/track/" + case.tracking_token + "/"},
    )
    missing = client.get(reverse("public:track"), {"token": "nothing-here"})
    by_number = client.get(reverse("public:track"), {"token": case.number})
    # then
    assert found.status_code == 302
    assert found["Location"] == reverse("public:status", args=[case.tracking_token])
    assert pasted_link["Location"] == found["Location"]
    assert missing.status_code == 404
    assert "No report has this tracking number" in missing.content.decode()
    # The case number is sequential, so it is not a key to the status page.
    assert by_number.status_code == 404


# Rating and reopening


@pytest.mark.django_db
def test_a_closed_case_is_rated_once_only(tree, user_factory):
    # given
    case = close_case(resident_case(), tree, user_factory)
    client = english()
    url = reverse("public:rate", args=[case.tracking_token])
    # when
    first = client.post(url, {"rating": "4", "comment": "处理及时"}, follow=True)
    second = client.post(url, {"rating": "1", "comment": "改主意了"})
    # then
    case.refresh_from_db()
    assert first.status_code == 200
    assert "Thank you for your rating." in first.content.decode()
    assert "You rated the handling 4 of 5." in first.content.decode()
    assert 'id="rate-form"' not in first.content.decode()
    assert second.status_code == 409
    assert "This case has already been rated." in second.content.decode()
    assert (case.rating, case.rating_comment) == (4, "处理及时")


@pytest.mark.django_db
def test_a_bad_rating_shows_the_form_again_and_saves_nothing(tree, user_factory):
    # given
    case = close_case(resident_case(), tree, user_factory)
    # when
    response = english().post(reverse("public:rate", args=[case.tracking_token]), {"rating": "9"})
    # then
    case.refresh_from_db()
    assert response.status_code == 200
    assert "rating" in response.context["rate_form"].errors
    assert case.rating is None


@pytest.mark.django_db
def test_an_open_case_cannot_be_rated_or_reopened(tree):
    # given
    case = resident_case()
    client = english()
    # when
    rated = client.post(reverse("public:rate", args=[case.tracking_token]), {"rating": "5"})
    reopened = client.post(
        reverse("public:reopen", args=[case.tracking_token]), {"reason": "还没修"}
    )
    # then
    assert rated.status_code == 409
    assert reopened.status_code == 409
    assert 'id="rate-form"' not in rated.content.decode()
    case.refresh_from_db()
    assert case.state == State.REPORTED
    assert case.rating is None


@pytest.mark.django_db
def test_a_closed_case_is_reopened_within_7_days(tree, user_factory, clock):
    # given
    case = close_case(resident_case(), tree, user_factory)
    clock.shift(timedelta(days=6, hours=23))
    client = english()
    page = client.get(reverse("public:status", args=[case.tracking_token]))
    # when
    response = client.post(
        reverse("public:reopen", args=[case.tracking_token]), {"reason": "水管又漏了"}, follow=True
    )
    # then
    case.refresh_from_db()
    assert 'id="reopen-form"' in page.content.decode()
    assert case.state == State.ACCEPTED
    assert "The case was reopened at your request." in response.content.decode()
    assert "水管又漏了" not in response.content.decode()


@pytest.mark.django_db
def test_after_7_days_the_page_says_so_and_a_reopen_is_refused(tree, user_factory, clock):
    # given
    case = close_case(resident_case(), tree, user_factory)
    clock.shift(timedelta(days=7, minutes=1))
    client = english()
    # when
    page = client.get(reverse("public:status", args=[case.tracking_token]))
    response = client.post(
        reverse("public:reopen", args=[case.tracking_token]), {"reason": "水管又漏了"}
    )
    # then
    case.refresh_from_db()
    assert 'id="reopen-form"' not in page.content.decode()
    assert "within 7 days of closing" in page.content.decode()
    assert response.status_code == 409
    assert "The 7 days for reopening this case have passed." in response.content.decode()
    assert case.state == State.CLOSED


@pytest.mark.django_db
def test_a_reopen_needs_a_reason(tree, user_factory):
    # given
    case = close_case(resident_case(), tree, user_factory)
    # when
    response = english().post(
        reverse("public:reopen", args=[case.tracking_token]), {"reason": "  "}
    )
    # then
    case.refresh_from_db()
    assert response.status_code == 200
    assert "reason" in response.context["reopen_form"].errors
    assert case.state == State.CLOSED


# The map's outlines


@pytest.mark.django_db
def test_the_outlines_are_the_county_s_towns_and_villages_only(tree):
    # given
    client = Client()
    # when
    response = client.get(reverse("public:boundaries"))
    # then
    data = response.json()
    codes = {feature["properties"]["code"] for feature in data["features"]}
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert codes == set(tree.towns) | set(tree.villages)
    assert all(set(f["properties"]) == {"code", "name", "level"} for f in data["features"])
    again = client.get(reverse("public:boundaries"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_the_outlines_are_simplified(tree):
    # given
    from gridgov.regions.models import Region
    from gridgov.regions.services import bump_boundaries_version

    # A village edge with a thousand tiny zigzags (well under the 50 m tolerance).
    village = Region.objects.get(region_code=tree.villages[0])
    minx, miny, maxx, maxy = 107.0, 34.0, 107.25, 35.0
    south = [
        [minx + (maxx - minx) * i / 1000, miny + (0.00001 if i % 2 else 0)] for i in range(1000)
    ]
    ring = [*south, [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]]
    village.boundary = {"type": "Polygon", "coordinates": [ring]}
    village.save()
    bump_boundaries_version()
    # when
    data = Client().get(reverse("public:boundaries")).json()
    # then
    outline = next(f for f in data["features"] if f["properties"]["code"] == tree.villages[0])
    assert len(outline["geometry"]["coordinates"][0]) < 20


@pytest.mark.django_db
def test_the_form_s_scripts_and_styles_come_from_this_server(tree):
    # given
    body = Client().get(reverse("public:report")).content.decode()
    # when
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', body)
    # then
    assert any("public-report.js" in asset for asset in assets)
    assert all(asset.startswith("/static/") for asset in assets), assets


@pytest.mark.django_db
def test_pages_are_in_simplified_chinese_by_default(tree):
    # given
    client = Client()
    # when
    response = client.get(reverse("public:report"))
    # then
    assert response["Content-Language"] == "zh-hans"
    assert "邻里纠纷" in response.content.decode()


# In a real browser, at a phone's width


@pytest.mark.browser
def test_a_resident_reports_from_a_phone_with_a_map_pin(
    transactional_db, live_server, browser, tmp_path
):
    import time

    from gridgov.browser_testing import PHONE as PHONE_SIZE
    from gridgov.browser_testing import new_page
    from gridgov.testing import build_tree

    # given: the test tree, and a phone-sized browser in Chinese
    tree = build_tree()
    errors: list[str] = []
    page = new_page(browser, PHONE_SIZE, errors)
    opened = time.monotonic()
    page.goto(f"{live_server.url}{reverse('public:report')}")
    page.wait_for_selector("#report-map.is-loaded")
    # when: choosing the kind, then the category within it
    page.select_option("#id_category_group", "dispute")
    offered = page.eval_on_selector_all("#id_category option", "o => o.map(x => x.value)")
    page.select_option("#id_category", "dispute-neighbour")
    page.fill("#id_description", "楼上漏水，邻居不肯维修")
    # when: tapping the first village on the map, a little north-west of its middle
    village = page.locator("#report-map path").nth(1)
    box = village.bounding_box()
    village.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.3})
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    chosen_place = page.input_value("#id_region")
    page.fill("#id_reporter_name", NAME)
    page.fill("#id_reporter_phone", PHONE)
    token = page.input_value("input[name=challenge_token]")
    page.fill("#id_challenge_answer", challenge.solve(token))
    time.sleep(max(0.0, challenge.MIN_FILL_SECONDS + 0.5 - (time.monotonic() - opened)))
    page.screenshot(path=str(tmp_path / "report-phone.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#tracking-number")
    tracking = page.inner_text("#tracking-number strong").strip()
    page.click("#status-link")
    page.wait_for_selector("#steps li")
    status_body = page.content()
    status_scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(tmp_path / "status-phone.png"), full_page=True)
    # then: only the dispute categories were offered, the pin set the place, and the case exists
    assert offered
    assert all(value == "" or value.startswith("dispute-") for value in offered)
    assert 107.0 < longitude < 107.125
    assert 34.5 < latitude < 35.0
    assert chosen_place == tree.villages[0]
    case = Case.objects.get()
    assert case.tracking_token == tracking
    assert case.region_code == tree.micro_grids[1]
    assert NAME not in status_body
    assert PHONE not in status_body
    assert scroll_width <= 390
    assert status_scroll_width <= 390
    assert errors == []
