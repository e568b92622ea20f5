"""Following symbolic links in a GitHub tree the way `realpath` follows them in a working tree.

GitHub never resolves a link: `HEAD:path` stops at the first link on the way. So a link's text is
read and its target walked one component at a time, each link met on the way (the link itself,
a linked directory in the middle of the path) read and followed in turn, each directory's
entries fetched when first needed. A walk stops at what it needs next; the caller fetches it in
a batch with every other repository's needs and walks on.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ospo_scan.snapshot import EntryKind

MAX_LINK_HOPS = 40
LEAVING = "symbolic link leaving the repository, not followed"
DANGLING = "dangling symbolic link"


class _Entry(Protocol):
    @property
    def path(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def size(self) -> int: ...

    @property
    def is_link(self) -> bool: ...


class _Text(Protocol):
    @property
    def text(self) -> str | None: ...


@dataclass(frozen=True)
class Resolved:
    """Where a symbolic link leads."""

    kind: EntryKind
    size: int | None = None
    target: str | None = None
    """The file (or directory) a link leads to, as a path in the tree."""
    warning: str | None = None


@dataclass(frozen=True)
class Need:
    """What a walk needs before it can go on: a link's text, or a directory's entries."""

    path: str
    tree: bool
    then: str | None = None
    """The file the walk will most likely read next, worth asking for in the same batch."""


@dataclass
class LinkWalk:
    """The resolution of one link, resumable."""

    link: str
    directory: str = ""
    """The directory the next component is looked up in."""
    components: list[str] = field(default_factory=list)
    hops: int = 0
    started: bool = False

    def advance(
        self,
        trees: Mapping[str, Sequence[_Entry] | None],
        texts: Mapping[str, _Text | None],
    ) -> Resolved | Need:
        """Walk as far as the known trees and texts allow."""
        if not self.started:
            if self.link not in texts:
                return Need(self.link, tree=False)
            self.started = True
            self.directory = posixpath.dirname(self.link)
            failed = self._follow(texts[self.link])
            if failed is not None:
                return failed
        while self.components:
            name = self.components[0]
            if name in ("", "."):
                self.components.pop(0)
                continue
            if name == "..":
                self.components.pop(0)
                if not self.directory:
                    return Resolved(EntryKind.OUTSIDE_LINK, warning=LEAVING)
                self.directory = posixpath.dirname(self.directory)
                continue
            if not self.directory and name.lower() == ".git":
                return Resolved(EntryKind.OUTSIDE_LINK, warning=LEAVING)
            if self.directory not in trees:
                last = len(self.components) == 1
                then = posixpath.join(self.directory, name) if last else None
                return Need(self.directory, tree=True, then=then)
            path = f"{self.directory}/{name}" if self.directory else name
            entry = next((e for e in trees[self.directory] or () if e.path == path), None)
            if entry is None:
                return Resolved(EntryKind.OUTSIDE_LINK, warning=DANGLING)
            if entry.is_link:
                if path not in texts:
                    return Need(path, tree=False)
                self.components.pop(0)
                self.hops += 1
                if self.hops > MAX_LINK_HOPS:
                    return Resolved(EntryKind.OUTSIDE_LINK, warning=DANGLING)
                failed = self._follow(texts[path])
                if failed is not None:
                    return failed
                continue
            self.components.pop(0)
            if entry.type == "tree":
                self.directory = path
                continue
            if self.components:  # a file (or submodule) used as a directory
                return Resolved(EntryKind.OUTSIDE_LINK, warning=DANGLING)
            if entry.type == "blob":
                return Resolved(EntryKind.FILE, entry.size, target=path)
            return Resolved(EntryKind.OTHER)
        if not self.directory:  # the repository root, which holds `.git`
            return Resolved(EntryKind.OTHER)
        return Resolved(EntryKind.DIRECTORY, target=self.directory)

    def _follow(self, blob: _Text | None) -> Resolved | None:
        """Continue with a link's text in place of the link; a result when that fails."""
        text = blob.text if blob is not None else None
        if not text:
            return Resolved(EntryKind.OUTSIDE_LINK, warning=DANGLING)
        if text.startswith("/") or "\x00" in text:
            return Resolved(EntryKind.OUTSIDE_LINK, warning=LEAVING)
        self.components = text.split("/") + self.components
        return None
