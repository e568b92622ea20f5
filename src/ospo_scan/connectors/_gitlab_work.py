"""What still has to be fetched for one GitLab project, round after round.

A project is read in rounds, each a slice of one batched GraphQL request: list the root; list the
evidence directories that exist; learn the size of the files rules read; fetch the texts of
those small enough; follow symbolic links. Nothing is fetched that no rule reads, and no text
larger than the read bound travels: those files are read later, bounded, through the raw-file API.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any, Literal

from ospo_scan.evidence import SEARCH_DIRECTORIES, FileKind, matches_kind
from ospo_scan.licences.files import is_licence_name
from ospo_scan.snapshot import LISTED_DIRECTORIES, MAX_READ_BYTES

LINK_MODE = "120000"
MAX_PATHS_PER_ROUND = 100
"""GitLab serves at most 100 blobs per `blobs(paths:)` connection."""
MAX_LINK_HOPS = 8

_ROOT_FILES_READ = frozenset(
    {
        "package.json",
        "pyproject.toml",
        "setup.cfg",
        "cargo.toml",
        "description",
        "composer.json",
        "pom.xml",
        "publiccode.yml",
        "publiccode.yaml",
        ".ospo-scan.toml",
    }
)


def is_read_by_rules(path: str) -> bool:
    """Whether a rule reads this file's text (as opposed to only noting that it exists)."""
    directory, _, name = path.rpartition("/")
    if directory in SEARCH_DIRECTORIES and any(matches_kind(name, kind) for kind in FileKind):
        return True
    if directory == "LICENSES":
        return True
    lowered = name.lower()
    return directory == "" and (
        is_licence_name(name) or lowered in _ROOT_FILES_READ or lowered.endswith(".gemspec")
    )


@dataclass(frozen=True)
class TreeEntryInfo:
    path: str
    is_directory: bool
    mode: str
    """Git file mode, e.g. `100644`, `120000` for a symbolic link; '' for a directory."""


@dataclass(frozen=True)
class BlobInfo:
    size: int
    mode: str


@dataclass
class TreePage:
    """A directory listing in progress; cursors are None before the first page."""

    directory: str
    blobs_after: str | None = None
    trees_after: str | None = None
    blobs_done: bool = False
    trees_done: bool = False


@dataclass
class RoundRequest:
    """One project's share of a round."""

    project: ProjectWork
    trees: list[TreePage]
    probe: list[str]
    texts: list[str]
    host_facts: bool

    def halves(self) -> tuple[RoundRequest, RoundRequest] | None:
        """The request split in two, or None when it holds a single item."""
        items: list[tuple[str, Any]] = [("tree", t) for t in self.trees]
        items += [("probe", p) for p in self.probe] + [("text", p) for p in self.texts]
        if self.host_facts:
            items.append(("host", None))
        if len(items) < 2:
            return None
        middle = len(items) // 2
        return _request_of(self.project, items[:middle]), _request_of(self.project, items[middle:])


def _request_of(project: ProjectWork, items: list[tuple[str, Any]]) -> RoundRequest:
    return RoundRequest(
        project,
        trees=[v for k, v in items if k == "tree"],
        probe=[v for k, v in items if k == "probe"],
        texts=[v for k, v in items if k == "text"],
        host_facts=any(k == "host" for k, _ in items),
    )


