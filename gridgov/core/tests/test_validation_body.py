"""A serializer's bad input answers the body every 400 has (code, detail, the fields, errors), and a
field named like one of the body's own keys does not replace them."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from gridgov.core.api_errors import error_body, validation_body
from gridgov.core.errors import ValidationFailed, written


class WishInput(serializers.Serializer):
    title = serializers.CharField(max_length=5)
    detail = serializers.CharField(max_length=3)
    places = serializers.ListField(child=serializers.RegexField(r"^\d{6}$"))


def _refusal(data: dict[str, object]) -> tuple[serializers.ValidationError, dict[str, Any]]:
    form = WishInput(data=data)
    assert not form.is_valid()
    return serializers.ValidationError(form.errors), dict(form.errors)


def test_the_fields_and_their_codes_with_the_first_problem_as_detail():
    # given
    exc, errors = _refusal({"title": "x" * 9, "detail": "ok", "places": ["610324", "bad"]})
    # when
    body = validation_body(exc)
    # then
    assert body["code"] == "invalid"
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["title"] == errors["title"]
    assert body["errors"]["title"] == [{"code": "max_length", "detail": str(errors["title"][0])}]
    # a list's item errors are found where they nest
    assert [problem["code"] for problem in body["errors"]["places"]] == ["invalid"]


def test_a_field_named_detail_is_listed_under_errors_and_leaves_the_message_a_string():
    # given a micro-wish whose `detail` is too long
    exc, errors = _refusal({"title": "ok", "detail": "too long", "places": ["610324"]})
    # when
    body = validation_body(exc)
    # then
    assert isinstance(body["detail"], str)
    assert body["detail"] == str(errors["detail"][0])
    assert body["errors"]["detail"][0]["code"] == "max_length"


def test_a_domain_validation_keeps_its_envelope_too():
    body = error_body(ValidationFailed({"detail": [written("太长了")], "title": [written("缺少")]}))
    assert isinstance(body["detail"], str)
    assert body["title"] == ["缺少"]
    assert body["errors"]["detail"] == [{"code": "invalid", "detail": "太长了"}]
