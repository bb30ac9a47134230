"""Query-parameter serializers share a template of their fields, never the fields themselves."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework import serializers

from gridgov.core.query_params import QueryParams


class PageParams(QueryParams):
    page_size = serializers.IntegerField(min_value=1, max_value=100, default=20)
    state = serializers.ChoiceField(choices=["new", "closed"], required=False)


class SearchParams(PageParams):
    q = serializers.CharField(max_length=10, required=False)


def test_each_instance_validates_with_its_own_bound_fields() -> None:
    bad = PageParams(data={"page_size": "0", "state": "lost"})
    good = PageParams(data={"page_size": "5"})
    assert not bad.is_valid()
    assert set(bad.errors) == {"page_size", "state"}
    assert good.is_valid(), good.errors
    assert good.validated_data == {"page_size": 5}
    assert good.fields["page_size"].parent is good
    assert bad.fields["page_size"].parent is bad
    assert good.fields["page_size"] is not bad.fields["page_size"]


def test_a_subclass_has_its_own_fields() -> None:
    assert set(PageParams().fields) == {"page_size", "state"}
    assert set(SearchParams().fields) == {"page_size", "state", "q"}
    params = SearchParams(data={"q": "x" * 11})
    assert not params.is_valid()
    assert set(params.errors) == {"q"}
    assert set(PageParams().fields) == {"page_size", "state"}


def test_nested_serializers_are_refused() -> None:
    class Nested(QueryParams):
        inner = PageParams()

    with pytest.raises(TypeError, match="flat"):
        Nested().get_fields()


@pytest.mark.parametrize(
    ("data", "field"), [({"page_size": "0"}, "page_size"), ({"q": "x" * 11}, "q")]
)
def test_each_refusal_is_written_in_the_language_of_its_request(data, field) -> None:
    # given a refusal already written in one language
    answers = []
    for language in ("en", "zh-hans", "en"):
        # when the same bad value comes in another language
        with translation.override(language):
            params = SearchParams(data=data)
            assert not params.is_valid()
            answers.append(str(params.errors[field][0]))
    # then each is written in its own
    assert answers[0] == answers[2] != answers[1]
    assert answers[0].startswith("Ensure this")
