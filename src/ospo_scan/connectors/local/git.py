"""What a repository's `.git` says about it, read as plain files.

Git itself is never run: the configuration and hooks of a hostile repository could make it
execute code. Only `HEAD`, `commondir`, loose refs and `packed-refs` are read, each bounded, and
their contents are validated before anything is taken from them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.connectors.local.files import GIT_DIRECTORY, lexists, read_regular_file

_SMALL_FILE = 4096
_PACKED_REFS_LIMIT = 64 * 1024 * 1024
_OBJECT_ID = re.compile(rb"^[0-9a-f]{40}([0-9a-f]{24})?$")
_REF_NAME = re.compile(r"^refs/[A-Za-z0-9._/@+-]+$")
MAX_TAGS = 10_000
"""Tags read at most; a repository with more is judged on these."""


class GitMetadataError(Exception):
    """The `.git` of a repository cannot be understood."""


@dataclass(frozen=True)
class GitState:
    """What `.git` tells about a working tree."""

    default_branch: str | None
    """The branch HEAD names (None when HEAD is detached or unknown)."""
    has_commits: bool | None
    """Whether any commit exists; None when the ref storage cannot be read without git."""
    commit: str | None = None
    """The commit HEAD points to (hex object id); None when unborn or not readable without git."""
    tags: tuple[str, ...] | None = None
    """The names of the repository's tags (`v1.2.0`); None when the refs cannot be read."""


def has_git(directory: Path) -> bool:
    """Whether a directory is a git working tree (its `.git` is a directory, file or link)."""
    return lexists(directory / GIT_DIRECTORY)


def read_git_state(worktree: Path) -> GitState:
    """The HEAD branch of a working tree and whether it has any commit.

    Raises GitMetadataError when `.git` is malformed and OSError when it cannot be read.
    """
    git_dir = _git_directory(worktree)
    common_dir = _common_directory(git_dir)
    head = read_regular_file(git_dir / "HEAD", _SMALL_FILE).strip()
    if _OBJECT_ID.match(head):
        # a detached HEAD names a commit
        return GitState(default_branch=None, has_commits=True, commit=head.decode("ascii"))
    if not head.startswith(b"ref:"):
        raise GitMetadataError(".git/HEAD names neither a branch nor a commit")
    ref = head[4:].strip().decode("utf-8", errors="replace")
    if not _REF_NAME.match(ref) or ".." in ref:
        raise GitMetadataError(".git/HEAD names an invalid ref")
    branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None
    if (common_dir / "reftable").is_dir():
        # The reftable format is binary, and HEAD then holds a placeholder branch name.
        return GitState(default_branch=None, has_commits=None)
    commit = _loose_ref(common_dir, ref) or _packed_ref(common_dir, ref)
    has_commits = commit is not None or _any_ref(common_dir, ref)
    return GitState(
        default_branch=branch, has_commits=has_commits, commit=commit, tags=read_tags(common_dir)
    )


def common_directory(worktree: Path) -> Path:
    """Where a working tree's refs and objects live."""
    return _common_directory(_git_directory(worktree))


def read_tags(common_dir: Path) -> tuple[str, ...]:
    """Tag names from loose refs under `refs/tags/` (at most `MAX_TAGS` directories walked)
    and from `packed-refs`, at most `MAX_TAGS` of them, sorted."""
    names: set[str] = set()
    top = common_dir / "refs" / "tags"
    pending = [(top, "")]
    visited = 0
    while pending and len(names) < MAX_TAGS and visited < MAX_TAGS:
        directory, prefix = pending.pop()
        visited += 1
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_dir():
                pending.append((Path(entry.path), f"{prefix}{entry.name}/"))
            elif entry.is_file():
                names.add(prefix + entry.name)
    try:
        packed = read_regular_file(common_dir / "packed-refs", _PACKED_REFS_LIMIT)
    except FileNotFoundError:
        packed = b""
    for line in packed.splitlines():
        object_id, _, name = line.partition(b" ")
        if _OBJECT_ID.match(object_id) and name.startswith(b"refs/tags/"):
            names.add(name[len(b"refs/tags/") :].strip().decode("utf-8", errors="replace"))
    valid = (name for name in names if _REF_NAME.match(f"refs/tags/{name}"))
    return tuple(sorted(valid)[:MAX_TAGS])


