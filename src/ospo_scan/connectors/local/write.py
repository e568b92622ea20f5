"""Writing new files into a working tree that is treated as hostile.

Every file is created relative to directory descriptors opened one component at a time with
`O_NOFOLLOW`, so a symbolic link anywhere on the way (a `.github` pointing out of the repository,
a link planted where the file would go) is refused, never followed; files are created with
`O_EXCL`, so an existing file (or link) is never overwritten. Paths that could leave the
repository (`..`, absolute, inside `.git`) are refused before anything is opened, and so is a
working tree that is, or lies in, a `.git` directory once every link on the way is resolved (an
entity's child linked to another child's `.git`, or `repo/.git` given as the target).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.connectors.local.files import GIT_DIRECTORY

_DIRECTORY_FLAGS = (
    os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
)
_NEW_FILE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


@dataclass(frozen=True)
class WriteOutcome:
    """What writing a set of new files did."""

    written: tuple[str, ...]
    """Files created."""
    present: tuple[str, ...]
    """Files left alone because something already exists at their path."""
    refused: tuple[str, ...]
    """`path: reason` for files not written because the way to them is unsafe or failed."""


def write_new_files(root: Path, files: Mapping[str, str], *, create: bool = False) -> WriteOutcome:
    """Create each file (path -> UTF-8 text) inside `root`, never overwriting, never following.

    `create` makes `root` itself first (its parent must exist): a new defaults directory.
    """
    if in_git_directory(root):
        reason = f"{root.name} is or lies in a .git directory; fix mode never writes there"
        return WriteOutcome((), (), tuple(f"{path}: {reason}" for path in sorted(files)))
    if create:
        with contextlib.suppress(FileExistsError):  # made by an earlier run; opened safely below
            root.mkdir()
    written: list[str] = []
    present: list[str] = []
    refused: list[str] = []
    try:
        root_fd = os.open(root, _DIRECTORY_FLAGS)
    except OSError as exc:
        reason = _reason(exc, root.name, link=root.is_symlink())
        return WriteOutcome((), (), tuple(f"{path}: {reason}" for path in sorted(files)))
    try:
        for path in sorted(files):
            try:
                created = _create(root_fd, path, files[path].encode("utf-8"))
            except _Refused as exc:
                refused.append(f"{path}: {exc}")
                continue
            (written if created else present).append(path)
    finally:
        os.close(root_fd)
    return WriteOutcome(tuple(written), tuple(present), tuple(refused))


def in_git_directory(path: Path) -> bool:
    """`path`, every link on the way resolved, is a `.git` directory or lies in one."""
    return any(part.casefold() == GIT_DIRECTORY for part in path.resolve().parts)


class _Refused(Exception):
    """A file that must not, or could not, be written."""


def _parts(path: str) -> list[str]:
    parts = path.split("/")
    if (
        "\x00" in path
        or path.startswith(("/", "\\"))
        or any(part in ("", ".", "..") or "\\" in part for part in parts)
        or parts[0].casefold() == GIT_DIRECTORY
    ):
        raise _Refused("a path that could leave the repository")
    return parts


def _create(root_fd: int, path: str, data: bytes) -> bool:
    """Create one file; False when something is already at its path."""
    *directories, name = _parts(path)
    directory_fd = os.dup(root_fd)
    try:
        for index, part in enumerate(directories):
            shown = "/".join(directories[: index + 1])
            try:
                os.mkdir(part, 0o777, dir_fd=directory_fd)
            except FileExistsError:
                pass
            except OSError as exc:
                raise _Refused(_reason(exc, shown)) from exc
            try:
                next_fd = os.open(part, _DIRECTORY_FLAGS, dir_fd=directory_fd)
            except OSError as exc:
                link = _is_link(part, directory_fd)
                raise _Refused(_reason(exc, shown, link=link)) from exc
            os.close(directory_fd)
            directory_fd = next_fd
        try:
            fd = os.open(name, _NEW_FILE_FLAGS, 0o644, dir_fd=directory_fd)
        except FileExistsError:
            return False
        except OSError as exc:
            raise _Refused(_reason(exc, path)) from exc
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        return True
    finally:
        os.close(directory_fd)


def _is_link(name: str, directory_fd: int) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=directory_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _reason(exc: OSError, shown: str, *, link: bool = False) -> str:
    if link or exc.errno in (errno.ELOOP, errno.EMLINK):
        return f"{shown} is a symbolic link; fix mode never writes through one"
    if exc.errno == errno.ENOTDIR:
        return f"{shown} is not a directory"
    return f"cannot write {shown}: {exc.strerror or exc}"