@dataclass
class ProjectWork:
    """The reading state of one project."""

    name: str
    ref: str | None
    listings: dict[str, list[TreeEntryInfo]] = field(default_factory=dict)
    pending_trees: dict[str, TreePage] = field(default_factory=dict)
    probed: dict[str, BlobInfo | None] = field(default_factory=dict)
    pending_probe: set[str] = field(default_factory=set)
    texts: dict[str, bytes] = field(default_factory=dict)
    pending_texts: set[str] = field(default_factory=set)
    lazy: set[str] = field(default_factory=set)
    """Files read on demand through the raw-file API (too large, binary or transcoded)."""
    host_facts_pending: bool = True
    branch_protected: bool | None = None
    failure: str | None = None

    def __post_init__(self) -> None:
        self.pending_trees[""] = TreePage("")

    @property
    def done(self) -> bool:
        return self.failure is not None or not (
            self.pending_trees
            or self.pending_probe
            or self.pending_texts
            or self.host_facts_pending
        )

    def next_request(self) -> RoundRequest | None:
        if self.done:
            return None
        return RoundRequest(
            self,
            trees=list(self.pending_trees.values()),
            probe=sorted(self.pending_probe)[:MAX_PATHS_PER_ROUND],
            texts=sorted(self.pending_texts)[:MAX_PATHS_PER_ROUND],
            host_facts=self.host_facts_pending,
        )

    def fail(self, reason: str) -> None:
        self.failure = reason

    # -- absorbing answers -------------------------------------------------------------------

    def absorb_tree(self, page: TreePage, tree: dict[str, Any] | None) -> None:
        listing = self.listings.setdefault(page.directory, [])
        if tree is not None:
            blobs, trees = tree.get("blobs"), tree.get("trees")
            if blobs is not None and not page.blobs_done:
                for node in blobs["nodes"]:
                    listing.append(TreeEntryInfo(node["path"], False, str(node.get("mode") or "")))
                page.blobs_after = blobs["pageInfo"]["endCursor"]
                page.blobs_done = not blobs["pageInfo"]["hasNextPage"]
            if trees is not None and not page.trees_done:
                for node in trees["nodes"]:
                    listing.append(TreeEntryInfo(node["path"], True, ""))
                page.trees_after = trees["pageInfo"]["endCursor"]
                page.trees_done = not trees["pageInfo"]["hasNextPage"]
        else:
            page.blobs_done = page.trees_done = True
        if page.blobs_done and page.trees_done:
            self.pending_trees.pop(page.directory, None)

    def absorb_probe(self, asked: list[str], nodes: list[dict[str, Any]]) -> None:
        found = {
            n["path"]: BlobInfo(int(n.get("size") or 0), str(n.get("mode") or "")) for n in nodes
        }
        for path in asked:
            self.probed[path] = found.get(path)
            self.pending_probe.discard(path)

    def absorb_texts(self, asked: list[str], nodes: list[dict[str, Any]]) -> None:
        by_path = {n["path"]: n for n in nodes}
        for path in asked:
            self.pending_texts.discard(path)
            node = by_path.get(path)
            if node is None:
                continue
            text = node.get("rawTextBlob")
            data = text.encode("utf-8") if isinstance(text, str) else None
            probed = self.probed.get(path)
            if data is None or probed is None or len(data) != probed.size:
                self.lazy.add(path)  # binary, or text the server re-encoded: read the raw bytes
            else:
                self.texts[path] = data

    def absorb_host_facts(self, project: dict[str, Any]) -> None:
        self.host_facts_pending = False
        rules = project.get("branchRules")
        if rules is None:
            return
        nodes = rules.get("nodes") or []
        if nodes:
            self.branch_protected = any(n.get("isDefault") and n.get("isProtected") for n in nodes)
        elif (project.get("userPermissions") or {}).get("adminProject"):
            self.branch_protected = False  # a maintainer sees every rule: there are none

    # -- deciding what comes next --------------------------------------------------------------

    def complete(self, directory: str) -> bool:
        return directory in self.listings and directory not in self.pending_trees

    def advance(self) -> None:
        """Schedule what the answers so far show is needed."""
        if self.failure is not None:
            return
        for directory in LISTED_DIRECTORIES:
            if directory in self.listings or directory in self.pending_trees:
                continue
            parent = directory.rpartition("/")[0]
            if self.complete(parent) and any(
                e.is_directory and e.path == directory for e in self.listings[parent]
            ):
                self.pending_trees[directory] = TreePage(directory)
        for directory, listing in list(self.listings.items()):
            if not self.complete(directory):
                continue
            for entry in listing:
                if entry.is_directory:
                    continue
                if entry.mode == LINK_MODE:
                    self.link_target(entry.path, schedule=True)
                elif is_read_by_rules(entry.path):
                    self._need_text(entry.path)

    def _need_text(self, path: str) -> None:
        if path in self.texts or path in self.lazy or path in self.pending_texts:
            return
        if path not in self.probed:
            self.pending_probe.add(path)
            return
        info = self.probed[path]
        if info is None:
            return
        if info.size > MAX_READ_BYTES:
            self.lazy.add(path)
        else:
            self.pending_texts.add(path)

    def lookup(self, path: str) -> TreeEntryInfo | BlobInfo | Literal[False] | None:
        """What is at `path`: an entry, blob info, None when absent, False when not yet known."""
        directory = path.rpartition("/")[0]
        if self.complete(directory):
            return next((e for e in self.listings[directory] if e.path == path), None)
        parts = path.split("/")
        for depth in range(len(parts) - 1):
            ancestor, child = "/".join(parts[:depth]), "/".join(parts[: depth + 1])
            if self.complete(ancestor) and not any(
                e.is_directory and e.path == child for e in self.listings[ancestor]
            ):
                return None  # a listed directory shows that the path cannot exist
        if path in self.probed:
            return self.probed[path]
        return False

    def link_target(self, link: str, *, schedule: bool = False, hops: int = 0) -> str | None:
        """The file a link finally points to inside the repository, or None (out, dangling, a
        directory, or not known yet; with `schedule`, what is missing to know it is requested)."""
        if link not in self.texts:
            if schedule and link not in self.lazy:
                if link not in self.probed:
                    self.pending_probe.add(link)
                elif self.probed[link] is not None:
                    self.pending_texts.add(link)
            return None
        target = resolve_link(link, self.texts[link].decode("utf-8", errors="replace"))
        if target is None or hops >= MAX_LINK_HOPS:
            return None
        found = self.lookup(target)
        if found is False:
            if schedule:
                self.pending_probe.add(target)
            return None
        if found is None or (isinstance(found, TreeEntryInfo) and found.is_directory):
            return None
        if found.mode == LINK_MODE:
            return self.link_target(target, schedule=schedule, hops=hops + 1)
        if schedule and is_read_by_rules(link):
            self._need_text(target)
        return target


def resolve_link(link: str, target: str) -> str | None:
    """The repository path a link's target names, or None when it leaves the repository."""
    target = target.strip()
    if not target or target.startswith("/") or "\x00" in target:
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(link), target))
    if resolved in (".", "..") or resolved.startswith("../"):
        return None
    return resolved
