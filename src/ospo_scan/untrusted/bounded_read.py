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
