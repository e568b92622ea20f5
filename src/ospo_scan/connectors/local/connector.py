"""The local connector: a directory on disk becomes one repository or an entity of repositories.

- A directory with `.git` (a directory or a file), or with no repository-like children, is one
  repository.
- A directory whose immediate children are git repositories is an entity of those children.
- A directory holding `ospo-entity.toml` is an entity whose every child directory is a repository,
  with or without `.git` (git cannot commit nested repositories, so committed fixtures have none).
  Hidden children are skipped, except `.github`.

A child named `.github` supplies the organisation defaults, as GitHub's `.github` repository does.
Nothing from a scanned directory is ever executed (git is not run) and every file access goes
through `WorkingTree`, which keeps reads inside the repository and bounded.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from ospo_scan.config.entity import (
    ENTITY_FILE,
    EntityProfile,
    RepositoryFacts,
    load_entity_profile,
)
from ospo_scan.connectors.interface import (
    Connector,
    EntitySource,
    RepoFailure,
    ScanOptions,
    Target,
    TargetKind,
    unexpected_failure,
)
from ospo_scan.connectors.local.files import WorkingTree, escaped_name, is_utf8, lexists
from ospo_scan.connectors.local.git import (
    GitMetadataError,
    common_directory,
    has_git,
    read_git_state,
)
from ospo_scan.connectors.local.history import History, read_history
from ospo_scan.connectors.local.tags import tag_root
from ospo_scan.connectors.local.tree import count_file_types
from ospo_scan.errors import ConfigError, ConnectorError, UsageError
from ospo_scan.rules.workspaces import find_workspace, package_directories
from ospo_scan.snapshot import LISTED_DIRECTORIES, FileEntry, HostFacts, RepoMetadata, Snapshot

DEFAULTS_REPOSITORY = ".github"
NO_COMMITS = "repository has no commits"
UNCOMMITTED = "no commits yet: the working tree was scanned as it is"


@dataclass(frozen=True)
class _Child:
    """A repository directory of an entity."""

    name: str
    """The directory's name: the repository's name in the entity."""
    path: Path
    """The resolved directory."""


class LocalConnector(Connector):
    """Reads repositories from the local file system."""

    def open_entities(self, target: Target, options: ScanOptions) -> list[EntitySource]:
        """One entity, or several when the directory holds entity directories (each with an
        `ospo-entity.toml`, or of git repositories) and nothing else to scan."""
        root = _existing_directory(target.path)
        if not lexists(root / ENTITY_FILE) and not has_git(root):
            entities = _entity_directories(root)
            if entities:
                return [
                    self.open(Target(TargetKind.LOCAL, str(e), raw=str(e)), options)
                    for e in entities
                ]
        return [self.open(target, options)]

    def open(self, target: Target, options: ScanOptions) -> EntitySource:
        root = _existing_directory(target.path)
        entity_path = Path(target.path) / ENTITY_FILE
        if lexists(entity_path):
            children, notes = _children(root, require_git=False)
            entity = load_entity_profile(entity_path)
            _check_repository_facts(entity, children)
            return _entity_source(root, children, notes, options, entity)
        if not has_git(root):
            children, notes = _children(root, require_git=True)
            if children:
                return _entity_source(root, children, notes, options, None)
        if not has_git(root) and _is_empty(root):
            raise UsageError(
                f"nothing to scan in {target.path}: the directory is empty",
                hint="give a repository, a directory of repositories or an entity directory",
            )
        name = _display_name(root)
        repository = _Child(name, root)
        return EntitySource(
            name=name,
            source=TargetKind.LOCAL,
            repositories=_Repositories([repository], {}, options, in_entity=False),
            url=root.as_uri(),
        )


def _existing_directory(path: str) -> Path:
    if not path:
        raise UsageError("empty local path")
    directory = Path(path)
    if not directory.exists():
        raise UsageError(f"no such directory: {path}")
    if not directory.is_dir():
        raise UsageError(f"not a directory: {path}")
    return directory.resolve()


def _is_empty(directory: Path) -> bool:
    try:
        return next(directory.iterdir(), None) is None
    except OSError as exc:
        raise ConnectorError(f"cannot list {directory}: {exc.strerror}") from exc


def _entity_directories(root: Path) -> list[Path]:
    """The child directories that are entities (an `ospo-entity.toml`, or git repositories
    inside), unless a child is itself a repository: then `root` is one entity."""
    try:
        children = sorted(
            c for c in root.iterdir() if not c.name.startswith(".") and not c.is_symlink()
        )
    except OSError as exc:
        raise ConnectorError(f"cannot list {root}: {exc.strerror}") from exc
    directories = [c for c in children if c.is_dir()]
    if any(has_git(child) for child in directories):
        return []
    return [c for c in directories if lexists(c / ENTITY_FILE) or _has_git_children(c)]


def _has_git_children(directory: Path) -> bool:
    try:
        return any(c.is_dir() and has_git(c) for c in directory.iterdir())
    except OSError:
        return False


def _display_name(directory: Path) -> str:
    """A directory's name fit for a report, escaped when it is not valid UTF-8."""
    name = directory.name or str(directory)
    return name if is_utf8(name) else escaped_name(name)


