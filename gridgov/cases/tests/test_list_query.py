"""The list's query parameters: a first page's (page size, order) are validated once per text and
kept; anything else, and every refusal, is validated each time."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from gridgov.cases.serializers import CaseListFilter, case_list_query
from gridgov.core.access import Role

CASES = "/api/v1/cases/"


def _serializer_answer(text: str) -> dict[str, object]:
    serializer = CaseListFilter(data=QueryDict(text))
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@pytest.mark.parametrize("text", ["", "page_size=7", "order=deadline&page_size=20", "order=oldest"])
def test_a_first_page_query_is_what_the_serializer_makes_of_it_and_kept(text):
    first = case_list_query(QueryDict(text))
    assert dict(first) == _serializer_answer(text)
    assert case_list_query(QueryDict(text)) is first
    with pytest.raises(TypeError):
        first["page_size"] = 500  # type: ignore[index]


def test_other_queries_are_validated_each_time():
    text = "page_size=7&state=reported"
    first = case_list_query(QueryDict(text))
    assert dict(first) == _serializer_answer(text)
    assert first["state"] == "reported"
    assert case_list_query(QueryDict(text)) is not first


@pytest.mark.parametrize(
    "text", ["page_size=0", "page_size=x", "order=sideways", "page_size=1&page_size=999"]
)
def test_a_bad_first_page_query_is_refused_every_time(text):
    for _ in range(2):
        with pytest.raises(ValidationError):
            case_list_query(QueryDict(text))


@pytest.mark.django_db
def test_a_refusal_is_written_in_the_readers_language_every_time(tree, user_factory, api_as):
    client = api_as(user_factory(Role.VILLAGE_SECRETARY, tree.villages[0]))
    answers = []
    for language in ("zh-hans", "en", "zh-hans"):
        client.cookies["django_language"] = language
        response = client.get(CASES, {"order": "sideways"})
        assert response.status_code == 400
        answers.append(response.json()["order"][0])
    assert answers[0] == answers[2] != answers[1]
    assert '"sideways" is not a valid choice.' in answers[1]
