"""A release tag's tree read from the git objects, never by running git."""

from __future__ import annotations

from pathlib import Path

from ospo_scan.connectors.local.tags import _root_names, tag_root
from tests.conftest import RepoFactory
from tests.gitrepos import git


def test_a_tag_s_root_lists_files_and_directories(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"LICENSE": "MIT\n", "src/app.py": "x\n"})
    git(repo, "tag", "-a", "v1.0.0", "-m", "one", home=git_home)
    git(repo, "tag", "-a", "outer", "-m", "a tag of a tag", "v1.0.0", home=git_home)

    assert tag_root(repo / ".git", "v1.0.0") == ("LICENSE", "src/")
    assert tag_root(repo / ".git", "outer") == ("LICENSE", "src/")


def test_names_that_leave_refs_tags_and_unknown_tags_are_not_read(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"LICENSE": "MIT\n"})

    assert tag_root(repo / ".git", "../heads/main") is None
    assert tag_root(repo / ".git", "missing") is None


def test_a_malformed_tree_is_not_read() -> None:
    assert _root_names(b"100644 LICENSE\0" + bytes(20)) == ("LICENSE",)
    assert _root_names(b"100644 LICENSE\0" + bytes(5)) is None
    assert _root_names(b"100644 LICENSE") is None
