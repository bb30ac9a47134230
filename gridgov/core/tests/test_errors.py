"""Domain errors carry a stable code and parameters; the message is rendered in the reader's
language from the code's catalogue entry, and one mapping turns each kind into its HTTP status."""

from __future__ import annotations

import re
from importlib import import_module, util

import pytest
from django.apps import apps
from django.utils import translation

from gridgov.cases.errors import CASE_NOT_FOUND, NOT_IN_STATE
from gridgov.core import errors
from gridgov.core.api_errors import error_body, status_of
from gridgov.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    declared_codes,
    error_code,
)

_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


def _sample_params(template: str) -> dict[str, object]:
    return {name: 7 if kind == "d" else "X" for name, kind in _PLACEHOLDER.findall(template)}


def _every_code() -> dict[str, errors.ErrorCode]:
    # Every app's catalogue, whether or not this test run imported it already.
    for config in apps.get_app_configs():
        if config.name.startswith("gridgov.") and util.find_spec(f"{config.name}.errors"):
            import_module(f"{config.name}.errors")
    return declared_codes()


def test_the_apps_declare_their_codes_in_catalogues():
    codes = _every_code()
    prefixes = {code.split(".")[0] for code in codes if "." in code}
    assert {"case", "region", "account", "open311", "notification"} <= prefixes


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_code_renders_in_every_language(language):
    for code, declared in _every_code().items():
        with translation.override("en"):
            template = str(declared.template)
        with translation.override(language):
            text = declared.render(_sample_params(template))
        assert text, code
        assert "%(" not in text, code


def test_every_code_has_a_chinese_message():
    untranslated = []
    for code, declared in _every_code().items():
        with translation.override("en"):
            english = str(declared.template)
        with translation.override("zh-hans"):
            chinese = str(declared.template)
        if english == chinese and english != "%(message)s":
            untranslated.append(code)
    assert untranslated == []


def test_a_code_cannot_be_declared_twice():
    with pytest.raises(ValueError, match="declared twice"):
        error_code("case.not_found", "again")


def test_enumerated_parameters_are_shown_by_their_labels_in_the_readers_language():
    error = Conflict(NOT_IN_STATE, state="reported", action="close", needs="verified")
    with translation.override("zh-hans"):
        chinese = error.message
    with translation.override("en"):
        english = error.message
    assert error.code == "case.not_in_state"
    assert "“Reported”" in english
    assert "“Close”" in english
    assert "Verified" in english
    assert "“待受理”" in chinese
    assert "“结案”" in chinese
    assert "reported" not in chinese
    assert "close" not in chinese


def test_each_kind_maps_to_one_status():
    assert status_of(NotFound()) == 404
    assert status_of(PermissionDenied()) == 403
    assert status_of(ValidationFailed.on("note", errors.TOO_LONG, limit=5)) == 400
    assert status_of(Conflict(errors.INVALID, message="x")) == 409


def test_an_api_body_has_the_code_the_message_and_each_fields_problems():
    error = ValidationFailed(
        {
            "note": [errors.TOO_LONG.bind(limit=500)],
            "__all__": [errors.written("already written")],
        }
    )
    with translation.override("en"):
        body = error_body(error)
    assert body["code"] == "invalid"
    assert body["detail"] == "At most 500 characters."
    assert body["note"] == ["At most 500 characters."]
    assert body["errors"]["note"] == [
        {"code": "text.too_long", "detail": "At most 500 characters."}
    ]
    assert body["errors"]["__all__"][0]["code"] == "invalid"


def test_a_refusal_body_carries_its_parameters():
    with translation.override("zh-hans"):
        body = error_body(NotFound(CASE_NOT_FOUND, number="610324-20261204-000001"))
    assert body["code"] == "case.not_found"
    assert body["params"] == {"number": "610324-20261204-000001"}
    assert "610324-20261204-000001" in body["detail"]
    assert "There is no" not in body["detail"]
