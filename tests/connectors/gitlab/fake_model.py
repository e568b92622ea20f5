"""The data a fake GitLab serves: groups, projects and their files, loaded from real git repos."""

from __future__ import annotations

import hashlib
import posixpath
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

FILE_MODE = "100644"
LINK_MODE = "120000"
SUBMODULE_MODE = "160000"


@dataclass(frozen=True)
class Blob:
    mode: str
    data: bytes
    """What git holds: for a file in Git LFS, the pointer."""
    lfs: bytes | None = None
    """The content of a file stored in Git LFS (`data` is then its pointer)."""


@dataclass
class FakeProject:
    """A project as GitLab stores it; `files` maps repository paths to blobs."""

    full_path: str
    files: dict[str, Blob] = field(default_factory=dict)
    archived: bool = False
    forked_from: str | None = None
    visibility: str = "public"
    description: str | None = None
    topics: tuple[str, ...] = ()
    default_branch: str = "main"
    licence_key: str | None = None
    protected_branches: tuple[str, ...] = ("main",)
    last_activity_at: str = "2026-10-01T12:00:00.000Z"
    repository_readable: bool = True
    issues_access_level: str = "enabled"
    """`enabled`, `private` (members only) or `disabled`."""
    labelled_issues: dict[str, int] = field(default_factory=dict)
    """Label name -> how many issues carry it."""
    releases: tuple[str, ...] = ()
    """Tag names of the releases, newest first."""
    release_notes: dict[str, str] = field(default_factory=dict)
    """Tag -> the release's description."""
    release_assets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Tag -> names of the links attached to the release."""
    allow_force_push: bool = False
    """Whether the protected branches allow force pushes."""
    push_access_levels: tuple[int, ...] = (40,)
    """Who may push to the protected branches: 0 No one, 30 Developers, 40 Maintainers."""
    pipelines_must_succeed: bool = False
    """`only_allow_merge_if_pipeline_succeeds`."""
    job_token_push: bool = False
    """`ci_push_repository_for_job_token_allowed`."""
    secret_push_protection: bool = False
    """Secret push protection (an Ultimate setting)."""
    push_rule: dict[str, object] | None = None
    """The project's push rule as the REST API gives it (Premium), or none."""
    approval_rules: list[dict[str, object]] = field(default_factory=list)
    """The project's approval rules as the REST API gives them (Premium)."""
    push: bool = True
    """The token has Developer access or more (may push a branch and open a merge request)."""
    id: int = 0
    head_commit: str = ""
    """The default branch's head (a real repository's `HEAD`; derived from the files if empty)."""

    @property
    def head(self) -> str:
        if self.head_commit:
            return self.head_commit
        digest = hashlib.sha1(b"commit")
        for path, blob in sorted(self.files.items()):
            digest.update(path.encode("utf-8", errors="surrogateescape") + b"\0" + blob.data)
        return digest.hexdigest()

    @property
    def empty(self) -> bool:
        return not self.files

    @property
    def namespace(self) -> str:
        return self.full_path.rsplit("/", 1)[0]

    @classmethod
    def from_texts(cls, full_path: str, texts: dict[str, str], **kwargs: object) -> FakeProject:
        files = {p: Blob(FILE_MODE, t.encode("utf-8")) for p, t in texts.items()}
        return cls(full_path, files, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def from_git(cls, full_path: str, repo: Path, **kwargs: object) -> FakeProject:
        """Every blob, link and submodule of `repo`'s HEAD, as `git ls-tree` sees them."""
        listing = subprocess.run(
            ["git", "-C", str(repo), "ls-tree", "-r", "-z", "HEAD"],
            check=True,
            capture_output=True,
        ).stdout
        files: dict[str, Blob] = {}
        for record in listing.split(b"\x00"):
            if not record:
                continue
            meta, path = record.split(b"\t", 1)
            mode, kind, sha = meta.decode().split()
            data = b""
            if kind == "blob":
                data = subprocess.run(
                    ["git", "-C", str(repo), "cat-file", "blob", sha],
                    check=True,
                    capture_output=True,
                ).stdout
            files[path.decode("utf-8", errors="surrogateescape")] = Blob(mode, data)
        head = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "HEAD"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return cls(full_path, files, head_commit=head, **kwargs)  # type: ignore[arg-type]

    def children(self, directory: str) -> tuple[list[tuple[str, Blob]], list[str], list[str]]:
        """Blobs, subtrees and submodules directly under `directory`, sorted by name."""
        prefix = f"{directory}/" if directory else ""
        blobs: list[tuple[str, Blob]] = []
        trees: set[str] = set()
        submodules: list[str] = []
        for path, blob in self.files.items():
            if not path.startswith(prefix):
                continue
            rest = path[len(prefix) :]
            if "/" in rest:
                trees.add(prefix + rest.split("/", 1)[0])
            elif blob.mode == SUBMODULE_MODE:
                submodules.append(path)
            else:
                blobs.append((path, blob))
        blobs.sort()
        return blobs, sorted(trees), sorted(submodules)

    def descendants(self, directory: str) -> tuple[list[tuple[str, Blob]], list[str], list[str]]:
        """Blobs, trees and submodules anywhere under `directory`, as a recursive listing."""
        blobs: list[tuple[str, Blob]] = []
        trees: list[str] = []
        submodules: list[str] = []
        pending = [directory]
        while pending:
            found_blobs, found_trees, found_submodules = self.children(pending.pop())
            blobs += found_blobs
            trees += found_trees
            submodules += found_submodules
            pending += found_trees
        return sorted(blobs), sorted(trees), sorted(submodules)

    def blob(self, path: str) -> Blob | None:
        blob = self.files.get(posixpath.normpath(path))
        return blob if blob is not None and blob.mode != SUBMODULE_MODE else None


@dataclass
class FakeGroup:
    full_path: str
    visibility: str = "public"
    id: int = 0
    require_two_factor: bool = False
    """Whether the group requires two-factor authentication of its members."""


class FakeInstance:
    """Groups and projects, with ids, as one GitLab instance holds them."""

    def __init__(self, tier: str = "premium") -> None:
        self.tier = tier
        """`ce` (Community Edition: no push or approval rules), `free`, `premium` or `ultimate`."""
        self.require_two_factor = False
        """Whether the instance requires two-factor authentication of every user."""
        self.groups: dict[str, FakeGroup] = {}
        self.projects: dict[str, FakeProject] = {}
        self._next_id = 100

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def add_group(self, full_path: str, visibility: str = "public") -> FakeGroup:
        parts = full_path.split("/")
        for depth in range(1, len(parts)):
            ancestor = "/".join(parts[:depth])
            if ancestor not in self.groups:
                self.groups[ancestor] = FakeGroup(ancestor, id=self._id())
        group = self.groups.get(full_path) or FakeGroup(full_path, visibility, self._id())
        group.visibility = visibility
        self.groups[full_path] = group
        return group

    def add_project(self, project: FakeProject) -> FakeProject:
        if project.namespace not in self.groups:
            self.add_group(project.namespace)
        project.id = self._id()
        self.projects[project.full_path] = project
        return project

    def group_projects(self, group: FakeGroup) -> list[FakeProject]:
        prefix = group.full_path + "/"
        return sorted(
            (p for p in self.projects.values() if p.full_path.startswith(prefix)),
            key=lambda p: p.id,
        )

    def find_group(self, ref: str) -> FakeGroup | None:
        if ref.isdigit():
            return next((g for g in self.groups.values() if g.id == int(ref)), None)
        return self.groups.get(ref)

    def find_project(self, ref: str) -> FakeProject | None:
        if ref.isdigit():
            return next((p for p in self.projects.values() if p.id == int(ref)), None)
        return self.projects.get(ref)