def _children(root: Path, *, require_git: bool) -> tuple[list[_Child], list[str]]:
    """The repository directories of an entity, sorted by name, and notes on what was skipped."""
    children: list[_Child] = []
    notes: list[str] = []
    try:
        locations = list(root.iterdir())
    except OSError as exc:
        raise ConnectorError(f"cannot list {root}: {exc.strerror}") from exc
    for location in locations:
        name = location.name
        try:
            if not location.is_dir():
                continue
        except OSError as exc:
            notes.append(f"skipped {escaped_name(name)}: {exc.strerror}")
            continue
        if not is_utf8(name):
            if not require_git or has_git(location):
                shown = escaped_name(name)
                notes.append(f"skipped a directory whose name is not valid UTF-8: {shown}")
            continue
        if name.startswith(".") and name != DEFAULTS_REPOSITORY:
            continue
        resolved = location.resolve()
        if resolved == root or not resolved.is_relative_to(root):
            notes.append(f"skipped {name}: a symbolic link leaving the entity directory")
            continue
        if require_git and not has_git(resolved):
            continue
        children.append(_Child(name, resolved))
    children.sort(key=lambda child: child.name)
    return children, notes


def _check_repository_facts(entity: EntityProfile, children: Sequence[_Child]) -> None:
    names = {child.name for child in children}
    for name, facts in entity.repositories.items():
        if name not in names:
            raise ConfigError(
                "no repository directory of that name",
                path=entity.path,
                line=facts.line,
                key=f"repositories.{name}",
            )


def _entity_source(
    root: Path,
    children: list[_Child],
    notes: list[str],
    options: ScanOptions,
    entity: EntityProfile | None,
) -> EntitySource:
    facts: Mapping[str, RepositoryFacts] = entity.repositories if entity else {}
    has_defaults = any(child.name == DEFAULTS_REPOSITORY for child in children)
    return EntitySource(
        name=(entity.name if entity else None) or _display_name(root),
        source=TargetKind.LOCAL,
        repositories=_Repositories(children, facts, options, in_entity=True),
        url=(entity.url if entity else None) or root.as_uri(),
        defaults_repository=DEFAULTS_REPOSITORY if has_defaults else None,
        profile=entity,
        notes=tuple(notes),
        qualifier=_display_name(root),
        defaults_reachable=entity is not None or has_defaults,
    )


class _Repositories:
    """The snapshots of an entity's repositories, built one at a time as they are iterated."""

    def __init__(
        self,
        children: Sequence[_Child],
        facts: Mapping[str, RepositoryFacts],
        options: ScanOptions,
        *,
        in_entity: bool,
    ) -> None:
        self._children = sorted(children, key=lambda child: child.name)
        self._facts = facts
        self._visibility = options.visibility
        self._options = options
        self._in_entity = in_entity

    def __iter__(self) -> Iterator[Snapshot | RepoFailure]:
        defaults: Snapshot | RepoFailure | None = None
        for child in self._children:
            if child.name == DEFAULTS_REPOSITORY:
                defaults = self._build(child, org_defaults=None)
        # GitHub takes organisation defaults only from a public `.github` repository.
        inherited = defaults if isinstance(defaults, Snapshot) else None
        if inherited is not None and inherited.metadata.visibility != "public":
            inherited = None
        for child in self._children:
            if not self._wanted(child):
                continue
            if child.name == DEFAULTS_REPOSITORY and defaults is not None:
                yield defaults
            else:
                yield self._build(child, org_defaults=inherited)

    def __len__(self) -> int:
        """How many repositories iterating yields: the scan's progress counts them."""
        return sum(1 for child in self._children if self._wanted(child))

    def _wanted(self, child: _Child) -> bool:
        if not self._options.in_shard(child.name):
            return False
        if not self._in_entity or self._visibility == "all":
            return True  # a repository named on the command line is scanned whatever it is
        visibility = self._facts.get(child.name, RepositoryFacts()).visibility or "public"
        return (visibility == "public") == (self._visibility == "public")

    def _build(self, child: _Child, *, org_defaults: Snapshot | None) -> Snapshot | RepoFailure:
        facts = self._facts.get(child.name, RepositoryFacts())
        metadata = RepoMetadata(
            archived=bool(facts.archived),
            fork=bool(facts.fork),
            visibility=facts.visibility or "public",
            description=facts.description,
            topics=facts.topics,
            host=HostFacts(has_org_defaults=True if self._in_entity else None),
        )
        url = child.path.as_uri()
        try:
            return _snapshot(child, url, metadata, org_defaults)
        except OSError as exc:
            return RepoFailure(child.name, url, _describe(exc, child.path), metadata)
        except GitMetadataError as exc:
            return RepoFailure(child.name, url, f"unreadable git metadata: {exc}", metadata)
        except Exception as exc:  # whatever a hostile directory provokes stays with it
            return RepoFailure(child.name, url, unexpected_failure(exc), metadata)


