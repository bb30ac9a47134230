"""Sending SMS through a pluggable backend (settings.SMS_BACKEND). No vendor is reachable from
here, so the default writes to the console; tests use the in-memory outbox."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from gridgov.core.pii import mask_phone

logger = logging.getLogger("gridgov.sms")


@dataclass(frozen=True)
class Sms:
    to: str  # E.164
    body: str


class ConsoleBackend:
    """For the demo and development: the log gets the message with the number masked (logs are
    copied and kept where personal data must not be)."""

    def send(self, message: Sms) -> None:
        logger.info("SMS to %s: %s", mask_phone(message.to), message.body)


class LocmemBackend:
    """Keeps messages in `outbox` (tests)."""

    outbox: list[Sms] = []

    def send(self, message: Sms) -> None:
        LocmemBackend.outbox.append(message)


def send_sms(*, to: str, body: str) -> None:
    if not to:
        return
    backend = import_string(settings.SMS_BACKEND)()
    backend.send(Sms(to=to, body=body))
