"""The shipped JSON Schema of `ospo-scan/report/v1`, and its two validators: the schema compiled
to Python for the common case (a valid report, checked fast), and jsonschema's for the words of
what is wrong with an invalid one."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def report_schema() -> dict[str, Any]:
    """The JSON Schema of `ospo-scan/report/v1`, as shipped with the package."""
    text = (files("ospo_scan") / "schema" / "report-v1.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
    """JSON Schema patterns are ECMA-262, whose `$` is the end of the text; Python's `re` also
    lets it match before a final newline, which would let `2026-01-01T00:00:00Z\\n` through."""
    if isinstance(instance, str) and not re.search(_ecma(pattern), instance):
        import jsonschema

        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_END = re.compile(r"(?<!\\)\$")


def _ecma(pattern: str) -> str:
    """The pattern with ECMA's `$` (the end of the text) written as Python's `\\Z`."""
    return _END.sub(r"\\Z", pattern)


def is_valid(document: Any) -> bool:
    """Whether a document is a valid report, by the schema compiled to Python (draft 7 has
    every keyword the schema uses); an invalid one is checked again by jsonschema, for its
    words. Patterns get the same ECMA reading of `$` as `_ecma_pattern` gives them."""
    import fastjsonschema

    try:
        _compiled()(document)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@cache
def _compiled() -> Any:
    schema = _ecma_patterns(report_schema())
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    import fastjsonschema

    return fastjsonschema.compile(schema, use_formats=False)


def _ecma_patterns(schema: Any) -> Any:
    """A copy of a schema whose `pattern` values end at `\\Z`, the end of the text."""
    if isinstance(schema, list):
        return [_ecma_patterns(value) for value in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: _ecma(value) if key == "pattern" and isinstance(value, str) else _ecma_patterns(value)
        for key, value in schema.items()
    }


@cache
def validator_class() -> Any:
    """The validator class, made when a report is first read: jsonschema is slow to import."""
    import jsonschema

    return jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator, {"pattern": _ecma_pattern}
    )
