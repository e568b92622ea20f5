"""The shipped ranges of Python's `\\w`, `\\s`, `\\d` are the ones Python's `re` gives."""

from __future__ import annotations

import json

import pytest

from ospo_scan.untrusted.unicode_classes import (
    CLASSES,
    SHIPPED,
    _shipped,
    class_body,
    computed_class_body,
)


@pytest.mark.parametrize("letter", sorted(CLASSES))
def test_the_shipped_ranges_are_python_s_own(letter: str) -> None:
    computed = computed_class_body(letter)
    assert class_body(letter) == computed
    assert _shipped().get(letter, computed) == computed


def test_every_supported_python_s_unicode_database_is_shipped() -> None:
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    # Python 3.10, 3.11, 3.12, 3.13
    assert {"13.0.0", "14.0.0", "15.0.0", "15.1.0"} <= set(shipped)
    assert all(set(bodies) == set(CLASSES) for bodies in shipped.values())
