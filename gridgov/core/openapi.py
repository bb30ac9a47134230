"""Make the OpenAPI schema say what the API really answers.

drf-spectacular documents the success of each operation; the refusals come from one mapping
(`core.api_errors`) and from the request plumbing (authentication, parsing, idempotency), so this
postprocessing hook documents them once for every operation, from what the operation has:
- 400 where it takes input (a body, query or path parameters): bad input, field by field;
- 401 and 403 where it needs a login: not logged in, or no role for it;
- 404 where a path parameter names an object (missing or outside the jurisdiction, alike), or
  where a lookup may find nothing;
- 409 where it changes an object's state (a transition the state does not allow);
- 422 where it takes an Idempotency-Key: the key was used with another payload;
- 429 where it takes a password: the lockout after repeated failures.
"""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "A refusal: `code` is stable and machine-readable (`case.not_in_state`), `detail` says "
        "it in the request's language, `params` holds the values the message names. A 400 "
        "also lists the bad fields, each with its messages, and `errors` gives each field's "
        "problems with their codes."
    ),
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "params": {"type": "object", "additionalProperties": True},
        "errors": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
                },
            },
        },
    },
    "additionalProperties": True,
}


_DESCRIPTIONS = {
    "400": "Bad input.",
    "401": "Not logged in (no valid token or session).",
    "403": "No role that allows this operation.",
    "404": "Not found, or outside the caller's jurisdiction (the two answer alike).",
    "409": "The object's state does not allow this.",
    "422": "This Idempotency-Key was already used with another payload.",
    "429": "Too many failed logins: locked out for a while.",
}
_WRITE_METHODS = {"post", "put", "patch", "delete"}
# Operations that change an object's state through the state machine.
_STATE_CHANGE_SUFFIXES = ("/transition/",)
_PASSWORD_PATHS = ("/auth/token/",)
# Operations that look a thing up from their query (a point's grid) and may find none.
_LOOKUP_SUFFIXES = ("/locate/",)


def _error_response(status: str) -> dict[str, Any]:
    return {
        "description": _DESCRIPTIONS[status],
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}
        },
    }


def _statuses_for(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters", [])
    locations = {parameter.get("in") for parameter in parameters}
    names = {parameter.get("name") for parameter in parameters}
    statuses = []
    if "requestBody" in operation or locations & {"query", "path"} or method in _WRITE_METHODS:
        statuses.append("400")
    security = operation.get("security")
    needs_login = security is None or (bool(security) and {} not in security)
    if needs_login:
        statuses += ["401", "403"]
    if "path" in locations or path.endswith(_LOOKUP_SUFFIXES):
        statuses.append("404")
    if method in _WRITE_METHODS and path.endswith(_STATE_CHANGE_SUFFIXES):
        statuses.append("409")
    if "Idempotency-Key" in names:
        statuses.append("422")
    if path.endswith(_PASSWORD_PATHS):
        statuses.append("429")
    return statuses


def _bound_integer_path_parameters(operation: dict[str, Any]) -> None:
    # Django's <int:...> converter matches digits only: a negative id never reaches the view.
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "path" and schema.get("type") == "integer":
            schema.setdefault("minimum", 0)


def _allow_empty_optional_query_parameters(operation: dict[str, Any]) -> None:
    # DRF reads an empty optional query parameter (`?state=`) as absent, and so does every list
    # of ours: say so, or a client reading the schema would take the empty value for an error.
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") != "query" or parameter.get("required") or "type" not in schema:
            continue
        if schema["type"] != "string" or "format" in schema:
            # (a formatted string, a date-time say, cannot be empty either unless it says so)
            parameter["schema"] = {"anyOf": [schema, {"type": "string", "enum": [""]}]}
            continue
        if "enum" in schema and "" not in schema["enum"]:
            schema["enum"] = [*schema["enum"], ""]
        if "pattern" in schema:
            schema["pattern"] = f"^$|{schema['pattern']}"
        if schema.get("minLength"):
            schema["minLength"] = 0


def document_refusals(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular POSTPROCESSING_HOOKS entry: add the refusals to every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_COMPONENT] = ERROR_SCHEMA
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _bound_integer_path_parameters(operation)
            _allow_empty_optional_query_parameters(operation)
            for status in _statuses_for(path, method, operation):
                operation["responses"].setdefault(status, _error_response(status))
    return result
