"""Fixtures of the site tests: a small system audited into a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.system import System


@pytest.fixture
def system(tmp_path: Path, git_home: Path) -> System:
    """Both entities audited once each."""
    built = System(tmp_path / "system", git_home)
    built.audit(built.agency)
    built.audit(built.bureau)
    return built
