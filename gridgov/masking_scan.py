"""The masking scan: a pytest plugin that reads every response the suite's test clients receive
(API answers, pages, spreadsheets) and fails the test that received one carrying a whole, valid ID
number or mobile number, unless it came from a reveal action, the one place a full value may be
shown. At the end it reports how many responses it scanned.

Cheap enough to run under the whole suite: one bytes regex over each body; only its rare
candidates are checked further (an ID number's check character and birth date, a mobile number's
validity). A work phone a community chose to publish is rendered inside an element marked
`data-published-phone` and skipped.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from typing import Any
from urllib.parse import unquote_plus

import phonenumbers
import pytest
from django.test import client as django_client
from django.urls import Resolver404

from gridgov.people.idnumbers import plausible_id_anywhere

# The routes that show a full value on purpose: they are permission-checked, need a reason and
# write an audit row (the unmasked export is the reveal of a whole selection).
REVEAL_ROUTES = frozenset(
    {
        "people-api:resident-reveal",
        "people:resident-reveal",
        "people-api:resident-export-unmasked",
        "people:export-unmasked",
        "cases-api:case-reveal-contact",
        "cases:reveal-contact",
        "volunteers-api:wish-phone",
        "volunteers:wish-phone",
    }
)
_ID = re.compile(rb"(?<![0-9A-Za-z])([1-9][0-9]{16}[0-9Xx])(?![0-9A-Za-z])")
# A number run into letters or other digits is part of something else: a token, a hash, a file
# name; one after a decimal point is a fraction. Without the letters in the guards, a random hex
# token such as an API key fails the scan about one login in five hundred (measured over 20,000
# random keys); without the point, a spreadsheet's date cell (46361.13938857741: a serial day and
# the time of day as a fraction) fails it for the hours whose fraction starts .13 to .19.
_MOBILE = re.compile(rb"(?<![0-9A-Za-z.])(?:(?:\+|00)?86[ -]?)?(1[3-9][0-9]{9})(?![0-9A-Za-z])")
_PUBLISHED = re.compile(rb"<[a-z]+ [^>]*data-published-phone[^>]*>[^<]*</[a-z]+>")
_SPREADSHEET = "spreadsheetml"

TALLY: Counter[str] = Counter()


class MaskingLeak(AssertionError):
    """A response carried a full ID number or mobile number outside a reveal action."""


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        # Read it and put it back, so the test still gets its content.
        content = b"".join(response.streaming_content)
        response.streaming_content = [content]
        return content
    return bytes(getattr(response, "content", b""))


def _spreadsheet_text(content: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return b"\n".join(
                archive.read(name) for name in archive.namelist() if name.endswith(".xml")
            )
    except (zipfile.BadZipFile, KeyError):
        return content


def findings(content: bytes, *, sent: bytes = b"") -> list[str]:
    """The full ID numbers and mobile numbers in `content`, masked for the failure message; those
    the client sent itself (a number typed into a search box, shown back in it) are echoes and
    tell it nothing."""
    content = _PUBLISHED.sub(b"", content)
    sent_digits = re.sub(rb"[^0-9Xx]", b"", sent)
    found = []
    for match in _ID.finditer(content):
        number = match.group(1).decode()
        if match.group(1) in sent_digits:
            continue
        if plausible_id_anywhere(number):
            found.append(f"ID number {number[:6]}…{number[-2:]}")
    for match in _MOBILE.finditer(content):
        digits = match.group(1).decode()
        if match.group(1) in sent_digits:
            continue
        if phonenumbers.is_valid_number(phonenumbers.parse(digits, "CN")):
            found.append(f"mobile number {digits[:3]}…{digits[-2:]}")
    return found


def scan(response: Any, *, path: str, sent: bytes = b"") -> None:
    TALLY["responses"] += 1
    try:
        # The test client resolves the path lazily; an unknown path has no route.
        route = str(response.resolver_match.view_name)
    except (AttributeError, Resolver404):
        route = ""
    if route in REVEAL_ROUTES:
        TALLY["reveals"] += 1
        return
    content = _body(response)
    content_type = response.get("Content-Type", "") if hasattr(response, "get") else ""
    if _SPREADSHEET in content_type:
        content = _spreadsheet_text(content)
        TALLY["spreadsheets"] += 1
    content += b"\n" + str(response.get("Location", "")).encode()
    found = findings(content, sent=sent)
    if found:
        TALLY["leaks"] += 1
        raise MaskingLeak(f"{path} ({route or 'no route'}) shows in full: {', '.join(found)}")


_original_request = django_client.Client.request
_original_generic = django_client.Client.generic


def _generic_noting_body(
    self: Any, method: str, path: str, data: Any = "", *args: Any, **kwargs: Any
) -> Any:
    # What the client sends, so that its own numbers shown back are not counted as leaks.
    self._masking_scan_sent = data if isinstance(data, bytes) else str(data).encode()
    return _original_generic(self, method, path, data, *args, **kwargs)


def _scanned_request(self: Any, **request: Any) -> Any:
    response = _original_request(self, **request)
    sent = unquote_plus(str(request.get("QUERY_STRING", ""))).encode()
    sent += b"\n" + getattr(self, "_masking_scan_sent", b"")
    self._masking_scan_sent = b""
    scan(response, path=str(request.get("PATH_INFO", "")), sent=sent)
    return response


def pytest_configure(config: pytest.Config) -> None:
    django_client.Client.request = _scanned_request  # type: ignore[method-assign]
    django_client.Client.generic = _generic_noting_body  # type: ignore[method-assign,assignment]


def pytest_unconfigure(config: pytest.Config) -> None:
    django_client.Client.request = _original_request  # type: ignore[method-assign]
    django_client.Client.generic = _original_generic  # type: ignore[method-assign]


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Under xdist each worker hands its tally to the controller, which adds them up.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["masking_scan"] = dict(TALLY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    TALLY.update(getattr(node, "workeroutput", {}).get("masking_scan", {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TALLY["responses"]:
        terminalreporter.write_line(
            f"masking scan: {TALLY['responses']} responses scanned "
            f"({TALLY['spreadsheets']} spreadsheets), {TALLY['reveals']} reveal actions "
            f"skipped, {TALLY['leaks']} with a full ID number or mobile number"
        )