def _snapshot(
    child: _Child, url: str, metadata: RepoMetadata, org_defaults: Snapshot | None
) -> Snapshot | RepoFailure:
    uncommitted = False
    state_read = False
    if has_git(child.path):
        state = read_git_state(child.path)
        history = _history(child.path, state.commit)
        metadata = replace(
            metadata,
            default_branch=state.default_branch,
            commit=state.commit,
            tags=state.tags,
            last_commit_at=history.last_commit_at,
            recent_commits=history.recent,
        )
        uncommitted = state.has_commits is False
        state_read = state.tags is not None
    tree = WorkingTree(child.path)
    listings: dict[str, tuple[FileEntry, ...]] = {}
    warnings: list[str] = []
    for directory in LISTED_DIRECTORIES:
        listing = tree.list_directory(directory)
        if listing is not None:
            listings[directory] = listing.entries
            warnings.extend(listing.warnings)
    _list_packages(tree, child.path, listings, warnings)
    if uncommitted:
        if not listings.get(""):
            return RepoFailure(child.name, url, NO_COMMITS, replace(metadata, empty=True))
        warnings.append(UNCOMMITTED)  # files written, none committed: scan what is there
    return Snapshot(
        name=child.name,
        url=url,
        metadata=metadata,
        listings=listings,
        reader=tree.read,
        org_defaults=org_defaults,
        warnings=tuple(warnings),
        lister=partial(_entries, tree),
        file_counter=partial(count_file_types, child.path),
        tag_lister=partial(tag_root, common_directory(child.path)) if state_read else None,
    )


def _entries(tree: WorkingTree, directory: str) -> tuple[FileEntry, ...] | None:
    listing = tree.list_directory(directory)
    return None if listing is None else listing.entries


def _list_packages(
    tree: WorkingTree, root: Path, listings: dict[str, tuple[FileEntry, ...]], warnings: list[str]
) -> None:
    """List the package directories of a workspace the root declares (a monorepo), so that
    rules see each package's licence and changelog; at most `MAX_PACKAGES` of them."""
    provisional = Snapshot(name=root.name, url="", listings=listings, reader=tree.read)
    workspace = find_workspace(provisional)
    if workspace is None:
        return

    def lister(directory: str) -> tuple[FileEntry, ...] | None:
        if directory not in listings:
            listing = tree.list_directory(directory)
            if listing is None:
                return None
            listings[directory] = listing.entries
            warnings.extend(listing.warnings)
        return listings[directory]

    directories, _ = package_directories(workspace, lister)
    for directory in directories:
        lister(directory)


def _history(worktree: Path, head: str | None) -> History:
    """The recent history of HEAD's branch; nothing known when it cannot be read."""
    if head is None:
        return History(None, None)
    try:
        return read_history(common_directory(worktree), head, datetime.now(timezone.utc))
    except (OSError, ValueError, GitMetadataError):
        return History(None, None)


def _describe(exc: OSError, root: Path) -> str:
    """An OSError as a one-line reason, naming the file relative to the repository."""
    reason = exc.strerror or exc.__class__.__name__
    if isinstance(exc.filename, (str, Path)):
        failed = Path(exc.filename)
        where = failed.relative_to(root) if failed.is_relative_to(root) else failed
        return f"cannot read {where.as_posix()}: {reason}"
    return f"cannot read the repository: {reason}"
