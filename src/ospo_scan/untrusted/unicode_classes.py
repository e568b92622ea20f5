r"""Python's `\w`, `\s` and `\d` as RE2 class ranges, so that RE2 matches what Python's `re` does.

The members come from Python's own `re` over every code point: tens of milliseconds a process
for `\w`. The result depends only on the Unicode database Python carries, so the ranges of the
Pythons this package supports are shipped (`unicode_classes.json` beside this module, written
by `scripts/generate_unicode_classes.py`) and looked up by `unicodedata.unidata_version`; any
other Python computes them.
"""

from __future__ import annotations

import array
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

SHIPPED = Path(__file__).with_name("unicode_classes.json")

CLASSES = {"w": r"\w", "s": r"\s", "d": r"\d"}


@cache
def class_body(letter: str) -> str:
    """The members of Python's `\\w`, `\\s` or `\\d` as RE2 class ranges."""
    shipped = _shipped().get(letter)
    return shipped if isinstance(shipped, str) else computed_class_body(letter)


@cache
def _shipped() -> dict[str, object]:
    """The shipped ranges for this Python's Unicode database; none if it is not shipped."""
    try:
        shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    version = shipped.get(unicodedata.unidata_version) if isinstance(shipped, dict) else None
    return version if isinstance(version, dict) else {}


def computed_class_body(letter: str) -> str:
    """The ranges, from Python's `re` over every code point."""
    ranges = [(m.start(), m.end() - 1) for m in re.finditer(f"{CLASSES[letter]}+", _every_char())]
    return "".join(
        f"\\x{{{first:x}}}" if first == last else f"\\x{{{first:x}}}-\\x{{{last:x}}}"
        for first, last in ranges
    )


@cache
def _every_char() -> str:
    """Every code point in order; surrogates (never matched by the classes) stand as NUL."""
    below = array.array("I", range(0xD800)).tobytes().decode("utf-32-le")
    above = array.array("I", range(0xE000, 0x110000)).tobytes().decode("utf-32-le")
    return below + "\0" * 0x800 + above
