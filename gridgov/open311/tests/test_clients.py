"""API clients: keys stored only as a keyed hash, the create_open311_key command, the demo key."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from gridgov.cases.models import Case
from gridgov.core.errors import PermissionDenied, ValidationFailed
from gridgov.demo.open311_client import demo_open311_key
from gridgov.open311 import selectors
from gridgov.open311.models import Open311Client
from gridgov.open311.services import open311_client_create
from gridgov.open311.tests.conftest import BASE, INSIDE


@pytest.mark.django_db
def test_a_key_is_stored_only_as_its_hash():
    # when
    client, raw_key = open311_client_create(name="city-app")
    # then
    stored = json.dumps(model_to_dict(Open311Client.objects.get(pk=client.pk)), default=str)
    assert raw_key not in stored
    assert len(raw_key) >= 32
    assert selectors.client_by_key(raw_key=raw_key) == client
    with pytest.raises(PermissionDenied):
        selectors.client_by_key(raw_key=raw_key[:-1])


@pytest.mark.django_db
def test_two_clients_get_different_keys_and_names_are_unique():
    # given
    _, first = open311_client_create(name="one")
    _, second = open311_client_create(name="two")
    # when / then
    assert first != second
    with pytest.raises(ValidationFailed):
        open311_client_create(name="one")
    with pytest.raises(ValidationFailed):
        open311_client_create(name="  ")


@pytest.mark.django_db
def test_command_prints_a_working_key_once(client, tree):
    # given
    out, err = StringIO(), StringIO()
    # when
    call_command("create_open311_key", "township-app", stdout=out, stderr=err)
    raw_key = out.getvalue().strip()
    response = client.post(
        f"{BASE}requests.json",
        {"api_key": raw_key, "service_code": "infrastructure-road", **INSIDE},
    )
    # then
    assert "township-app" in err.getvalue()
    assert raw_key not in err.getvalue()
    assert response.status_code == 200, response.content
    assert Case.objects.get().open311_request.client.name == "township-app"
    with pytest.raises(CommandError):
        call_command("create_open311_key", "township-app", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_demo_key_is_idempotent_and_works(client, tree):
    # when
    first = demo_open311_key()
    second = demo_open311_key()
    response = client.post(
        f"{BASE}requests.xml",
        {"api_key": second["api_key"], "service_code": "environment-waste", **INSIDE},
    )
    # then
    assert (
        first
        == second
        == {
            "username": "open311-demo",
            "role": "open311_client",
            "api_key": "demo-open311-key-610324",
            "region_code": "610324",
            "password": "",
        }
    )
    assert Open311Client.objects.filter(name="open311-demo").count() == 1
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_demo_key_reactivates_a_deactivated_demo_client(client, tree):
    # given
    key = demo_open311_key()["api_key"]
    Open311Client.objects.update(is_active=False)
    # when
    demo_open311_key()
    # then
    assert selectors.client_by_key(raw_key=key).name == "open311-demo"
