"""Following a report by phone: the case number with a 6-character code a person can read out
(no 0/O/1/I/L, any letter case), or with the last four digits of the phone given; failed look-ups
limited per connection; the status page shows what was done, with the handler's note for the
resident masked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gridgov.cases import challenge
from gridgov.cases.services import case_transition
from gridgov.cases.tests.test_public import PHONE, english, resident_case
from gridgov.cases.tracking import ALPHABET, normalize_code
from gridgov.core.access import Role
from gridgov.testing import Tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _county_and_empty_cache(tree: Tree) -> Iterator[None]:
    # The reports need the test county's grids; rate-limit counters live in the cache.
    cache.clear()
    yield
    cache.clear()


def look_up(number: str, code: str, client: Client | None = None) -> Any:
    return (client or english()).get(reverse("public:track"), {"number": number, "code": code})


def test_a_report_gets_a_short_code_without_look_alike_characters():
    case = resident_case()
    assert re.fullmatch(rf"[{ALPHABET}]{{6}}", case.tracking_code)
    assert not set("0O1IL") & set(case.tracking_code)
    assert normalize_code(" " + case.tracking_code[:3].lower() + "-" + case.tracking_code[3:]) == (
        case.tracking_code
    )


def test_the_receipt_shows_the_number_and_code_with_a_copy_button():
    case = resident_case()
    response = english().get(reverse("public:received", args=[case.tracking_token]))
    body = response.content.decode()
    assert f'id="short-code">{case.tracking_code}<' in body
    assert f'data-copy="{case.number} {case.tracking_code}"' in body
    assert "/static/gridgov/copy.js" in body


def test_the_number_and_code_read_aloud_in_lower_case_find_the_report():
    case = resident_case()
    spoken = " ".join(case.tracking_code.lower())
    response = look_up(case.number, spoken)
    assert response.status_code == 302
    assert response["Location"] == reverse("public:status", args=[case.tracking_token])


def test_the_last_four_digits_of_the_phone_find_it_too():
    case = resident_case()
    response = look_up(case.number, PHONE[-4:])
    assert response.status_code == 302
    assert response["Location"] == reverse("public:status", args=[case.tracking_token])


def test_a_wrong_code_a_wrong_phone_and_a_wrong_number_answer_alike():
    case = resident_case()
    other = "".join(c for c in ALPHABET if c not in case.tracking_code)[:6]
    answers = [
        look_up(case.number, other),
        look_up(case.number, "0000" if not PHONE.endswith("0000") else "1111"),
        look_up("610324-20991231-000001", case.tracking_code),
    ]
    assert [answer.status_code for answer in answers] == [404, 404, 404]
    messages = {str(answer.context["code_form"].non_field_errors()) for answer in answers}
    assert len(messages) == 1


def test_malformed_input_is_a_400_that_says_what_is_expected():
    response = look_up("12345", "LLLLLL")
    assert response.status_code == 400
    form = response.context["code_form"]
    assert set(form.errors) == {"number", "code"}


def test_failed_look_ups_are_limited_per_connection(settings):
    settings.GRIDGOV_PUBLIC_LOOKUP_FAILURES_PER_HOUR = 3
    case = resident_case()
    client = english()
    wrong = "".join(c for c in ALPHABET if c not in case.tracking_code)[:6]
    statuses = [look_up(case.number, wrong, client).status_code for _ in range(3)]
    # then even the right code waits for the hour to pass
    assert statuses == [404, 404, 404]
    blocked = look_up(case.number, case.tracking_code, client)
    assert blocked.status_code == 429
    assert challenge.LOOKUP_FAILURES.limit == 3


def test_the_status_page_shows_the_handlers_note_for_the_resident_masked(tree, user_factory):
    # given a case resolved with an internal note and a note for the resident
    case = resident_case()
    worker = user_factory(Role.GRID_WORKER, tree.grids[0], username="zhang_worker")
    secretary = user_factory(Role.VILLAGE_SECRETARY, tree.villages[0], username="li_secretary")
    case = case_transition(actor=secretary, case=case, action="accept")
    case = case_transition(actor=secretary, case=case, action="dispatch", assignee=worker)
    case = case_transition(actor=worker, case=case, action="start")
    case_transition(
        actor=worker,
        case=case,
        action="resolve",
        note="王小明家的线路老化，内部记录",
        public_note="已更换灯泡。如再坏请打 138 1234 5678 找王小明",
    )
    # when the resident opens the status page
    body = english().get(reverse("public:status", args=[case.tracking_token])).content.decode()
    # then they read what was done for them, with the phone and the name masked
    assert "已更换灯泡" in body
    assert "138 1234 5678" not in body
    assert "王小明" not in body
    assert "内部记录" not in body
