"""Idempotency-Key on POSTs: a replay returns the stored response and creates nothing, another
payload under the same key answers 422, and concurrent replays create exactly one case."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.client import encode_multipart
from django.utils import timezone
from rest_framework.test import APIClient

from gridgov.cases.api import cases as cases_api
from gridgov.cases.catalogue import seed_categories
from gridgov.cases.models import Case, CaseEvent, Category
from gridgov.core.access import Role
from gridgov.core.errors import ValidationFailed
from gridgov.core.idempotency import REPLAYED_HEADER, idempotency_records_purge, idempotent
from gridgov.core.models import IdempotencyRecord
from gridgov.core.tasks import purge_idempotency_keys
from gridgov.testing import build_tree, make_user

CASES = "/api/v1/cases/"
KEY = "3f2b8c1e-5d4a-4e7b-9c21-0a6f5e4d3c2b"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def payload(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category": "dispute-neighbour",
        "description": "楼上漏水，邻居不肯维修",
        "lat": 34.2,
        "lng": 107.06,
        "reporter_phone": "13812345678",
    }
    data.update(overrides)
    return data


@pytest.fixture
def worker(tree, user_factory):
    return user_factory(Role.GRID_WORKER, tree.grids[0])


@pytest.fixture
def client(worker, api_as) -> APIClient:
    return api_as(worker)


def post_case(client: APIClient, key: str | None = KEY, **overrides: Any) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(CASES, payload(**overrides), format="json", headers=headers)


# --- replays ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_replay_returns_the_first_response_and_creates_nothing(client):
    # when
    first = post_case(client)
    again = post_case(client)
    # then
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Location"] == first["Location"]
    assert again[REPLAYED_HEADER] == "true"
    assert REPLAYED_HEADER not in first
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_every_post_creates(client):
    post_case(client, key=None)
    post_case(client, key=None)
    assert Case.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.django_db
def test_same_key_with_another_payload_is_422(client):
    # given
    post_case(client)
    # when
    response = post_case(client, description="另一件事")
    # then
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_same_key_on_another_endpoint_is_422(client):
    # given
    number = post_case(client).json()["number"]
    # when
    response = client.post(
        f"{CASES}{number}/transition/",
        payload(),
        format="json",
        HTTP_IDEMPOTENCY_KEY=KEY,
    )
    # then
    assert response.status_code == 422


@pytest.mark.django_db
def test_keys_are_scoped_to_their_user(tree, client, user_factory, api_as):
    # given
    other = api_as(user_factory(Role.GRID_WORKER, tree.grids[0], username="another_worker"))
    # when
    mine = post_case(client)
    theirs = post_case(other)
    # then
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["number"] != theirs.json()["number"]
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_json_key_order_and_spacing_do_not_change_the_fingerprint(client):
    # given
    post_case(client)
    reordered = '{"lng": 107.06, "lat": 34.2,  "reporter_phone": "13812345678", '
    reordered += '"description": "楼上漏水，邻居不肯维修", "category": "dispute-neighbour"}'
    # when
    response = client.post(
        CASES, reordered, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY
    )
    # then
    assert response.status_code == 201
    assert response[REPLAYED_HEADER] == "true"
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_multipart_replay_with_a_new_boundary_is_a_replay(client):
    # given: a retrying client draws a new boundary; the content is the same
    def send(boundary: str, photo: bytes) -> Any:
        data = {**payload(), "photos": [_upload(photo)]}
        return client.generic(
            "POST",
            CASES,
            encode_multipart(boundary, data),
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_IDEMPOTENCY_KEY=KEY,
        )

    # when
    first = send("boundary-one", PNG)
    again = send("boundary-two", PNG)
    other_photo = send("boundary-three", PNG + b"\x01")
    # then
    assert first.status_code == 201, first.content
    assert again.status_code == 201
    assert again[REPLAYED_HEADER] == "true"
    assert other_photo.status_code == 422
    assert Case.objects.count() == 1


def _upload(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.png", content, content_type="image/png")


@pytest.mark.django_db
def test_a_replayed_transition_is_not_applied_twice(tree, client, user_factory, api_as):
    # given
    number = post_case(client, key=None).json()["number"]
    secretary = api_as(user_factory(Role.VILLAGE_SECRETARY, tree.villages[0]))
    url = f"{CASES}{number}/transition/"
    # when: without the key the second accept would be refused (409)
    first = secretary.post(url, {"action": "accept"}, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    again = secretary.post(url, {"action": "accept"}, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    # then
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert CaseEvent.objects.filter(case__number=number, action="accept").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "中文"])
def test_a_malformed_key_is_400_and_creates_nothing(client, key):
    response = post_case(client, key=key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_refused_request_keeps_no_key_so_a_corrected_one_may_use_it(client):
    # given
    refused = post_case(client, description="")
    # when
    corrected = post_case(client)
    # then
    assert refused.status_code == 400
    assert corrected.status_code == 201
    assert REPLAYED_HEADER not in corrected
    assert Case.objects.count() == 1


# --- a plain Django view --------------------------------------------------------------------


def _plain_view(calls: list[bytes], status: int = 201) -> Callable[[HttpRequest], HttpResponse]:
    @idempotent
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(request.body)
        response = HttpResponse(f"created #{len(calls)}", status=status, content_type="text/plain")
        response["Location"] = f"/things/{len(calls)}/"
        return response

    return view


def _plain_post(body: str, key: str = KEY, address: str = "10.0.0.7") -> HttpRequest:
    request = RequestFactory().post(
        "/things/",
        body,
        content_type="text/plain",
        HTTP_IDEMPOTENCY_KEY=key,
        REMOTE_ADDR=address,
    )
    request.user = AnonymousUser()
    return request


@pytest.mark.django_db
def test_plain_django_view_is_replayed_per_client_address():
    # given
    calls: list[bytes] = []
    view = _plain_view(calls)
    # when
    first = view(_plain_post("one"))
    again = view(_plain_post("one"))
    reused = view(_plain_post("two"))
    elsewhere = view(_plain_post("one", address="10.0.0.8"))
    # then
    assert calls == [b"one", b"one"]
    assert (first.status_code, first.content) == (201, b"created #1")
    assert (again.status_code, again.content, again["Location"]) == (
        201,
        b"created #1",
        "/things/1/",
    )
    assert reused.status_code == 422
    assert elsewhere.content == b"created #2"


@pytest.mark.django_db
def test_a_server_error_is_not_stored_so_the_retry_runs_again():
    # given
    calls: list[bytes] = []
    view = _plain_view(calls, status=503)
    # when
    view(_plain_post("one"))
    view(_plain_post("one"))
    # then
    assert len(calls) == 2
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.django_db
def test_get_requests_ignore_the_key():
    calls: list[bytes] = []
    view = _plain_view(calls, status=200)
    request = RequestFactory().get("/things/", HTTP_IDEMPOTENCY_KEY=KEY)
    request.user = AnonymousUser()
    view(request)
    view(request)
    assert len(calls) == 2


# --- purge ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_keys_older_than_a_day_are_purged(client):
    # given
    post_case(client, key="old")
    post_case(client, key="fresh", description="另一件事")
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    # when
    purged = idempotency_records_purge()
    # then
    assert purged == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
    # A purged key is free again: the request runs anew.
    assert REPLAYED_HEADER not in post_case(client, key="old")
    assert Case.objects.count() == 3


@pytest.mark.django_db
def test_the_periodic_task_purges(client):
    post_case(client)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert purge_idempotency_keys.call_local() == 1
    assert IdempotencyRecord.objects.count() == 0


# --- concurrency ----------------------------------------------------------------------------


@pytest.fixture
def shared_worker(transactional_db: None, tmp_path: Path) -> Iterator[Any]:
    """A grid worker in a database that threads really share, each with its own connection.

    PostgreSQL's test database already is one. SQLite's test database is in memory, and
    connections to it share one cache with table locks instead of the file locking a real
    deployment has; so the data is copied to a file that the threads open with the project's
    settings (WAL, BEGIN IMMEDIATE, busy timeout).
    """
    tree = build_tree()
    worker = make_user(Role.GRID_WORKER, tree.grids[0])
    connection: Any = connections["default"]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield worker
        return
    path = tmp_path / "shared.sqlite3"
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    original = connections.settings["default"]
    connections.settings["default"] = {**original, "NAME": str(path)}
    try:
        yield worker
    finally:
        connections.settings["default"] = original


def in_thread(function: Callable[[], Any]) -> Any:
    """Run `function` on a thread of its own (its own database connection) and return its result."""
    results: list[Any] = []

    def run() -> None:
        try:
            results.append(function())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return results[0]


def post_concurrently(user: Any, count: int) -> list[tuple[float, Any]]:
    """`count` threads POST the same key at the same moment; (start time, response) each."""
    barrier = threading.Barrier(count)
    results: list[tuple[float, Any]] = []

    def run() -> None:
        try:
            client = APIClient()
            client.force_authenticate(user=user)
            barrier.wait(timeout=30)
            started = time.monotonic()
            results.append((started, post_case(client)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def slow_report(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Hold the first report open inside its transaction, so the other requests arrive while it
    runs; optionally make that first attempt fail."""
    state: dict[str, Any] = {"calls": 0, "finished_at": None, "fail_first": False}
    real = cases_api.case_report
    lock = threading.Lock()

    def held(**kwargs: Any) -> Any:
        with lock:
            state["calls"] += 1
            call = state["calls"]
        case = real(**kwargs)
        if call == 1:
            time.sleep(0.5)
            state["finished_at"] = time.monotonic()
            if state["fail_first"]:
                raise ValidationFailed.from_messages({"description": ["refused on purpose"]})
        return case

    monkeypatch.setattr(cases_api, "case_report", held)
    return state


