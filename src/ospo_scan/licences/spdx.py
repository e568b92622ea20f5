"""SPDX expressions through license-expression."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from license_expression import ExpressionError, Licensing, get_spdx_licensing


@cache
def spdx_licensing() -> Licensing:
    return get_spdx_licensing()


def normalise(expression: str) -> str | None:
    """The canonical SPDX form of an expression, or None when it is not valid SPDX."""
    try:
        parsed = spdx_licensing().parse(expression, validate=True, strict=True)
    except ExpressionError:
        return None
    if parsed is None:
        return None
    return str(parsed.render("{symbol.key}"))


def combine_and(expressions: Iterable[str]) -> str | None:
    """Several licences that all apply, as one simplified SPDX expression."""
    unique = list(dict.fromkeys(e for e in expressions if e))
    if not unique:
        return None
    if len(unique) == 1:
        return unique[0]
    joined = " AND ".join(f"({e})" if " " in e else e for e in unique)
    return str(spdx_licensing().parse(joined).simplify().render("{symbol.key}"))
