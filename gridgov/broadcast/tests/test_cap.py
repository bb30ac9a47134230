"""The CAP 1.2 alert of a message: every kind, every state, updates and cancels, all validated
against the OASIS schema (`schemas/CAP-v1.2.xsd`, as OASIS publishes it at
docs.oasis-open.org/emergency/cap/v1.2/CAP-v1.2.xsd); and who may read it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree

from gridgov.broadcast.models import Broadcast, MessageKind
from gridgov.broadcast.states import State
from gridgov.regions.geometry import to_shape

pytestmark = pytest.mark.django_db

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "CAP-v1.2.xsd")))
NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}


def _cap(api_as, user, message: Broadcast) -> etree._Element:
    response = api_as(user).get(reverse("broadcast-api:cap", args=[message.pk]))
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/cap+xml")
    document = etree.fromstring(response.content)
    SCHEMA.assertValid(document)
    return document


def _text(document: etree._Element, path: str) -> str:
    found = document.findtext(path, namespaces=NS)
    assert found is not None, path
    return found


def _dispatched(message: Broadcast) -> Broadcast:
    """The message as the dispatcher leaves it once it went out."""
    Broadcast.objects.filter(pk=message.pk).update(
        state=State.DISPATCHED, dispatched_at=timezone.now()
    )
    message.refresh_from_db()
    return message


def _approve(api_as, approver, message: Broadcast) -> None:
    response = api_as(approver).post(
        reverse("broadcast-api:approve", args=[message.pk]), {}, format="json"
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("kind", MessageKind.values)
def test_every_kind_is_a_valid_cap_alert(tree, people, compose, api_as, kind) -> None:
    # given an approved message of the kind to two villages of a town
    targets = [tree.villages[0], tree.villages[1]]
    message = compose(people["town"], targets, kind=kind, severity="Moderate")
    _approve(api_as, people["town_colleague"], message)
    # when its CAP alert is read
    document = _cap(api_as, people["town"], message)
    # then it is an Actual Alert saying what the message says, in Chinese, for those villages
    message.refresh_from_db()
    assert _text(document, "cap:identifier") == str(message.identifier)
    assert _text(document, "cap:status") == "Actual"
    assert _text(document, "cap:msgType") == "Alert"
    assert _text(document, "cap:scope") == "Public"
    assert document.find("cap:references", NS) is None
    assert _text(document, "cap:info/cap:language") == "zh-CN"
    assert _text(document, "cap:info/cap:headline") == message.title
    assert _text(document, "cap:info/cap:description") == message.text
    assert _text(document, "cap:info/cap:severity") == "Moderate"
    assert _text(document, "cap:info/cap:urgency") == message.urgency
    assert _text(document, "cap:info/cap:certainty") == message.certainty
    with translation.override("zh-hans"):
        chinese_name = str(MessageKind(kind).label)
    assert _text(document, "cap:info/cap:event") == chinese_name
    assert _text(document, "cap:info/cap:area/cap:areaDesc") == (
        "、".join(tree.names[code] for code in targets)
    )


def test_the_area_holds_each_target_regions_boundary(tree, people, compose, api_as) -> None:
    # given a message to a village and a whole town
    targets = [tree.villages[0], tree.towns[1]]
    message = compose(people["operator"], targets, kind="fire")
    # when its CAP alert is read
    document = _cap(api_as, people["operator"], message)
    # then each polygon is the outline of one target, as latitude,longitude pairs, closed
    polygons = [element.text for element in document.findall("cap:info/cap:area/cap:polygon", NS)]
    assert len(polygons) == len(targets)
    for code, polygon in zip(targets, polygons, strict=True):
        pairs = [tuple(float(part) for part in pair.split(",")) for pair in polygon.split()]
        assert pairs[0] == pairs[-1]
        outline = to_shape(tree.region(code).boundary)
        expected = {(round(lat, 6), round(lon, 6)) for lon, lat in outline.exterior.coords}
        assert set(pairs) == expected


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.REJECTED])
def test_a_message_never_sent_is_a_draft(tree, people, compose, api_as, state) -> None:
    # given a message that has not gone out
    message = compose(people["secretary"], [tree.villages[0]], submit=state != State.DRAFT)
    if state == State.REJECTED:
        response = api_as(people["town"]).post(
            reverse("broadcast-api:reject", args=[message.pk]), {"note": "措辞不当"}, format="json"
        )
        assert response.status_code == 200
    # when its CAP alert is read
    document = _cap(api_as, people["secretary"], message)
    # then CAP calls it a draft
    assert _text(document, "cap:status") == "Draft"
    assert _text(document, "cap:msgType") == "Alert"


def test_an_update_references_the_message_it_updates(tree, people, compose, api_as) -> None:
    # given a sent flood warning, whose alert a receiver holds
    original = _dispatched(compose(people["town"], [tree.villages[0]]))
    held = _cap(api_as, people["town"], original)
    # when an update of it is composed
    update = compose(people["town"], [tree.villages[0]], supersedes_id=original.pk)
    document = _cap(api_as, people["town"], update)
    # then it is an Update naming the original by its sender, identifier and sent time
    assert _text(document, "cap:msgType") == "Update"
    assert _text(document, "cap:identifier") == str(update.identifier)
    assert _text(document, "cap:references") == ",".join(
        [_text(held, "cap:sender"), _text(held, "cap:identifier"), _text(held, "cap:sent")]
    )


def test_a_cancelled_message_answers_with_its_cancel(tree, people, compose, api_as) -> None:
    # given a sent message, whose alert a receiver holds
    original = _dispatched(compose(people["operator"], [tree.towns[0]]))
    held = _cap(api_as, people["operator"], original)
    # when its composer cancels it
    response = api_as(people["operator"]).post(
        reverse("broadcast-api:cancel", args=[original.pk]), {"note": "水位回落"}, format="json"
    )
    assert response.status_code == 200, response.content
    document = _cap(api_as, people["operator"], original)
    # then the alert is a Cancel of its own, referencing what was heard
    original.refresh_from_db()
    assert _text(document, "cap:msgType") == "Cancel"
    assert _text(document, "cap:status") == "Actual"
    assert _text(document, "cap:identifier") == str(original.cancel_identifier)
    assert _text(document, "cap:identifier") != _text(held, "cap:identifier")
    assert _text(document, "cap:references") == ",".join(
        [_text(held, "cap:sender"), _text(held, "cap:identifier"), _text(held, "cap:sent")]
    )


def test_a_cancel_before_sending_stays_a_draft(tree, people, compose, api_as) -> None:
    # given a submitted message withdrawn before anyone approved it
    message = compose(people["operator"], [tree.towns[0]])
    response = api_as(people["operator"]).post(
        reverse("broadcast-api:cancel", args=[message.pk]), {}, format="json"
    )
    assert response.status_code == 200
    # when its CAP alert is read
    document = _cap(api_as, people["operator"], message)
    # then nothing was heard, so there is nothing to cancel: a draft alert
    assert _text(document, "cap:status") == "Draft"
    assert _text(document, "cap:msgType") == "Alert"


def test_the_audio_is_a_resource_with_its_size_and_digest(
    tree, people, compose, api_as, settings, tmp_path
) -> None:
    # given a message with a recording
    settings.MEDIA_ROOT = tmp_path
    recording = b"ID3" + bytes(range(256)) * 40
    message = compose(people["operator"], [tree.villages[0]])
    message.audio.save("flood.mp3", ContentFile(recording))
    # when its CAP alert is read
    document = _cap(api_as, people["operator"], message)
    # then the recording is described by its type, size and SHA-1 digest
    resource = "cap:info/cap:resource/cap:"
    assert _text(document, resource + "mimeType") == "audio/mpeg"
    assert int(_text(document, resource + "size")) == len(recording)
    assert _text(document, resource + "digest") == hashlib.sha1(recording).hexdigest()  # noqa: S324


def test_without_audio_there_is_no_resource(tree, people, compose, api_as) -> None:
    # given a message read out as text
    message = compose(people["operator"], [tree.villages[0]])
    # when its CAP alert is read
    document = _cap(api_as, people["operator"], message)
    # then it lists no resource
    assert document.find("cap:info/cap:resource", NS) is None


def test_another_jurisdiction_gets_404(tree, people, compose, api_as) -> None:
    # given a message of the first town
    message = compose(people["town"], [tree.villages[0]])
    # when an official of another town, or of another county, asks for its alert
    for outsider in (people["other_town"], people["other_county_operator"]):
        response = api_as(outsider).get(reverse("broadcast-api:cap", args=[message.pk]))
        # then it does not exist for them
        assert response.status_code == 404


def test_a_missing_message_is_404(people, api_as) -> None:
    # when the alert of a message that does not exist is asked for
    response = api_as(people["operator"]).get(reverse("broadcast-api:cap", args=[987654321]))
    # then
    assert response.status_code == 404


def test_a_role_without_the_broadcast_gets_403(tree, people, compose, api_as) -> None:
    # given a message of the grid worker's own village
    message = compose(people["secretary"], [tree.villages[0]])
    # when the grid worker, who has no part in the broadcast, asks for its alert
    response = api_as(people["worker"]).get(reverse("broadcast-api:cap", args=[message.pk]))
    # then
    assert response.status_code == 403
