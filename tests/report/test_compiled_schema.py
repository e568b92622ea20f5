"""The loader checks a report with the schema compiled to Python, and asks jsonschema only to
word what is wrong: the two must agree on every document, valid or not."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from ospo_scan.formats.json import format_json
from ospo_scan.report.schema import is_valid, report_schema, validator_class
from tests.formats.sample import build_report

Change = Callable[[dict[str, Any]], None]


def _set(path: tuple[object, ...], value: object) -> Change:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop(path: tuple[object, ...]) -> Change:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


CHANGES: dict[str, Change] = {
    "as written": lambda document: None,
    "a date with a newline after it": _set(("scan", "started"), "2026-01-05T06:00:00Z\n"),
    "a date without its zone": _set(("scan", "started"), "2026-01-05T06:00:00"),
    "a score over 100": _set(("repositories", 0, "score"), 100.5),
    "a score that is true": _set(("repositories", 0, "score"), True),
    "an unknown outcome": _set(("repositories", 0, "results", 0, "outcome"), "maybe"),
    "a rule id in capitals": _set(("repositories", 0, "results", 0, "rule"), "README"),
    "a field nobody defined": _set(("repositories", 0, "stars"), 5),
    "no repositories": _drop(("repositories",)),
    "no rule results": _drop(("repositories", 0, "results")),
    "an unknown schema": _set(("schema",), "ospo-scan/report/v9"),
    "a readiness year that is not a year": _set(("entity", "readiness"), {"20x6": {}}),
    "a shard with a newline": _set(("scan", "shard"), "1/2\n"),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_the_compiled_schema_agrees_with_jsonschema(name: str) -> None:
    document = json.loads(format_json(build_report()))
    changed = copy.deepcopy(document)
    CHANGES[name](changed)
    expected = not list(validator_class()(report_schema()).iter_errors(changed))
    assert is_valid(changed) is expected
    assert expected is (name == "as written")


def test_jsonschema_is_the_draft_the_schema_names() -> None:
    assert report_schema()["$schema"] == jsonschema.Draft202012Validator.META_SCHEMA["$id"]
