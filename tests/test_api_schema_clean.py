"""The OpenAPI schema generates without a warning: each warning drf-spectacular gives (two
components of one name, two operations of one id, an enum named by a hash) is a schema a client
generator reads wrong or names unstably."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS


def test_the_schema_generates_without_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    # given a count of warnings that starts from nothing in this process
    GENERATOR_STATS.reset()
    target = tmp_path / "schema.yml"
    # when
    try:
        call_command("spectacular", "--fail-on-warn", "--file", str(target))
    except Exception as error:  # the command fails on the first run with a warning
        pytest.fail(f"{error}:\n{capsys.readouterr().err}")
    # then every refusal answers the one error body, and operations have distinct ids
    schema = yaml.safe_load(target.read_text("utf-8"))
    components = schema["components"]["schemas"]
    assert "Error" in components
    assert "ErrorOutput" not in components
    ids = [
        operation["operationId"]
        for item in schema["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    assert len(ids) == len(set(ids))
    assert not [
        name for name in components if name.endswith("Enum") and any(c.isdigit() for c in name)
    ]
