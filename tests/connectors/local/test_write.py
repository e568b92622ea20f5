"""The local write side treats the working tree as hostile: no link followed, nothing replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.connectors.local.write import write_new_files
from tests.conftest import RepoFactory
from tests.gitrepos import Symlink


def test_new_files_are_written_with_their_directories(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n"})

    outcome = write_new_files(repo, {".github/CODEOWNERS": "* @o\n", "CHANGELOG.md": "# C\n"})

    assert outcome.written == (".github/CODEOWNERS", "CHANGELOG.md")
    assert (repo / ".github" / "CODEOWNERS").read_text(encoding="utf-8") == "* @o\n"


def test_an_existing_file_is_never_overwritten(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"CHANGELOG.md": "mine\n"})

    outcome = write_new_files(repo, {"CHANGELOG.md": "theirs\n"})

    assert (outcome.written, outcome.present) == ((), ("CHANGELOG.md",))
    assert (repo / "CHANGELOG.md").read_text(encoding="utf-8") == "mine\n"


def test_a_symlinked_directory_pointing_out_is_not_written_through(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = git_repo_factory(tmp_path / "app", {".github": Symlink(str(outside))})

    outcome = write_new_files(repo, {".github/CODEOWNERS": "* @o\n", "CHANGELOG.md": "# C\n"})

    assert outcome.written == ("CHANGELOG.md",)
    assert outcome.refused == (
        ".github/CODEOWNERS: .github is a symbolic link; fix mode never writes through one",
    )
    assert list(outside.iterdir()) == []


def test_a_symlink_where_the_file_would_go_is_left_alone(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    repo = git_repo_factory(tmp_path / "app", {"SECURITY.md": Symlink(str(victim))})

    outcome = write_new_files(repo, {"SECURITY.md": "# Security\n"})

    assert outcome.present == ("SECURITY.md",)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (repo / "SECURITY.md").is_symlink()


def test_a_symlinked_repository_root_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)

    outcome = write_new_files(link, {"CHANGELOG.md": "# C\n"})

    assert outcome.written == ()
    assert "symbolic link" in outcome.refused[0]
    assert list(real.iterdir()) == []


@pytest.mark.parametrize("path", ["../escape.md", "/etc/escape", ".git/config", "a/../../b"])
def test_paths_that_could_leave_the_repository_are_refused(tmp_path: Path, path: str) -> None:
    repo = tmp_path / "app"
    (repo / ".git").mkdir(parents=True)

    outcome = write_new_files(repo, {path: "x\n"})

    assert outcome.refused == (f"{path}: a path that could leave the repository",)
    assert not (tmp_path / "escape.md").exists()
    assert list((repo / ".git").iterdir()) == []


def test_a_new_defaults_directory_is_created(tmp_path: Path) -> None:
    defaults = tmp_path / ".github"

    outcome = write_new_files(defaults, {"SECURITY.md": "# S\n"}, create=True)

    assert outcome.written == ("SECURITY.md",)
    assert (defaults / "SECURITY.md").read_text(encoding="utf-8") == "# S\n"


def test_a_root_that_resolves_into_a_git_directory_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "app"
    (repo / ".git" / "hooks").mkdir(parents=True)
    (tmp_path / "mirror").symlink_to(repo / ".git")
    (tmp_path / "via").symlink_to(repo)

    for root in (repo / ".git", repo / ".git" / "hooks", tmp_path / "via" / ".GIT" / "hooks"):
        outcome = write_new_files(root, {"CHANGELOG.md": "# C\n"})
        assert outcome.refused == (
            f"CHANGELOG.md: {root.name} is or lies in a .git directory; "
            "fix mode never writes there",
        )
    outcome = write_new_files(tmp_path / "mirror" / "hooks", {"x.md": "x\n"})
    assert outcome.written == ()
    assert sorted(p.name for p in (repo / ".git").rglob("*")) == ["hooks"]
