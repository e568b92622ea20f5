"""What the local connector learns from `.git` without ever running git."""

from __future__ import annotations

from pathlib import Path

from ospo_scan.connectors.interface import RepoFailure, ScanOptions, Target, TargetKind
from ospo_scan.connectors.local import LocalConnector
from ospo_scan.snapshot import Snapshot
from tests.conftest import RepoFactory
from tests.gitrepos import git


def scan_one(path: Path) -> Snapshot | RepoFailure:
    source = LocalConnector().open(Target(TargetKind.LOCAL, str(path)), ScanOptions())
    (repository,) = source.repositories
    return repository


def branch_of(path: Path) -> str | None:
    found = scan_one(path)
    assert isinstance(found, Snapshot), found
    return found.metadata.default_branch


def test_the_default_branch_is_the_one_head_names(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})
    git(repo, "branch", "-m", "trunk", home=git_home)

    assert branch_of(repo) == "trunk"


def test_packed_refs_count_as_commits(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})
    git(repo, "pack-refs", "--all", home=git_home)
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()

    assert branch_of(repo) == "main"


def test_a_detached_head_has_commits_and_no_branch(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})
    git(repo, "checkout", "--quiet", "--detach", home=git_home)

    assert branch_of(repo) is None


def test_an_unborn_branch_beside_others_is_not_an_empty_repository(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})
    git(repo, "checkout", "--quiet", "--orphan", "rewrite", home=git_home)

    assert branch_of(repo) == "rewrite"


def test_a_linked_worktree_reads_refs_from_the_main_repository(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})
    git(repo, "worktree", "add", "--quiet", "-b", "feature", "../feature-tree", home=git_home)
    worktree = tmp_path / "feature-tree"
    assert (worktree / ".git").is_file()

    found = scan_one(worktree)

    assert isinstance(found, Snapshot), found
    assert found.metadata.default_branch == "feature"
    assert found.read_bytes("README.md") == b"# Repo\n"


def test_a_git_file_that_names_no_directory_is_a_failure(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").write_text("not a pointer\n")

    found = scan_one(repo)

    assert isinstance(found, RepoFailure)
    assert (
        found.reason == "unreadable git metadata: .git is a file that does not name a git directory"
    )


def test_git_is_never_run_in_a_scanned_repository(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    marker = tmp_path / "executed"
    repo = git_repo_factory(tmp_path / "hostile", {"README.md": "# Hostile\n"})
    hostile_config = f"[core]\n\tfsmonitor = touch {marker}\n\thooksPath = hooks\n"
    with (repo / ".git" / "config").open("a") as config:
        config.write(hostile_config)
    hooks = repo / "hooks"
    hooks.mkdir()
    for hook in ("post-checkout", "pre-commit", "post-index-change"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / hook).chmod(0o755)

    found = scan_one(repo)

    assert isinstance(found, Snapshot), found
    assert found.read_bytes("README.md") == b"# Hostile\n"
    assert not marker.exists()
    git(repo, "status", "--porcelain", home=git_home)  # the trap is armed: git itself springs it
    assert marker.exists()


def commit_of(path: Path) -> str | None:
    found = scan_one(path)
    assert isinstance(found, Snapshot), found
    return found.metadata.commit


def test_the_commit_is_the_one_head_points_to(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})
    (repo / "CHANGELOG.md").write_text("# Changes\n", encoding="utf-8")
    git(repo, "add", "CHANGELOG.md", home=git_home)
    git(repo, "commit", "--quiet", "-m", "second", home=git_home)
    head = git(repo, "rev-parse", "HEAD", home=git_home).strip()
    assert commit_of(repo) == head
    git(repo, "pack-refs", "--all", home=git_home)  # now only packed-refs names it
    assert commit_of(repo) == head
    first = git(repo, "rev-parse", "HEAD~1", home=git_home).strip()
    git(repo, "checkout", "--quiet", "--detach", first, home=git_home)
    assert commit_of(repo) == first
    assert branch_of(repo) is None


def test_a_linked_worktree_reads_its_own_head(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})
    git(repo, "worktree", "add", "--quiet", "-b", "feature", str(tmp_path / "wt"), home=git_home)
    (tmp_path / "wt" / "NOTES.md").write_text("notes\n", encoding="utf-8")
    git(tmp_path / "wt", "add", "NOTES.md", home=git_home)
    git(tmp_path / "wt", "commit", "--quiet", "-m", "notes", home=git_home)
    assert (
        commit_of(tmp_path / "wt")
        == git(tmp_path / "wt", "rev-parse", "HEAD", home=git_home).strip()
    )
    assert commit_of(repo) == git(repo, "rev-parse", "HEAD", home=git_home).strip()
    assert branch_of(tmp_path / "wt") == "feature"


def _outsider(tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path) -> Path:
    """Another repository, on a branch of its own, that a hostile `.git` file points to."""
    other = git_repo_factory(tmp_path / "elsewhere" / "private", {"SECRET.md": "x\n"})
    git(other, "branch", "-m", "private-branch", home=git_home)
    return other


def test_a_git_file_pointing_at_another_repository_is_refused(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    other = _outsider(tmp_path, git_repo_factory, git_home)
    repo = tmp_path / "entity" / "repo"
    repo.mkdir(parents=True)
    (repo / "README.md").write_text("# Repo\n", encoding="utf-8")
    for pointer in (str(other / ".git"), "../../elsewhere/private/.git"):
        (repo / ".git").write_text(f"gitdir: {pointer}\n", encoding="utf-8")

        found = scan_one(repo)

        assert isinstance(found, RepoFailure), found
        assert "names a git directory outside the repository" in found.reason


def test_a_link_to_another_repositorys_git_directory_is_refused(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    other = _outsider(tmp_path, git_repo_factory, git_home)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").symlink_to(other / ".git")

    found = scan_one(repo)

    assert isinstance(found, RepoFailure), found
    assert "a link to a directory outside the repository" in found.reason


def test_a_worktree_directory_that_belongs_to_another_tree_is_refused(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    """A `.git/worktrees/NAME` is another working tree's unless its `gitdir` points back."""
    other = _outsider(tmp_path, git_repo_factory, git_home)
    git(
        other, "worktree", "add", "--quiet", "-b", "theirs", str(tmp_path / "theirs"), home=git_home
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").write_text(f"gitdir: {other / '.git' / 'worktrees' / 'theirs'}\n")

    found = scan_one(repo)

    assert isinstance(found, RepoFailure), found
    assert "outside the repository" in found.reason


def test_a_commondir_leading_to_another_repository_is_refused(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    other = _outsider(tmp_path, git_repo_factory, git_home)
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})
    (repo / ".git" / "commondir").write_text(str(other / ".git") + "\n", encoding="utf-8")

    found = scan_one(repo)

    assert isinstance(found, RepoFailure), found
    assert found.reason == (
        "unreadable git metadata: .git/commondir names a directory of another repository"
    )


def test_a_submodule_reads_its_directory_in_the_enclosing_repository(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    library = git_repo_factory(tmp_path / "library", {"README.md": "# Library\n"})
    parent = git_repo_factory(tmp_path / "parent", {"README.md": "# Parent\n"})
    git(
        parent,
        *("-c", "protocol.file.allow=always", "submodule", "add", "--quiet", str(library), "lib"),
        home=git_home,
    )
    assert (parent / "lib" / ".git").is_file()

    found = scan_one(parent / "lib")

    assert isinstance(found, Snapshot), found
    assert found.metadata.commit == git(library, "rev-parse", "HEAD", home=git_home).strip()
