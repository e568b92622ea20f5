"""Reading a file that may be hostile: only a regular file, never through a link, bounded.

Shared by the local connector (every file of a scanned repository) and the entity profile
(which may sit inside a scanned directory).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1024 * 1024


def read_regular_file(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of the regular file at `path` (an already resolved path).

    Raises OSError when the path is not a regular file or cannot be read; the file is opened
    only after `stat` says it is a regular file, and `fstat` confirms it is still that file.
    """
    before = path.stat()
    if not stat.S_ISREG(before.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    fd = os.open(path, _OPEN_FLAGS)
    try:
        after = os.fstat(fd)
        same_file = (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
        if not stat.S_ISREG(after.st_mode) or not same_file:
            raise OSError(errno.EINVAL, "changed while being opened", str(path))
        chunks: list[bytes] = []
        remaining = max(limit, 0)
        while remaining > 0:
            chunk = os.read(fd, min(remaining, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class RegularFile:
    """A regular file opened for bounded reads at chosen offsets (a git pack and its index).

    Opened as `read_regular_file` opens: never through a link, only a regular file, confirmed
    by `fstat` to be the file `stat` saw. Use as a context manager.
    """

    def __init__(self, path: Path) -> None:
        before = path.stat()
        if not stat.S_ISREG(before.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        self._fd = os.open(path, _OPEN_FLAGS)
        after = os.fstat(self._fd)
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            os.close(self._fd)
            raise OSError(errno.EINVAL, "changed while being opened", str(path))
        self.size = after.st_size
        """The file's size in bytes when it was opened."""

    def read_at(self, offset: int, length: int) -> bytes:
        """At most `length` bytes from `offset` (fewer at the end of the file)."""
        os.lseek(self._fd, offset, os.SEEK_SET)
        chunks: list[bytes] = []
        remaining = max(length, 0)
        while remaining > 0:
            chunk = os.read(self._fd, min(remaining, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> RegularFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
