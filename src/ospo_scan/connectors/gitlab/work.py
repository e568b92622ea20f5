"""What still has to be fetched for one GitLab project, round after round.

A project is read in rounds, each a slice of one batched GraphQL request: list the root; list the
evidence directories that exist; learn the size of the files rules read; fetch the texts of
those small enough. Nothing is fetched that no rule reads, and no text larger than the read
bound travels: such files are read later, bounded, through the raw-file API.

Symbolic links are followed the way `realpath` follows them in a working tree (GitLab never
resolves them): each component of a path is looked up in its directory's listing, each link met
(the file itself or a directory on the way) read and followed, `..` applied to the real
directory. A link that leaves the repository, dangles or loops is an outside link.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from ospo_scan.connectors.gitlab.cost import MAX_BLOBS_DATA
from ospo_scan.connectors.reads import is_ci_definition, is_read_by_rules
from ospo_scan.snapshot import LISTED_DIRECTORIES, MAX_READ_BYTES, EntryKind, HostFact

LINK_MODE = "120000"
_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
MAX_PATHS_PER_ROUND = 100
"""GitLab serves at most 100 blobs per `blobs(paths:)` connection."""
MAX_LINK_HOPS = 40
LEAVING = "symbolic link leaving the repository, not followed"
DANGLING = "dangling symbolic link"


@dataclass(frozen=True)
class TreeEntryInfo:
    path: str
    is_directory: bool
    mode: str
    """Git file mode, e.g. `100644`, `120000` for a symbolic link; '' for a directory."""


@dataclass(frozen=True)
class Resolution:
    """Where a path leads: a real file or directory, an outside link, or not known yet."""

    kind: EntryKind | None
    """FILE, DIRECTORY, OUTSIDE_LINK; None while a listing or link text is still missing."""
    real: str | None = None
    """The path without links, for a file or directory."""
    warning: str | None = None


PENDING = Resolution(None)


@dataclass
class TreePage:
    """A directory listing in progress; cursors are None before the first page."""

    directory: str
    blobs_after: str | None = None
    trees_after: str | None = None
    blobs_done: bool = False
    trees_done: bool = False

    @property
    def first_of_root(self) -> bool:
        """The first page of the root directory (which also asks for the head commit)."""
        return self.directory == "" and self.blobs_after is None and self.trees_after is None


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


NEWCOMER_LABELS: tuple[tuple[str, str], ...] = (
    ("goodFirstIssue", "good first issue"),
    ("helpWanted", "help wanted"),
)
"""(alias, label) of the newcomer labels whose issues are counted with the host facts."""
RELEASES_READ = 20
"""The latest releases whose tags are read with the host facts."""


@dataclass
class ProjectWork:
    """The reading state of one project."""

    name: str
    ref: str | None
    trees: dict[str, list[TreeEntryInfo]] = field(default_factory=dict)
    """Listings by real directory path, complete once no longer pending."""
    pending_trees: dict[str, TreePage] = field(default_factory=dict)
    sizes: dict[str, int | None] = field(default_factory=dict)
    pending_probe: set[str] = field(default_factory=set)
    texts: dict[str, bytes] = field(default_factory=dict)
    """File texts and link targets, by real path (a link's own path for its target)."""
    pending_texts: set[str] = field(default_factory=set)
    lazy: set[str] = field(default_factory=set)
    """Files read on demand through the raw-file API (too large, binary, transcoded, or stored
    in Git LFS, whose blob is only a pointer)."""
    host_facts_pending: bool = True
    facts: frozenset[HostFact] = frozenset()
    """The Baseline's host facts the ruleset reads (`EntitySource.ask_for`): the host-facts share
    of a round asks for these beside every scan's."""
    reads_ci: bool = True
    """Whether the CI definitions' texts are read ahead (the ruleset reads them)."""
    host_answer: dict[str, Any] | None = None
    """The project's answer to the host-facts share, as GitLab gave it."""
    branch_protected: bool | None = None
    newcomer_issues: int | None = None
    """Issues carrying `good first issue` or `help wanted` (summed per label)."""
    release_tags: tuple[str, ...] = ()
    """The tags of the latest releases, newest first."""
    commit: str | None = None
    """The head commit of the branch read, from the root listing's `lastCommit`."""
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
            texts=self._next_texts(),
            host_facts=self.host_facts_pending,
        )

    def _next_texts(self) -> list[str]:
        """Texts to fetch together: GitLab refuses a read of several blobs above 20 MB in all."""
        chosen: list[str] = []
        total = 0
        for path in sorted(self.pending_texts):
            size = self.sizes.get(path) or 0
            if len(chosen) == MAX_PATHS_PER_ROUND or (chosen and total + size > MAX_BLOBS_DATA):
                break
            chosen.append(path)
            total += size
        return chosen

    def fail(self, reason: str) -> None:
        self.failure = reason

    # -- absorbing answers -------------------------------------------------------------------

    def absorb_tree(self, page: TreePage, tree: dict[str, Any] | None) -> None:
        if page.first_of_root and tree is not None:
            sha = (tree.get("lastCommit") or {}).get("sha")
            if isinstance(sha, str) and _OBJECT_ID.fullmatch(sha):
                self.commit = sha
        listing = self.trees.setdefault(page.directory, [])
        if tree is None:
            page.blobs_done = page.trees_done = True
        for key, is_directory in (("blobs", False), ("trees", True)):
            connection = (tree or {}).get(key)
            done = page.trees_done if is_directory else page.blobs_done
            if connection is None or done:
                continue
            for node in connection["nodes"]:
                mode = "" if is_directory else str(node.get("mode") or "")
                listing.append(TreeEntryInfo(node["path"], is_directory, mode))
            cursor, more = (
                connection["pageInfo"]["endCursor"],
                connection["pageInfo"]["hasNextPage"],
            )
            if is_directory:
                page.trees_after, page.trees_done = cursor, not more
            else:
                page.blobs_after, page.blobs_done = cursor, not more
        if page.blobs_done and page.trees_done:
            self.pending_trees.pop(page.directory, None)

    def absorb_probe(self, asked: list[str], nodes: list[dict[str, Any]]) -> None:
        found = {n["path"]: n for n in nodes}
        for path in asked:
            node = found.get(path)
            self.pending_probe.discard(path)
            if node is not None and node.get("storedExternally"):
                self.sizes[path] = int(node.get("rawSize") or 0)
                self.lazy.add(path)  # in Git LFS: the blob's text is only the pointer
                continue
            self.sizes[path] = None if node is None else int(node.get("size") or 0)
            self._need_text(path)

    def texts_refused(self, asked: list[str]) -> None:
        """GitLab refused to read these blobs together: the files are read one by one, raw;
        link targets (small, and needed to resolve paths) are asked for again."""
        for path in asked:
            if not self.is_link(path):
                self.pending_texts.discard(path)
                self.lazy.add(path)

    def absorb_texts(self, asked: list[str], nodes: list[dict[str, Any]]) -> None:
        by_path = {n["path"]: n.get("rawTextBlob") for n in nodes}
        for path in asked:
            self.pending_texts.discard(path)
            text = by_path.get(path)
            data = text.encode("utf-8") if isinstance(text, str) else None
            if self.is_link(path):
                self.texts[path] = data or b""  # a link's target; unreadable means dangling
            elif data is None or len(data) != self.sizes.get(path):
                self.lazy.add(path)  # binary, or text the server re-encoded: read the raw bytes
            else:
                self.texts[path] = data

    def absorb_host_facts(self, project: dict[str, Any]) -> None:
        self.host_facts_pending = False
        self.host_answer = project
        counts = [(project.get(alias) or {}).get("count") for alias, _ in NEWCOMER_LABELS]
        if all(isinstance(count, int) for count in counts):
            self.newcomer_issues = sum(c for c in counts if isinstance(c, int))
        releases = (project.get("releases") or {}).get("nodes") or []
        self.release_tags = tuple(
            str(node["tagName"]) for node in releases if node and node.get("tagName")
        )
        rules = project.get("branchRules")
        if rules is None:
            return
        nodes = rules.get("nodes") or []
        if nodes:
            self.branch_protected = any(n.get("isDefault") and n.get("isProtected") for n in nodes)
        elif (project.get("userPermissions") or {}).get("adminProject"):
            self.branch_protected = False  # a maintainer sees every rule: there are none

    # -- resolving paths ---------------------------------------------------------------------

    def complete(self, directory: str) -> bool:
        return directory in self.trees and directory not in self.pending_trees

    def entry(self, path: str) -> TreeEntryInfo | None:
        directory = posixpath.dirname(path)
        return next((e for e in self.trees.get(directory, ()) if e.path == path), None)

    def is_link(self, path: str) -> bool:
        found = self.entry(path)
        return found is not None and found.mode == LINK_MODE

    def resolve(self, path: str, *, schedule: bool = False) -> Resolution:
        """Where `path` leads; with `schedule`, what is missing to know is asked for."""
        if path.startswith("/"):
            return Resolution(EntryKind.OUTSIDE_LINK, warning=LEAVING)
        components = [c for c in path.split("/") if c not in ("", ".")]
        current, hops = "", 0
        while components:
            name = components.pop(0)
            if name == "..":
                if not current:
                    return Resolution(EntryKind.OUTSIDE_LINK, warning=LEAVING)
                current = posixpath.dirname(current)
                continue
            if not current and name.lower() == ".git":
                return Resolution(EntryKind.OUTSIDE_LINK, warning=LEAVING)
            if not self.complete(current):
                if schedule and current not in self.pending_trees:
                    self.pending_trees[current] = TreePage(current)
                return PENDING
            child = f"{current}/{name}" if current else name
            found = self.entry(child)
            if found is None or (components and not found.is_directory and not self._linked(found)):
                return Resolution(EntryKind.OUTSIDE_LINK, warning=DANGLING)
            if found.is_directory:
                current = child
                continue
            if not self._linked(found):
                return Resolution(EntryKind.FILE, real=child)
            hops += 1
            if hops > MAX_LINK_HOPS:
                return Resolution(EntryKind.OUTSIDE_LINK, warning=DANGLING)
            if child not in self.texts:
                if schedule:
                    self.pending_texts.add(child)
                return PENDING
            target = self.texts[child].decode("utf-8", errors="replace")
            if not target or target.startswith("/") or "\x00" in target:
                return Resolution(EntryKind.OUTSIDE_LINK, warning=LEAVING if target else DANGLING)
            components = [c for c in target.split("/") if c not in ("", ".")] + components
        return Resolution(EntryKind.DIRECTORY, real=current)

    @staticmethod
    def _linked(entry: TreeEntryInfo) -> bool:
        return entry.mode == LINK_MODE

    # -- deciding what comes next --------------------------------------------------------------

    def listed(self) -> dict[str, str]:
        """The listed directories that exist, each with the real directory it leads to."""
        found: dict[str, str] = {}
        for directory in LISTED_DIRECTORIES:
            where = self.resolve(directory) if directory else Resolution(EntryKind.DIRECTORY, "")
            if where.kind is EntryKind.DIRECTORY and where.real is not None:
                found[directory] = where.real
        return found

    def advance(self) -> None:
        """Schedule what the answers so far show is needed."""
        if self.failure is not None:
            return
        for directory in LISTED_DIRECTORIES:
            where = self.resolve(directory, schedule=True) if directory else None
            real = "" if where is None else where.real
            if (where is None or where.kind is EntryKind.DIRECTORY) and real is not None:
                if not self.complete(real):
                    self.pending_trees.setdefault(real, TreePage(real))
                    continue
                for entry in self.trees[real]:
                    shown = posixpath.join(directory, posixpath.basename(entry.path))
                    resolved = self.resolve(shown, schedule=True)
                    if resolved.kind is EntryKind.FILE and self._reads(shown):
                        self._need_text(resolved.real or shown)

    def _reads(self, path: str) -> bool:
        """Whether a rule reads the file's text, and so it is read ahead."""
        return is_read_by_rules(path) and (self.reads_ci or not is_ci_definition(path))

    def _need_text(self, path: str) -> None:
        if path in self.texts or path in self.lazy or path in self.pending_texts:
            return
        if path not in self.sizes:
            self.pending_probe.add(path)
            return
        size = self.sizes[path]
        if size is None:
            return
        if size > MAX_READ_BYTES:
            self.lazy.add(path)
        else:
            self.pending_texts.add(path)
