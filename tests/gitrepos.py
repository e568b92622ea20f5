"""Real git repositories for tests, built with `git` in a clean, reproducible environment.

    from tests.gitrepos import Symlink, make_repo

    make_repo(tmp_path / "web-app", {"README.md": "# Web app\\n", "LICENSE": MIT_TEXT})
    make_repo(tmp_path / "empty", {}, commit=False)            # `git init` only: no commits
    make_repo(tmp_path / "linked", {"LICENSE": Symlink("/etc/passwd")})

Neither the user's git configuration nor the system's is read, author, committer and dates are
fixed, and HOME points at a throw-away directory, so a repository is the same on every machine.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

FIXED_DATE = "2024-01-15T12:00:00+00:00"
AUTHOR = "Ada Tester"
EMAIL = "ada@example.org"


@dataclass(frozen=True)
class Symlink:
    """A symbolic link to write (and commit) instead of a file's content."""

    target: str


FileContent = str | bytes | Symlink


def git_environment(home: Path) -> dict[str, str]:
    """An environment in which git reads no configuration but its own and writes fixed metadata."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GIT_") and key not in ("HOME", "XDG_CONFIG_HOME")
    }
    environment.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": AUTHOR,
            "GIT_AUTHOR_EMAIL": EMAIL,
            "GIT_AUTHOR_DATE": FIXED_DATE,
            "GIT_COMMITTER_NAME": AUTHOR,
            "GIT_COMMITTER_EMAIL": EMAIL,
            "GIT_COMMITTER_DATE": FIXED_DATE,
            "GIT_TERMINAL_PROMPT": "0",
        }
    )
    return environment


def git(repository: Path, *arguments: str, home: Path) -> str:
    """Run git in `repository` within the clean environment; its standard output."""
    completed = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *arguments],
        cwd=repository,
        env=git_environment(home),
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout


def write_files(root: Path, files: Mapping[str, FileContent]) -> None:
    """Write files (POSIX paths relative to `root`), creating their directories."""
    for relative, content in files.items():
        path = root.joinpath(*relative.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Symlink):
            path.symlink_to(content.target)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_repo(
    path: Path,
    files: Mapping[str, FileContent] | None = None,
    *,
    commit: bool = True,
    home: Path | None = None,
) -> Path:
    """Create a git repository at `path` holding `files`, committed unless `commit` is False.

    `home` is the HOME git runs with (a temporary directory by default).
    """
    path.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="git-home-") as scratch:
        git_home = home if home is not None else Path(scratch)
        git(path, "init", "--quiet", home=git_home)
        write_files(path, files or {})
        if commit:
            git(path, "add", "--all", home=git_home)
            git(path, "commit", "--quiet", "--allow-empty", "-m", "Initial commit", home=git_home)
    return path


def commit_as(
    repository: Path,
    files: Mapping[str, FileContent],
    *,
    author: str,
    email: str,
    date: str,
    home: Path,
    message: str = "Change",
) -> str:
    """Write `files` and commit them as `author <email>` at `date` (also the committer's);
    the new commit's id."""
    write_files(repository, files)
    environment = git_environment(home)
    environment.update(
        {
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": date,
        }
    )
    for arguments in (("add", "--all"), ("commit", "--quiet", "--allow-empty", "-m", message)):
        subprocess.run(
            ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *arguments],
            cwd=repository,
            env=environment,
            check=True,
            capture_output=True,
        )
    return git(repository, "rev-parse", "HEAD", home=home).strip()
