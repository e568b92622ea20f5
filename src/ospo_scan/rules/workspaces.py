"""Monorepos: a workspace declared at the root, and the package directories it names.

npm, yarn and pnpm workspaces (changesets and lerna build on them), Cargo workspaces and uv
workspaces keep a licence and a changelog per package. The root declares the packages as paths
or `dir/*` patterns; a connector that can list directories cheaply (a local clone) lists each
package directory, at most `MAX_PACKAGES` of them, so that rules see their files; so does a
GitHub scan, in two more rounds of its batched queries. GitLab scans list only the fixed
directories of `LISTED_DIRECTORIES`: they see that a workspace exists, not the files of its
packages, and the rules say so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from ospo_scan._compat import tomllib
from ospo_scan.snapshot import EntryKind, FileEntry, Snapshot

MAX_PACKAGES = 50
"""Package directories listed and judged per repository; a larger workspace is judged on its
first packages in path order, and the rules say so."""
_MAX_PATTERNS = 20


@dataclass(frozen=True)
class Workspace:
    """A workspace a repository's root declares."""

    declared_in: str
    """The file that declares it (`package.json`, `pnpm-workspace.yaml`, `Cargo.toml`, ...)."""
    patterns: tuple[str, ...]
    """Its package paths and `dir/*` patterns, as written."""

    @property
    def described(self) -> str:
        return f"{self.declared_in} ({', '.join(self.patterns[:3])})"


@dataclass(frozen=True)
class Packages:
    """A workspace and the package directories found for it."""

    workspace: Workspace
    """The workspace the root declares."""
    directories: tuple[str, ...]
    """Package directories the snapshot lists, in path order."""
    listed: bool
    """The snapshot lists the package directories (False on host scans)."""
    truncated: bool = False
    """More packages exist than `MAX_PACKAGES`."""


Lister = Callable[[str], tuple[FileEntry, ...] | None]
"""The entries of a repository directory; None when it is not a directory."""


def find_workspace(snapshot: Snapshot) -> Workspace | None:
    """The workspace the root declares, when it declares one."""

    def read(name: str) -> str | None:
        entry = snapshot.find_file(name)
        text = snapshot.read_text(entry.path) if entry else None
        return None if text is None or text.binary else text.text

    return workspace_of(read)


def workspace_of(read: Callable[[str], str | None]) -> Workspace | None:
    """The workspace declared by the root files `read` returns (None for a file not there)."""
    for name, reader in _DECLARATIONS:
        text = read(name)
        if text is None:
            continue
        patterns = tuple(p.strip().strip("/") for p in reader(text) if isinstance(p, str))
        patterns = tuple(p for p in patterns if p and not p.startswith(("!", "..", "/")))
        if patterns:
            return Workspace(name, patterns[:_MAX_PATTERNS])
    return None


def package_directories(workspace: Workspace, lister: Lister) -> tuple[tuple[str, ...], bool]:
    """The package directories the workspace's patterns name, and whether there were more than
    `MAX_PACKAGES`. `dir/*` (and `dir/**`) is every directory in `dir`; other patterns are paths."""
    found: list[str] = []
    for pattern in workspace.patterns:
        parent, _, last = pattern.rpartition("/")
        if last in ("*", "**"):
            entries = lister(parent) or ()
            found.extend(e.path for e in entries if e.kind is EntryKind.DIRECTORY)
        elif "*" not in pattern:
            found.append(pattern)
    unique = sorted(dict.fromkeys(found))
    return tuple(unique[:MAX_PACKAGES]), len(unique) > MAX_PACKAGES


def packages(snapshot: Snapshot) -> Packages | None:
    """The repository's workspace packages as the snapshot shows them; None without a
    workspace."""
    workspace = find_workspace(snapshot)
    if workspace is None:
        return None
    directories, truncated = package_directories(workspace, _listed(snapshot))
    listed = [d for d in directories if d in snapshot.listings]
    return Packages(workspace, tuple(listed), listed=bool(listed), truncated=truncated)


def _listed(snapshot: Snapshot) -> Lister:
    def lister(directory: str) -> tuple[FileEntry, ...] | None:
        return snapshot.listings.get(directory)

    return lister


def _package_json(text: str) -> list[object]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    found = data.get("workspaces") if isinstance(data, dict) else None
    if isinstance(found, dict):  # yarn's {"packages": [...], "nohoist": [...]}
        found = found.get("packages")
    return found if isinstance(found, list) else []


def _pnpm(text: str) -> list[object]:
    import yaml  # here: only a repository that has the file needs a YAML reader

    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError):
        return []
    found = data.get("packages") if isinstance(data, dict) else None
    return found if isinstance(found, list) else []


def _lerna(text: str) -> list[object]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    found = data.get("packages", ["packages/*"]) if isinstance(data, dict) else None
    return found if isinstance(found, list) else []


def _toml_members(*keys: str) -> Callable[[str], list[object]]:
    def reader(text: str) -> list[object]:
        try:
            data: object = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError):
            return []
        for key in keys:
            data = data.get(key) if isinstance(data, dict) else None
        members = data.get("members") if isinstance(data, dict) else None
        return members if isinstance(members, list) else []

    return reader


_DECLARATIONS: tuple[tuple[str, Callable[[str], list[object]]], ...] = (
    ("pnpm-workspace.yaml", _pnpm),
    ("package.json", _package_json),
    ("lerna.json", _lerna),
    ("Cargo.toml", _toml_members("workspace")),
    ("pyproject.toml", _toml_members("tool", "uv", "workspace")),
)
"""Files that declare a workspace, and how to read their package patterns."""

WORKSPACE_FILES = tuple(name for name, _ in _DECLARATIONS)
"""Root files read to find a workspace."""
