"""Page-number pagination with a bounded page size."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class DefaultPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def page_schema(item: serializers.Serializer, *, name: str) -> serializers.Serializer:
    """The OpenAPI shape of one DefaultPagination page of `item`s, for views that paginate by
    hand (drf-spectacular paginates only generic list views on its own)."""
    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item,
        },
    )