def _git_directory(worktree: Path) -> Path:
    """`.git` itself, or the directory a `.git` file (worktree, submodule) points to."""
    dot_git = worktree / GIT_DIRECTORY
    if dot_git.is_dir():
        if dot_git.is_symlink() and not _belongs_to(worktree, Path(os.path.realpath(dot_git))):
            raise GitMetadataError(".git is a link to a directory outside the repository")
        return dot_git
    content = read_regular_file(dot_git, _SMALL_FILE).strip()
    if not content.startswith(b"gitdir:"):
        raise GitMetadataError(".git is a file that does not name a git directory")
    target = content[len(b"gitdir:") :].strip()
    if b"\0" in target:
        raise GitMetadataError(".git is a file whose git directory holds a NUL byte")
    git_dir = Path(os.path.realpath(worktree / os.fsdecode(target)))
    if not _belongs_to(worktree, git_dir):
        raise GitMetadataError(
            ".git is a file that names a git directory outside the repository, not one of "
            "its own submodule or worktree directories"
        )
    return git_dir


def _belongs_to(worktree: Path, git_dir: Path) -> bool:
    """Whether a `.git` file's target is this working tree's own: inside it, a submodule's
    directory in an enclosing repository's `.git/modules`, or a linked worktree's directory
    (`.git/worktrees/NAME`) whose `gitdir` file points back here, as git itself checks."""
    home = Path(os.path.realpath(worktree))
    if git_dir.is_relative_to(home):
        return True
    if any(git_dir.is_relative_to(a / GIT_DIRECTORY / "modules") for a in home.parents):
        return True
    if git_dir.parent.name != "worktrees" or git_dir.parent.parent.name != GIT_DIRECTORY:
        return False
    try:
        back = read_regular_file(git_dir / "gitdir", _SMALL_FILE).strip()
    except OSError:
        return False
    return b"\0" not in back and os.path.realpath(os.fsdecode(back)) == str(home / GIT_DIRECTORY)


def _common_directory(git_dir: Path) -> Path:
    """Where refs live: a linked worktree's `commondir`, else the git directory itself."""
    pointer = git_dir / "commondir"
    if not lexists(pointer):
        return git_dir
    target = read_regular_file(pointer, _SMALL_FILE).strip()
    if b"\0" in target:
        raise GitMetadataError(".git/commondir holds a NUL byte")
    common = Path(os.path.realpath(git_dir / os.fsdecode(target)))
    # A linked worktree's directory lives in its repository's `worktrees/`; nothing else may
    # send refs to be read elsewhere.
    resolved = Path(os.path.realpath(git_dir))
    if common != resolved and not resolved.is_relative_to(common / "worktrees"):
        raise GitMetadataError(".git/commondir names a directory of another repository")
    return common


def tag_target(common_dir: Path, tag: str) -> str | None:
    """The object a tag's ref names (a commit, or an annotated tag object), loose or packed."""
    ref = f"refs/tags/{tag}"
    if not _REF_NAME.match(ref) or ".." in ref:
        return None
    return _loose_ref(common_dir, ref) or _packed_ref(common_dir, ref)


def _loose_ref(common_dir: Path, ref: str) -> str | None:
    """The object id a loose ref file holds, if it exists and holds one."""
    try:
        content = read_regular_file(common_dir.joinpath(*ref.split("/")), _SMALL_FILE).strip()
    except FileNotFoundError:
        return None
    return content.decode("ascii") if _OBJECT_ID.match(content) else None


def _packed_ref(common_dir: Path, ref: str) -> str | None:
    """The object id `packed-refs` gives a ref, if any."""
    try:
        packed = read_regular_file(common_dir / "packed-refs", _PACKED_REFS_LIMIT)
    except FileNotFoundError:
        return None
    wanted = ref.encode()
    for line in packed.splitlines():
        object_id, _, name = line.partition(b" ")
        if name.strip() == wanted and _OBJECT_ID.match(object_id):
            return object_id.decode("ascii")
    return None


def _any_ref(common_dir: Path, head_ref: str) -> bool:
    """Whether HEAD's ref is packed, or any other branch or tag exists (HEAD may be unborn)."""
    if any(_holds_a_file(common_dir / "refs" / kind) for kind in ("heads", "tags")):
        return True
    try:
        packed = read_regular_file(common_dir / "packed-refs", _PACKED_REFS_LIMIT)
    except FileNotFoundError:
        return False
    wanted = (b"refs/heads/", b"refs/tags/", head_ref.encode())
    for line in packed.splitlines():
        object_id, _, name = line.partition(b" ")
        if _OBJECT_ID.match(object_id) and name.strip().startswith(wanted):
            return True
    return False


def _holds_a_file(top: Path) -> bool:
    """Whether any file lies under `top`, however deep (walked without recursion)."""
    pending = [top]
    while pending:
        directory = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue  # as os.walk: an unreadable directory is passed over
        for entry in entries:
            if not entry.is_dir():
                return True
            if not entry.is_symlink():
                pending.append(Path(entry.path))
    return False
