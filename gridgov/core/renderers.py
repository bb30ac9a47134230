"""A JSON renderer for lists read on every request: DRF's JSONRenderer, writing with orjson.

DRF's renderer writes through the standard library's encoder: for the case list's 50 rows, about
22 KB, 0.18 ms of the request's CPU against orjson's 0.01. This one writes the same bytes when the
data holds only JSON's own types (dicts with string keys, lists, strings, integers, booleans,
None): compact, UTF-8, U+2028 and U+2029 escaped as DRF escapes them. Anything else (decimals,
dates, lazy translations, ErrorDetail and other str or int subclasses, an indent asked for in the
Accept header) goes to DRF's renderer as before. Floats are written by orjson: the same value,
but small ones spelled otherwise than Python spells them (0.00001 for 1e-05, 1e-7 for 1e-07), and
a NaN would be null where DRF's strict JSON refuses it. Use it on views whose answers hold no
float.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer

# Subclasses of str and int, dates and dataclasses reach `default`, which refuses them.
_OPTIONS = (
    orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


def _not_plain(value: Any) -> Any:
    raise TypeError(type(value).__name__)


class FastJSONRenderer(JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        plain = data is not None and self.compact and not self.ensure_ascii
        if plain and self.get_indent(accepted_media_type or "", renderer_context or {}) is None:
            try:
                text = orjson.dumps(data, default=_not_plain, option=_OPTIONS)
            except TypeError:
                pass
            else:
                return text.replace(b"\xe2\x80\xa8", b"\\u2028").replace(
                    b"\xe2\x80\xa9", b"\\u2029"
                )
        return super().render(data, accepted_media_type, renderer_context)
