"""The emergency broadcast's journey in a real browser, at 1,440 px and at 390 px: the operator
composes a flood warning for two villages, the county leader approves it, it reaches every
simulated online loudspeaker over MQTT (signed, acknowledged), the offline ones show as failed on
the delivery page, and the operator cancels it: its CAP alert is then a Cancel referencing it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from lxml import etree

from gridgov.broadcast.listener import DeliveryListener
from gridgov.broadcast.models import (
    Broadcast,
    Delivery,
    DeliveryStatus,
    Terminal,
    TerminalKind,
    TerminalStatus,
)
from gridgov.broadcast.signing import server_public_key
from gridgov.broadcast.simulator import TerminalSimulator
from gridgov.broadcast.states import State
from gridgov.broadcast.terminal_services import terminal_keys_register
from gridgov.browser_testing import PHONE, WIDE, new_page, note_overflow
from gridgov.cases.tests.test_journey_browser import log_in
from gridgov.core.access import Role
from gridgov.testing import build_tree, make_user

pytestmark = [pytest.mark.browser]

SIZES = [pytest.param(WIDE, id="1440px"), pytest.param(PHONE, id="390px")]
CAP = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "CAP-v1.2.xsd")))


def _until(done: Callable[[], bool], step: Callable[[], Any], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "timed out"
        step()


@pytest.mark.parametrize("size", SIZES)
def test_a_flood_warning_from_composing_to_its_cancel(
    transactional_db: None, live_server: Any, browser: Any, mqtt_broker: str, size: Any
) -> None:
    # given two villages with a loudspeaker online and one offline each, a third village's too
    cache.clear()
    tree = build_tree()
    villages = tree.villages[:2]
    for village in tree.villages[:3]:
        for number, status in ((1, TerminalStatus.ONLINE), (2, TerminalStatus.OFFLINE)):
            Terminal(
                code=f"T{village}{number}",
                name=f"{tree.names[village]}{number}号喇叭",
                kind=TerminalKind.LOUDSPEAKER,
                status=status,
                region_code=village,
            ).save()
    online = {f"T{village}1" for village in villages}
    offline = {f"T{village}2" for village in villages}
    operator = make_user(Role.COUNTY_OPERATOR, tree.county, username="flood_operator")
    leader = make_user(Role.COUNTY_LEADER, tree.county, username="flood_leader")
    # and the loudspeakers simulated on the broker, the server listening for their answers
    simulator = TerminalSimulator(
        url=mqtt_broker,
        codes=list(Terminal.objects.values_list("code", flat=True)),
        server_key=server_public_key(),
        offline_codes={code for code in Terminal.objects.values_list("code", flat=True)}
        - {f"T{village}1" for village in tree.villages[:3]},
    )
    terminal_keys_register(keys=simulator.public_keys())
    simulator.start()
    listener = DeliveryListener(mqtt_broker, client_id=f"journey-{time.monotonic_ns()}").start()
    errors: list[str] = []
    overflow: list[str] = []
    try:
        # when the operator composes a flood warning for the two villages and submits it
        page = new_page(browser, size, errors)
        log_in(page, live_server.url, operator)
        page.goto(f"{live_server.url}/broadcast/new/")
        page.fill("#id_title", "渭河防汛紧急通知")
        page.fill("#id_text", "渭河水位上涨，沿河群众请立即向高处转移。")
        page.select_option("#id_kind", "flood")
        page.select_option("#id_severity", "Severe")
        page.select_option("#id_urgency", "Immediate")
        page.select_option("#id_certainty", "Likely")
        page.select_option("#id_targets", villages)
        note_overflow(page, size, "compose", overflow)
        with page.expect_navigation():
            page.click("button[name=step][value=submit]")
        message = Broadcast.objects.get()
        assert message.state == State.SUBMITTED
        # and the county leader approves the exact text
        approver = new_page(browser, size, errors)
        log_in(approver, live_server.url, leader)
        approver.goto(f"{live_server.url}/broadcast/{message.pk}/")
        assert "渭河水位上涨，沿河群众请立即向高处转移。" in approver.inner_text("[data-text]")
        with approver.expect_navigation():
            approver.click("form[data-step=approve] button[type=submit]")
        # then it went out at once to the four loudspeakers of the two villages
        message.refresh_from_db()
        assert message.state == State.DISPATCHED
        reached = set(
            Delivery.objects.filter(broadcast=message).values_list("terminal__code", flat=True)
        )
        assert reached == online | offline
        # every online one played it once and said so
        _until(
            lambda: (
                Delivery.objects.filter(broadcast=message, status=DeliveryStatus.PLAYED).count()
                == len(online)
            ),
            lambda: listener.run_once(wait=0.05),
        )
        for code in online:
            assert len(simulator.plays_of(code)) == 1
        assert simulator.refusals == {}
        # the operator follows the delivery from the message's page
        page.goto(f"{live_server.url}/broadcast/{message.pk}/")
        with page.expect_navigation():
            page.click("a[data-deliveries]")
        progress = page.locator("[data-delivered]")
        assert progress.get_attribute("data-delivered") == str(len(online))
        assert progress.get_attribute("data-total") == str(len(reached))
        for code in offline:
            assert page.locator(f"[data-failed-terminal='{code}']").get_attribute(
                "data-detail"
            ) == ("offline")
        for village in villages:
            assert page.locator(f"tr[data-place='{village}']").get_attribute("data-failed") == "1"
        assert page.get_attribute("#delivery-progress", "hx-trigger") == "every 3s"
        note_overflow(page, size, "deliveries", overflow)
        # when the operator cancels the message
        page.goto(f"{live_server.url}/broadcast/{message.pk}/")
        page.fill("#note-cancel", "水位回落，解除预警")
        with page.expect_navigation():
            page.click("form[data-step=cancel] button[type=submit]")
        message.refresh_from_db()
        assert message.state == State.CANCELLED
        # then its CAP alert is a Cancel that references the original alert
        cap = page.request.get(f"{live_server.url}/api/v1/broadcasts/{message.pk}/cap.xml")
        assert cap.status == 200
        document = etree.fromstring(cap.body())
        SCHEMA.assertValid(document)
        assert document.findtext("cap:msgType", namespaces=CAP) == "Cancel"
        assert document.findtext("cap:identifier", namespaces=CAP) == str(message.cancel_identifier)
        references = document.findtext("cap:references", namespaces=CAP) or ""
        assert str(message.identifier) in references.split(",")
        assert page.locator("[data-state]").first.get_attribute("data-state") == State.CANCELLED
    finally:
        listener.stop()
        simulator.stop()
    assert overflow == []
    assert errors == []
