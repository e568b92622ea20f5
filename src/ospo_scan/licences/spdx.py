"""SPDX expressions through license-expression: normalising, combining and suggesting.

license-expression's SPDX licensing already maps deprecated ids to their current forms the way
scancode does (`GPL-3.0` -> `GPL-3.0-only`, `GPL-3.0+` -> `GPL-3.0-or-later`) and folds case.
`LicenseRef-` ids are valid SPDX and kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from license_expression import ExpressionError, Licensing, get_spdx_licensing

from ospo_scan.untrusted.linear_regex import linear

_LICENSE_REF = re.compile(r"^(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$")
_OPERATOR = linear(r"\s+(and|or|with)\s+", re.IGNORECASE)


@cache
def spdx_licensing() -> Licensing:
    return get_spdx_licensing()


def normalise(expression: str) -> str | None:
    """The canonical SPDX form of an expression, or None when it is not valid SPDX."""
    expression = expression.strip()
    if not expression:
        return None
    licensing = spdx_licensing()
    try:
        parsed = licensing.parse(expression, validate=False, strict=True)
    except ExpressionError:
        return None
    if parsed is None:
        return None
    unknown = licensing.unknown_license_keys(parsed)
    if any(not _LICENSE_REF.match(str(key)) for key in unknown):
        return None
    if not unknown:
        try:
            parsed = licensing.parse(expression, validate=True, strict=True)
        except ExpressionError:
            return None
    return str(parsed.render("{symbol.key}"))


def is_valid(expression: str) -> bool:
    return normalise(expression) is not None


def licence_ids(expression: str) -> list[str]:
    """The licence ids (not exceptions) of a normalised expression, in order, once each."""
    parsed = spdx_licensing().parse(expression)
    if parsed is None:
        return []
    ids: list[str] = []
    for symbol in parsed.symbols:
        key = str(symbol.key)
        if key not in ids:
            ids.append(key)
    return ids


def _combine(expressions: Iterable[str | None], operator: str) -> str | None:
    unique = list(dict.fromkeys(e for e in expressions if e))
    if not unique:
        return None
    if len(unique) == 1:
        return unique[0]
    joined = f" {operator} ".join(f"({e})" if _OPERATOR.search(e) else e for e in unique)
    return normalise(joined) or joined


def combine_and(expressions: Iterable[str | None]) -> str | None:
    """Several licences that all apply, as one SPDX expression (duplicates dropped)."""
    return _combine(expressions, "AND")


def combine_or(expressions: Iterable[str | None]) -> str | None:
    """Licences the user may choose between, as one SPDX expression."""
    return _combine(expressions, "OR")
