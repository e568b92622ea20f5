"""Fixtures of the formatter tests."""

from __future__ import annotations

import pytest

from ospo_scan.model import Report
from tests.formats.sample import build_report


@pytest.fixture
def report() -> Report:
    """The sample entity report, hostile strings included."""
    return build_report()
