"""Every translatable string of the project has a Simplified Chinese translation in some catalogue.

Strings are extracted the way makemessages does (Django's own `templatize` for templates, the
gettext family of calls for Python), so a new `{% translate %}` or `_()` without a translation fails
here with its file and line.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation.template import templatize

ROOTS = ("gridgov", "config")
LANGUAGE = "zh_Hans"
# name -> (index of the context argument or None, index of the message argument)
GETTEXT_CALLS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
_STRING_PATTERN = r"""u?(?:'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")"""
_STRING = re.compile(_STRING_PATTERN)
_TEMPLATIZED_CALL = re.compile(
    rf"\b(?P<name>n?p?gettext)\((?P<args>(?:\s*{_STRING_PATTERN}\s*,?)+)"
)
SKIPPED_PARTS = {"tests", "migrations", "node_modules", "vendor", "__pycache__"}


@dataclass(frozen=True)
class Message:
    context: str | None
    msgid: str
    where: str


def _project_files(suffix: str) -> list[Path]:
    base = Path(settings.BASE_DIR)
    files: list[Path] = []
    for root in ROOTS:
        files += [
            path
            for path in (base / root).rglob(f"*{suffix}")
            if not SKIPPED_PARTS & set(path.relative_to(base).parts)
        ]
    return sorted(files)


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_messages(source: str, where: str) -> list[Message]:
    """The msgids of gettext-family calls with literal arguments, with their context if any."""
    messages = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else None
        )
        if name not in GETTEXT_CALLS:
            continue
        context_index, message_index = GETTEXT_CALLS[name]
        if len(node.args) <= message_index:
            continue
        msgid = _literal(node.args[message_index])
        context = _literal(node.args[context_index]) if context_index is not None else None
        if msgid:
            messages.append(Message(context, msgid, f"{where}:{node.lineno}"))
    return messages


def template_messages(source: str, where: str) -> list[Message]:
    """The msgids of a template, found by Django's own templatize (as makemessages does).

    templatize turns each translatable string into a gettext-family call whose arguments are
    Python string literals, and blanks everything else.
    """
    code = templatize(source)
    messages = []
    for call in _TEMPLATIZED_CALL.finditer(code):
        name = call.group("name")
        strings = [ast.literal_eval(literal) for literal in _STRING.findall(call.group("args"))]
        context_index, message_index = GETTEXT_CALLS[name]
        if len(strings) > message_index and strings[message_index]:
            context = strings[context_index] if context_index is not None else None
            line = code.count("\n", 0, call.start()) + 1
            messages.append(Message(context, strings[message_index], f"{where}:{line}"))
    return messages


def project_messages() -> list[Message]:
    base = Path(settings.BASE_DIR)
    messages = []
    for path in _project_files(".py"):
        messages += python_messages(path.read_text("utf-8"), str(path.relative_to(base)))
    for path in _project_files(".html"):
        messages += template_messages(path.read_text("utf-8"), str(path.relative_to(base)))
    return messages


def catalogue_paths() -> list[Path]:
    base = Path(settings.BASE_DIR)
    roots = [Path(path) for path in settings.LOCALE_PATHS]
    roots += sorted((base / "gridgov").glob("*/locale"))
    return sorted(
        {
            path
            for root in roots
            for path in root.glob(f"{LANGUAGE}/LC_MESSAGES/django.po")
            if path.is_file()
        }
    )


def translated_keys() -> set[tuple[str | None, str]]:
    """(context, msgid) of every entry with a non-empty, non-fuzzy translation."""
    keys: set[tuple[str | None, str]] = set()
    for path in catalogue_paths():
        for entry in polib.pofile(str(path)).translated_entries():
            translation = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            if translation.strip():
                keys.add((entry.msgctxt, entry.msgid))
    return keys


def test_extraction_finds_strings_in_templates_and_python():
    # given
    template = (
        '{% load i18n %}{% translate "Log in" %}'
        "{% blocktranslate trimmed with name=user %}\n  Welcome, {{ name }}\n{% endblocktranslate %}"
        '{% translate "Open" context "door" %}'
    )
    python = 'from django.utils.translation import gettext_lazy as _\nLABEL = _("Grid")\n'
    # when
    from_template = {(m.context, m.msgid) for m in template_messages(template, "t.html")}
    from_python = {(m.context, m.msgid) for m in python_messages(python, "m.py")}
    # then
    assert from_template == {(None, "Log in"), (None, "Welcome, %(name)s"), ("door", "Open")}
    assert from_python == {(None, "Grid")}


def test_every_translatable_string_has_a_translation():
    # given
    messages = project_messages()
    translated = translated_keys()
    # when
    missing = sorted(
        {(m.where, m.msgid) for m in messages if (m.context, m.msgid) not in translated}
    )
    # then
    assert messages, "no translatable strings found: the extraction is broken"
    assert not missing, f"{len(missing)} msgid(s) without a {LANGUAGE} translation:\n" + "\n".join(
        f"  {where}: {msgid!r}" for where, msgid in missing
    )


def test_no_string_is_translated_two_ways():
    # Django merges every app's catalogue into one: where two catalogues translate the same
    # (context, msgid) differently, one silently loses everywhere (the delivery page once read
    # 调解不成, a failed mediation, for a loudspeaker that failed). A string meaning two things
    # takes a context ({% translate "due" context "visit" %}, pgettext) instead.
    # given
    translations: dict[tuple[str | None, str], dict[str, str]] = {}
    for path in catalogue_paths():
        for entry in polib.pofile(str(path)).translated_entries():
            translation = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            translations.setdefault((entry.msgctxt, entry.msgid), {})[str(path)] = translation
    # when
    clashes = {
        key: by_file for key, by_file in translations.items() if len(set(by_file.values())) > 1
    }
    # then
    assert translations, "no catalogue read"
    assert not clashes, f"{len(clashes)} string(s) translated two ways:\n" + "\n".join(
        f"  {key}: {by_file}" for key, by_file in sorted(clashes.items(), key=str)
    )
