"""The serializers that read a request's query parameters (filters, paging), made cheap to build.

DRF builds every serializer's fields afresh by deep-copying the declared ones, which re-creates
each field from its arguments: for the case list's fifteen filters that was about a sixth of the
whole request. Query parameters are flat (no nested serializers), so a field can be copied
shallowly from a template made once per class: `bind` then sets the copy's name and parent and
leaves the template alone.
"""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers
from rest_framework.fields import Field


class QueryParams(serializers.Serializer):
    """Base of a flat serializer of query parameters (no nested serializers or list children
    that keep per-request state)."""

    def get_fields(self) -> dict[str, Field[Any, Any, Any, Any]]:
        cls = type(self)
        # Looked up on the class itself, not inherited: a subclass declares its own fields.
        template: dict[str, Field[Any, Any, Any, Any]] | None = cls.__dict__.get("_template")
        if template is None:
            template = copy.deepcopy(self._declared_fields)
            for field in template.values():
                if isinstance(field, serializers.BaseSerializer):
                    raise TypeError(f"{cls.__name__}: query parameters are flat")
            cls._template = template  # type: ignore[attr-defined]
        return {name: copy.copy(field) for name, field in template.items()}