@pytest.fixture
def seeded_categories(transactional_db: None) -> None:
    # A transactional test's database was emptied by the test before it: the categories the
    # first data migration seeds are put back (serialized_rollback would clash with the content
    # types the flush recreates, depending on which test ran before).
    seed_categories(Category)


@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_create_exactly_one_case(seeded_categories, shared_worker, slow_report):
    # when
    results = post_concurrently(shared_worker, 3)
    # then
    assert len(results) == 3
    statuses = sorted(response.status_code for _, response in results)
    assert statuses == [201, 201, 201], [response.content for _, response in results]
    assert len({response.content for _, response in results}) == 1
    assert sum(response.has_header(REPLAYED_HEADER) for _, response in results) == 2
    # They really overlapped: every request started before the first one finished.
    assert all(started < slow_report["finished_at"] for started, _ in results)
    assert slow_report["calls"] == 1
    assert in_thread(lambda: Case.objects.count()) == 1
    assert in_thread(lambda: IdempotencyRecord.objects.count()) == 1


@pytest.mark.django_db(transaction=True)
def test_when_the_first_of_concurrent_requests_fails_a_waiting_one_runs(
    seeded_categories, shared_worker, slow_report
):
    # given
    slow_report["fail_first"] = True
    # when
    results = post_concurrently(shared_worker, 2)
    # then
    statuses = sorted(response.status_code for _, response in results)
    assert statuses == [201, 400], [response.content for _, response in results]
    assert slow_report["calls"] == 2
    assert in_thread(lambda: Case.objects.count()) == 1
