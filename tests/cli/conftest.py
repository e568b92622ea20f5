"""Fixtures of the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.entity import Entity


@pytest.fixture
def entity(tmp_path: Path, git_home: Path) -> Entity:
    return Entity(tmp_path / "agency", git_home)
