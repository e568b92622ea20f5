"""Licence text identification with scancode-toolkit.

The full scancode index is large (seconds and over a gigabyte to load), so it is loaded once
per process, on the first text that needs it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ospo_scan.licences.spdx import combine_and, normalise

MIN_COVERAGE = 80.0
"""Matches covering less of their rule than this are too uncertain to name a licence."""


@cache
def _index() -> Any:
    from licensedcode.cache import get_index

    return get_index()


@cache
def _scancode_to_spdx() -> dict[str, str]:
    from licensedcode.cache import get_licenses_db

    mapping: dict[str, str] = {}
    for key, licence in get_licenses_db().items():
        spdx = licence.spdx_license_key or f"LicenseRef-scancode-{key}"
        mapping[key] = spdx
    return mapping


def _to_spdx(scancode_expression: str) -> str | None:
    from license_expression import Licensing

    licensing = Licensing()
    parsed = licensing.parse(scancode_expression)
    mapping = _scancode_to_spdx()
    symbols = {str(s.key): mapping.get(str(s.key), str(s.key)) for s in parsed.symbols}
    rendered = scancode_expression
    for key in sorted(symbols, key=len, reverse=True):
        rendered = rendered.replace(key, symbols[key])
    return normalise(rendered) or rendered


def detect_text(text: str) -> str | None:
    """The SPDX expression of the licence(s) a text carries, or None when none is identified."""
    matches = _index().match(query_string=text)
    expressions = []
    for match in matches:
        if match.coverage() < MIN_COVERAGE:
            continue
        spdx = _to_spdx(match.rule.license_expression)
        if spdx and spdx != "LicenseRef-scancode-unknown-license-reference":
            expressions.append(spdx)
    return combine_and(expressions)
