"""Safe access to one working tree: listings of a few directories and bounded reads.

Everything a scanned repository holds is treated as hostile: a symbolic link is followed only when
its resolved target stays inside the repository (checked again at every read), anything that is
not a regular file is never opened (a FIFO would block the scan, a device could have side
effects), and no read goes beyond the bound its caller gives.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.snapshot import EntryKind, FileEntry
from ospo_scan.untrusted.bounded_read import read_regular_file as read_regular_file

GIT_DIRECTORY = ".git"


def lexists(path: Path) -> bool:
    """Whether anything (a dangling link included) is at `path`."""
    try:
        path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    return True


def resolve_strictly(path: Path) -> Path | None:
    """Where `path` leads after every link; None when it dangles or loops."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a link loop before Python 3.13
        return None


def is_utf8(name: str) -> bool:
    """Whether a file name (decoded with surrogate escapes) was valid UTF-8 on disk."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def escaped_name(name: str) -> str:
    """A readable form of a file name that is not valid UTF-8, e.g. `caf\\xe9.md`."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def _split_relative(path: str) -> list[str] | None:
    """The components of a repository path, or None when it could leave the repository."""
    if "\x00" in path or path.startswith(("/", "\\")):
        return None
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if any(part == ".." for part in parts) or (parts and parts[0].casefold() == GIT_DIRECTORY):
        return None
    return parts


@dataclass(frozen=True)
class Listing:
    """The entries of one directory and what was skipped on the way."""

    entries: tuple[FileEntry, ...]
    """The directory's entries, sorted by path."""
    warnings: tuple[str, ...]
    """Entries skipped or not followed (undecodable names, links leaving the repository)."""


class WorkingTree:
    """A repository's files, reachable only through checks that keep every access inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        """The resolved repository root; every access resolves inside it."""
        self._git_directory = self.root / GIT_DIRECTORY

    def contains(self, resolved: Path) -> bool:
        """Whether a resolved path is inside the repository (and not inside its `.git`)."""
        return resolved.is_relative_to(self.root) and not resolved.is_relative_to(
            self._git_directory
        )

    def resolve(self, path: str) -> Path | None:
        """The resolved location of a repository path, or None when it is missing or leaves."""
        parts = _split_relative(path)
        if parts is None:
            return None
        resolved = resolve_strictly(self.root.joinpath(*parts))
        return resolved if resolved is not None and self.contains(resolved) else None

    def read(self, path: str, limit: int) -> bytes | None:
        """At most `limit` bytes of a regular file inside the repository; None otherwise."""
        resolved = self.resolve(path)
        if resolved is None:
            return None
        try:
            return read_regular_file(resolved, limit)
        except OSError:
            return None

    def list_directory(self, path: str) -> Listing | None:
        """The entries of a directory of the repository; None when it is not a listable directory.

        A directory reached through a link that leaves the repository is not listed, nor is a
        submodule (a directory with its own `.git`): its files belong to another repository.
        """
        resolved = self.resolve(path)
        if resolved is None or not resolved.is_dir() or self._in_submodule(path):
            return None
        entries: list[FileEntry] = []
        warnings: list[str] = []
        prefix = f"{path}/" if path else ""
        for location in resolved.iterdir():
            name = location.name
            if not is_utf8(name):
                shown = prefix + escaped_name(name)
                warnings.append(f"skipped a file name that is not valid UTF-8: {shown}")
                continue
            if name == GIT_DIRECTORY:
                continue
            entry, warning = self._entry(prefix + name, location)
            entries.append(entry)
            if warning:
                warnings.append(f"{entry.path}: {warning}")
        entries.sort(key=lambda e: e.path)
        return Listing(tuple(entries), tuple(sorted(warnings)))

    def _in_submodule(self, path: str) -> bool:
        """Whether a directory of the repository is, or is inside, a submodule's working tree."""
        parts = _split_relative(path) or []
        return any(
            lexists(self.root.joinpath(*parts[:depth], GIT_DIRECTORY))
            for depth in range(1, len(parts) + 1)
        )

    def _entry(self, path: str, location: Path) -> tuple[FileEntry, str | None]:
        """The entry at `location`, with a warning when it is something the scan will not read."""
        info = location.lstat()
        if stat.S_ISLNK(info.st_mode):
            target = resolve_strictly(location)
            if target is None:
                return FileEntry(path, EntryKind.OUTSIDE_LINK), "dangling symbolic link"
            if not self.contains(target):
                leaving = "symbolic link leaving the repository, not followed"
                return FileEntry(path, EntryKind.OUTSIDE_LINK), leaving
            info = target.stat()
        if stat.S_ISREG(info.st_mode):
            return FileEntry(path, EntryKind.FILE, info.st_size), None
        if stat.S_ISDIR(info.st_mode):
            if lexists(location / GIT_DIRECTORY):
                return FileEntry(path, EntryKind.OTHER), None  # a submodule: another repository
            return FileEntry(path, EntryKind.DIRECTORY), None
        return FileEntry(path, EntryKind.OTHER), "not a regular file, not read"
