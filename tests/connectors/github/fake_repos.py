"""The repositories a fake GitHub serves: files (or links) at paths, plus host metadata."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from tests.gitrepos import FileContent, Symlink

BLOB_MODE = 0o100644
TREE_MODE = 0o040000
LINK_MODE = 0o120000
SUBMODULE_MODE = 0o160000


@dataclass(frozen=True)
class FakeCommit:
    """One commit of a fake repository's default branch."""

    committed: str
    """ISO 8601 date, e.g. `2026-11-02T10:00:00Z`."""
    email: str
    name: str = "Someone"
    login: str | None = None
    """The GitHub user the commit is linked to; None for an unlinked e-mail (or a bot)."""


@dataclass(frozen=True)
class FakeRule:
    """One active rule of a ruleset on the default branch (GitHub's `RepositoryRuleType`)."""

    type: str
    """`PULL_REQUEST`, `DELETION`, `NON_FAST_FORWARD`, `REQUIRED_STATUS_CHECKS`, `UPDATE`..."""
    ruleset: str = "main"
    organisation: bool = False
    """The ruleset is the organisation's, not the repository's."""
    approvals: int = 0
    """`PULL_REQUEST`: approvals required."""
    checks: tuple[str, ...] = ()
    """`REQUIRED_STATUS_CHECKS`: the checks' contexts."""


@dataclass(frozen=True)
class FakeRelease:
    """One release."""

    tag: str
    notes: str = ""
    assets: tuple[str, ...] = ()
    draft: bool = False
    prerelease: bool = False
    published_at: str = "2024-01-15T12:00:00Z"


@dataclass
class FakeRepo:
    """One repository as the fake host knows it."""

    name: str
    files: Mapping[str, FileContent] = field(default_factory=dict)
    archived: bool = False
    fork: bool = False
    private: bool = False
    description: str | None = None
    topics: tuple[str, ...] = ()
    pushed_at: str | None = "2024-01-15T12:00:00Z"
    default_branch: str = "main"
    protected: bool = False
    licence_spdx: str | None = None
    security_policy: bool = False
    submodules: tuple[str, ...] = ()
    protection_hidden: bool = False
    """Reading the default branch's protection fails (the token lacks the permission)."""
    push: bool = True
    """The token may push to the repository (REST `permissions.push`)."""
    broken: str | None = None
    """When set, reading this repository's git objects fails with this message (like SAML/DMCA)."""
    issues_enabled: bool = True
    labels: Mapping[str, int] = field(default_factory=dict)
    """Label name -> how many issues carry it."""
    tags: tuple[str, ...] = ()
    """Tag names, newest commit first."""
    commits: tuple[FakeCommit, ...] = ()
    """The default branch's history, newest first (the head commit's date comes from here)."""
    approvals: int | None = None
    """Classic protection (when `protected`): approvals a pull request needs; None: no pull
    request required."""
    checks: tuple[str, ...] = ()
    """Classic protection (when `protected`): required status checks."""
    rules: tuple[FakeRule, ...] = ()
    """Active ruleset rules on the default branch."""
    releases: tuple[FakeRelease, ...] = ()
    """Newest first."""
    discussions: bool = False
    signoff: bool = False
    vulnerability_reporting: bool = False
    advisories: int = 0
    """Published security advisories."""
    secret_scanning: bool = False
    push_protection: bool = False
    workflow_permissions: str = "write"
    code_scanning: str | None = "not-configured"
    """Code scanning's default setup: `configured`, `not-configured`, or None where the token
    may not read it (403)."""

    @property
    def empty(self) -> bool:
        return not self.files and not self.submodules

    def content(self, path: str) -> bytes | None:
        """The bytes git stores for a blob (a link's target for a link)."""
        value = self.files.get(path)
        if value is None:
            return None
        if isinstance(value, Symlink):
            return value.target.encode("utf-8")
        return value.encode("utf-8") if isinstance(value, str) else value

    def kind(self, path: str) -> str | None:
        """blob, link, tree, commit (submodule), or None when nothing is at `path`."""
        if path == "":
            return None if self.empty else "tree"
        if path in self.submodules:
            return "commit"
        value = self.files.get(path)
        if value is not None:
            return "link" if isinstance(value, Symlink) else "blob"
        prefix = path + "/"
        if any(p.startswith(prefix) for p in [*self.files, *self.submodules]):
            return "tree"
        return None

    def children(self, directory: str) -> list[tuple[str, str]]:
        """(name, kind) of the entries of a directory, sorted by name."""
        prefix = f"{directory}/" if directory else ""
        names = {
            p[len(prefix) :].split("/", 1)[0]
            for p in [*self.files, *self.submodules]
            if p.startswith(prefix)
        }
        found = []
        for name in sorted(names):
            kind = self.kind(prefix + name)
            assert kind is not None
            found.append((name, kind))
        return found

    @property
    def head(self) -> str:
        """The default branch's head commit: derived from the files, so it changes with them."""
        listing = "".join(f"{path}\0{self.oid(path)}\0" for path in sorted(self.files))
        return hashlib.sha1(b"commit " + listing.encode("utf-8")).hexdigest()

    def oid(self, path: str) -> str:
        data = self.content(path) or path.encode("utf-8")
        return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def mode_of(kind: str) -> int:
    return {"blob": BLOB_MODE, "link": LINK_MODE, "tree": TREE_MODE, "commit": SUBMODULE_MODE}[kind]
