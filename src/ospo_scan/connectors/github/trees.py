"""One repository's files as GitHub returns them: listed trees, fetched texts, followed links.

`RepoFiles` starts from the trees of an owner page, says which git objects it still needs
(texts of the files rules read, the targets of symbolic links), takes the answers, and finally
gives the same listings the local connector makes from a working tree: a link is a file or a
directory when its target is one inside the repository, and an outside link otherwise.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ospo_scan.connectors.github.links import LinkWalk, Need, Resolved
from ospo_scan.connectors.github.queries import TREE_ALIASES, ObjectRequest
from ospo_scan.connectors.reads import is_ci_definition, is_read_by_rules
from ospo_scan.evidence import FileKind, matches_kind
from ospo_scan.licences.files import is_licence_name
from ospo_scan.rules.workspaces import WORKSPACE_FILES, package_directories, workspace_of
from ospo_scan.snapshot import LISTED_DIRECTORIES, EntryKind, FileEntry

LINK_MODE = 0o120000
PREFETCH_LIMIT = 4 * 1024 * 1024
"""Files larger than this are not fetched in batches (they are read lazily, within the bound)."""


@dataclass(frozen=True)
class RawEntry:
    """A tree entry as GitHub describes it."""

    path: str
    type: str
    """blob, tree or commit (a submodule)."""
    mode: int
    size: int

    @property
    def is_link(self) -> bool:
        return self.type == "blob" and self.mode == LINK_MODE


@dataclass(frozen=True)
class Blob:
    """A file's text as GitHub returned it."""

    text: str | None
    binary: bool
    truncated: bool
    size: int
    data: bytes | None = None
    """The exact bytes, when they were fetched (REST) rather than GitHub's text of them."""

    def exact_bytes(self) -> bytes | None:
        """The file's bytes when the text is provably the whole file, else None."""
        if self.data is not None:
            return self.data
        if self.text is None or self.truncated or self.binary:
            return None
        data = self.text.encode("utf-8")
        return data if len(data) == self.size else None


def blob_from(answer: Any) -> Blob | None:
    if not isinstance(answer, dict) or answer.get("__typename") != "Blob":
        return None
    return Blob(
        text=answer.get("text"),
        binary=bool(answer.get("isBinary")),
        truncated=bool(answer.get("isTruncated")),
        size=int(answer.get("byteSize") or 0),
    )


def entries_from(directory: str, answer: Any) -> list[RawEntry] | None:
    """The entries of a tree answer, or None when the object is not a tree."""
    if not isinstance(answer, dict) or answer.get("__typename") != "Tree":
        return None
    prefix = f"{directory}/" if directory else ""
    return [
        RawEntry(prefix + e["name"], e["type"], int(e["mode"]), int(e.get("size") or 0))
        for e in answer.get("entries") or ()
    ]


def wanted_for_reading(entry: RawEntry) -> bool:
    """Whether rules may read this entry (community files, licences, manifests)."""
    return is_read_by_rules(entry.path)


def _prefetched(entry: RawEntry) -> bool:
    return entry.type == "blob" and entry.size <= PREFETCH_LIMIT and wanted_for_reading(entry)


