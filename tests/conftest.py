"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol

import pytest

from tests.gitrepos import FileContent, make_repo


class RepoFactory(Protocol):
    def __call__(
        self, path: Path, files: Mapping[str, FileContent] | None = None, *, commit: bool = True
    ) -> Path: ...


@pytest.fixture(scope="session", autouse=True)
def _session_history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No scan of the suite records into the user's history store, even from a module fixture
    (set up before any function fixture); `history_store` gives each test its own."""
    with pytest.MonkeyPatch.context() as patch:
        store = tmp_path_factory.mktemp("session-history") / "history.sqlite3"
        patch.setenv("OSPO_SCAN_HISTORY", str(store))
        patch.setenv("XDG_DATA_HOME", str(store.parent / "xdg-data"))
        # A slow machine must not add progress lines to the stderr tests compare exactly.
        patch.setenv("OSPO_SCAN_PROGRESS_INTERVAL", "0")
        yield


@pytest.fixture(autouse=True)
def _own_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no registered secret: a credential one test registers (the user
    name of `https://user:...@host`) would otherwise mask that word in every later report."""
    from ospo_scan.untrusted import redaction

    monkeypatch.setattr(redaction, "_secrets", set())


@pytest.fixture(autouse=True)
def history_store(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Where scans in a test record their history: a fresh store per test, never the user's."""
    path = tmp_path_factory.mktemp("history") / "history.sqlite3"
    monkeypatch.setenv("OSPO_SCAN_HISTORY", str(path))
    return path


@pytest.fixture(scope="session")
def git_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HOME directory git runs with in tests: empty, so no user configuration is read."""
    return tmp_path_factory.mktemp("git-home")


@pytest.fixture
def git_repo_factory(git_home: Path) -> RepoFactory:
    """Builds real git repositories: `git_repo_factory(tmp_path / "app", {"README.md": "..."})`."""

    def factory(
        path: Path, files: Mapping[str, FileContent] | None = None, *, commit: bool = True
    ) -> Path:
        return make_repo(path, files, commit=commit, home=git_home)

    return factory
