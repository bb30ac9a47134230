"""Pages name places and people: no region code and no username shows where a name belongs.

Every page route of the jurisdiction matrix is rendered as every role, on the matrix's world with
each account given a person's name, and the text a person reads (not attributes, scripts, or the
columns and tags marked `code`, which show a code on purpose beside the name) is scanned for the
codes of the world's regions and for the accounts' usernames.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from gridgov.core.access import Role
from tests.matrix import World, build_world, probes_for, world_settings

# A code standing alone: not a run of digits inside a case number (610324-20261204-000001).
_CODE_TOKEN = re.compile(r"(?<![0-9-])[0-9]{6,18}(?![0-9-])")
# An svg is a picture: a QR code titled with the address it holds, map shapes.
_SKIPPED_TAGS = {"script", "style", "template", "svg"}
_VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _ReadableText(HTMLParser):
    """The text of a page as a person reads it, leaving out elements marked as showing a code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []  # the open tags whose content is left out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self._skipping or tag in _SKIPPED_TAGS or "code" in classes or tag == "code":
            self._skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def readable_text(page: str) -> str:
    parser = _ReadableText()
    parser.feed(page)
    return " ".join(parser.parts)


def bare_codes_and_usernames(page: str, world: World) -> list[str]:
    text = readable_text(page)
    found = [f"code {token}" for token in _CODE_TOKEN.findall(text) if token in world.codes]
    usernames = {user.username for user in (*world.actors.values(), *world.subjects.values())}
    found += [f"username {name}" for name in sorted(usernames) if name in text]
    return sorted(set(found))


@pytest.fixture(scope="module")
def named_world(django_db_setup: None, django_db_blocker: object) -> Iterator[World]:
    with world_settings(), django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        world = build_world()
        # The matrix's accounts go by their usernames; people go by their names.
        for index, user in enumerate((*world.actors.values(), *world.subjects.values())):
            user.display_name = f"测试人员{index:03d}号"
            user.save(update_fields=["display_name"])
        yield world
        transaction.set_rollback(True)


def test_the_reader_leaves_out_codes_shown_on_purpose() -> None:
    # given
    page = (
        '<p>西关村 <span class="code">610324001200</span></p><script>var c="610324001";</script>'
        '<a href="/regions/610324001/" title="610324001">城关街道</a><td>610324100</td>'
    )
    # when
    text = readable_text(page)
    # then
    assert "610324001200" not in text
    assert "610324001" not in text
    assert "610324100" in text


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_pages_show_names_not_codes_or_usernames(named_world: World, role: str) -> None:
    # given
    client = Client(REMOTE_ADDR="10.0.0.9")
    client.force_login(named_world.actors[role])
    problems: list[str] = []
    scanned = 0
    # when
    for probe in probes_for(named_world, role):
        call = probe.route.call(probe)
        if not probe.route.page or call.method != "get":
            continue
        cookies = copy.deepcopy(client.cookies)
        cache.clear()
        with transaction.atomic():
            response = client.get(call.path, call.data)
            transaction.set_rollback(True)
        client.cookies = cookies
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        scanned += 1
        found = bare_codes_and_usernames(response.content.decode(), named_world)
        if found:
            problems.append(f"{role} {probe.route.name} {call.path}: {', '.join(found)}")
    # then
    assert scanned > 0
    assert not problems, "\n".join(problems)