class RepoFiles:
    """The files of one repository, completed request by request."""

    def __init__(
        self,
        full_name: str,
        node: dict[str, Any],
        reads_ci: Callable[[], bool] = lambda: True,
    ) -> None:
        self.full_name = full_name
        self._reads_ci = reads_ci
        """Whether the CI definitions' texts are wanted, asked when requests are made (the
        scanner says so after the first page is listed)."""
        self.trees: dict[str, list[RawEntry] | None] = {}
        for alias, directory in TREE_ALIASES:
            self.trees[directory] = entries_from(directory, node.get(alias))
        self.blobs: dict[str, Blob | None] = {}
        self.resolved: dict[str, Resolved] = {}
        self._walks: dict[str, tuple[LinkWalk, bool]] = {}
        """link path -> (its resolution so far, whether rules may read it)"""
        self._wanted: set[str] = set()
        self.aliases: dict[str, str] = {}
        """listed directory that is a link -> the directory it leads to"""
        for directory in LISTED_DIRECTORIES:
            self._adopt(directory, directory)
        self.package_directories: list[str] = []
        """A monorepo's package directories (and the folders holding them), listed too."""
        self._packages_done = False

    def _adopt(self, listed: str, real: str) -> None:
        """Follow the links and want the texts of a listed directory's entries."""
        for entry in self.trees.get(real) or ():
            listed_entry = _as_listed(entry, real, listed)
            if entry.is_link:
                self._walks[entry.path] = (LinkWalk(entry.path), wanted_for_reading(listed_entry))
            elif _prefetched(listed_entry):
                self._wanted.add(entry.path)

    def requests(self) -> list[ObjectRequest]:
        """The objects still needed; empty once every wanted text and link is known."""
        needed = self._advance_walks()
        needed += self._linked_directories()
        needed += self._workspace_directories()
        wanted = self._wanted - self.blobs.keys()
        if not self._reads_ci():
            wanted = {path for path in wanted if not is_ci_definition(path)}
        needed += [ObjectRequest(self.full_name, path) for path in sorted(wanted)]
        return sorted(set(needed), key=lambda r: (r.tree, r.path))

    def _advance_walks(self) -> list[ObjectRequest]:
        needed = []
        for link, (walk, readable) in list(self._walks.items()):
            step = walk.advance(self.trees, self.blobs)
            if isinstance(step, Need):
                needed.append(ObjectRequest(self.full_name, step.path, tree=step.tree))
                if readable and step.then is not None:
                    self._wanted.add(step.then)
                continue
            self.resolved[link] = step
            del self._walks[link]
            small = (step.size or 0) <= PREFETCH_LIMIT
            if step.kind is EntryKind.FILE and step.target and readable and small:
                self._wanted.add(step.target)
        return needed

    def _linked_directories(self) -> list[ObjectRequest]:
        """Listed directories that are links to directories inside: list where they lead."""
        needed = []
        for directory in LISTED_DIRECTORIES[1:]:
            resolved = self.resolved.get(directory)
            if self.trees.get(directory) is not None or resolved is None:
                continue
            if resolved.kind is not EntryKind.DIRECTORY or resolved.target is None:
                continue
            if resolved.target not in self.trees:
                needed.append(ObjectRequest(self.full_name, resolved.target, tree=True))
            elif directory not in self.aliases:
                self.aliases[directory] = resolved.target
                self._adopt(directory, resolved.target)
        return needed

    def _workspace_directories(self) -> list[ObjectRequest]:
        """The trees of a monorepo's package directories, once the root's workspace files are
        read (at most `MAX_PACKAGES`); then the packages' licences and changelogs are wanted."""
        if self._packages_done:
            return []
        root = {e.path: e for e in self.trees.get("") or () if e.type == "blob"}
        if any(name in root and name not in self.blobs for name in WORKSPACE_FILES):
            return []  # the workspace files are being read in this round

        def read(name: str) -> str | None:
            blob = self.blobs.get(name) if name in root else None
            return blob.text if blob is not None and not blob.binary else None

        workspace = workspace_of(read)
        missing: list[str] = []

        def lister(directory: str) -> tuple[FileEntry, ...] | None:
            if directory not in self.trees:
                missing.append(directory)
                return None
            return tuple(
                FileEntry(e.path, _resolved_entry(e).kind) for e in self.trees[directory] or ()
            )

        packages = package_directories(workspace, lister)[0] if workspace else ()
        missing += [d for d in packages if d not in self.trees]
        if missing:
            return [ObjectRequest(self.full_name, d, tree=True) for d in dict.fromkeys(missing)]
        self._packages_done = True
        parents = {p.rpartition("/")[0] for p in workspace.patterns} if workspace else set()
        extra = {*parents, *packages} - set(LISTED_DIRECTORIES)
        self.package_directories = sorted(d for d in extra if d in self.trees)
        for directory in packages:
            for entry in self.trees.get(directory) or ():
                name = entry.path.rpartition("/")[2]
                per_package = is_licence_name(name) or matches_kind(name, FileKind.CHANGELOG)
                if entry.type == "blob" and entry.size <= PREFETCH_LIMIT and per_package:
                    self._wanted.add(entry.path)
        return []

    def accept(self, request: ObjectRequest, answer: Any) -> None:
        """Record the answer to a request (None when GitHub has no such object)."""
        if request.tree:
            self.trees[request.path] = entries_from(request.path, answer)
        else:
            self.blobs[request.path] = blob_from(answer)

    def accept_bytes(self, path: str, data: bytes | None) -> None:
        """Record a file's exact bytes (None when there is no such file)."""
        if data is None:
            self.blobs[path] = None
            return
        text = data.decode("utf-8", errors="replace")
        self.blobs[path] = Blob(text, b"\x00" in data[:8000], False, len(data), data)

    def _entry(self, path: str) -> RawEntry | None:
        parent = posixpath.dirname(path)
        return next((e for e in self.trees.get(parent) or () if e.path == path), None)

    def listings(self) -> tuple[dict[str, tuple[FileEntry, ...]], tuple[str, ...]]:
        """The listings of the directories that exist, and what the scan will not read."""
        listings: dict[str, tuple[FileEntry, ...]] = {}
        warnings: list[str] = []
        for directory in (*LISTED_DIRECTORIES, *self.package_directories):
            real = self.aliases.get(directory, directory)
            raw = self.trees.get(real)
            if raw is None:
                continue
            entries = []
            for entry in raw:
                shown = _as_listed(entry, real, directory).path
                if entry.is_link:
                    resolved = self.resolved.get(entry.path, Resolved(EntryKind.OUTSIDE_LINK))
                    entries.append(FileEntry(shown, resolved.kind, resolved.size))
                    if resolved.warning:
                        warnings.append(f"{shown}: {resolved.warning}")
                    continue
                resolved = _resolved_entry(entry)
                entries.append(FileEntry(shown, resolved.kind, resolved.size))
            listings[directory] = tuple(sorted(entries, key=lambda e: e.path))
        return listings, tuple(warnings)

    def real_path(self, path: str) -> str:
        """The path inside the tree GitHub stores, through a listed directory that is a link."""
        directory, _, name = path.rpartition("/")
        real = self.aliases.get(directory)
        return f"{real}/{name}" if real is not None and name else path

    def known_absent(self, path: str) -> bool:
        """Whether the listed trees show that no file is at `path` (so no request is needed)."""
        path = self.real_path(path)
        parent = posixpath.dirname(path)
        if parent not in self.trees:
            return False
        return self._entry(path) is None

    def read_target(self, path: str) -> str:
        """The path whose content a read of `path` returns (a link's target, else itself)."""
        path = self.real_path(path)
        resolved = self.resolved.get(path)
        return resolved.target if resolved is not None and resolved.target else path


def _as_listed(entry: RawEntry, real: str, listed: str) -> RawEntry:
    """An entry of directory `real` as seen through the listed directory `listed`."""
    if real == listed:
        return entry
    return RawEntry(f"{listed}/{entry.path.rpartition('/')[2]}", entry.type, entry.mode, entry.size)


def _resolved_entry(entry: RawEntry) -> Resolved:
    if entry.type == "tree":
        return Resolved(EntryKind.DIRECTORY, target=entry.path)
    if entry.type == "blob":
        return Resolved(EntryKind.FILE, entry.size, entry.path)
    return Resolved(EntryKind.OTHER)
