"""The serializers that read a request's query parameters (filters, paging), made cheap to build.

DRF builds every serializer's fields afresh by deep-copying the declared ones, which re-creates
each field from its arguments: for the case list's fifteen filters that was about a sixth of the
whole request. Query parameters are flat (no nested serializers), so a field can be copied
shallowly from a template made once per class: `bind` then sets the copy's name and parent and
leaves the template alone. A validator whose message DRF formats lazily (min and max values and
lengths) is copied too: that message keeps the text it was first written in, so a shared one
answered every later request in the language of the process's first refusal.
"""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers
from rest_framework.fields import Field
from rest_framework.utils.formatting import lazy_format


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
        return {name: _copied(field) for name, field in template.items()}


def _copied(field: Field[Any, Any, Any, Any]) -> Field[Any, Any, Any, Any]:
    copied = copy.copy(field)
    validators = field.validators
    if any(isinstance(getattr(v, "message", None), lazy_format) for v in validators):
        copied.validators = [_with_own_message(validator) for validator in validators]
    return copied


def _with_own_message(validator: Any) -> Any:
    """`validator`, or a copy of it with an unwritten copy of its lazily formatted message (the
    template's is never written: only copies are used)."""
    message = getattr(validator, "message", None)
    if not isinstance(message, lazy_format):
        return validator
    own = copy.copy(validator)
    own.message = copy.copy(message)
    return own
