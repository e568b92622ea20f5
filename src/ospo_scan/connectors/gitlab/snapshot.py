"""GitLab projects as snapshots: metadata from the REST project, files from the rounds' answers."""

from __future__ import annotations

import fnmatch
import posixpath
import threading
from datetime import datetime
from typing import Any

import gitlab

from ospo_scan.connectors.gitlab.counts import tree_counter
from ospo_scan.connectors.gitlab.facts import Observed
from ospo_scan.connectors.gitlab.http import explain, read_raw
from ospo_scan.connectors.gitlab.work import ProjectWork
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.errors import RepositoryError
from ospo_scan.licences.spdx import normalise
from ospo_scan.snapshot import (
    MAX_READ_BYTES,
    EntryKind,
    FileEntry,
    HostFacts,
    RepoMetadata,
    Snapshot,
)


def project_name(project: dict[str, Any]) -> str:
    return str(project["path_with_namespace"])


def is_fork(project: dict[str, Any]) -> bool:
    return project.get("forked_from_project") is not None


def wanted(project: dict[str, Any], options: ScanOptions) -> bool:
    """Whether a project passes the visibility, name and shard filters."""
    visibility = project.get("visibility", "public")
    if options.visibility == "public" and visibility != "public":
        return False
    if options.visibility == "private" and visibility == "public":
        return False  # GitLab's `internal` projects are not public: they count as private
    name = project_name(project)
    if not options.in_shard(name):
        return False
    short = name.rsplit("/", 1)[-1]

    def matches(glob: str) -> bool:
        return fnmatch.fnmatchcase(name, glob) or fnmatch.fnmatchcase(short, glob)

    if options.include and not any(matches(g) for g in options.include):
        return False
    return not any(matches(g) for g in options.exclude)


def licence_spdx(project: dict[str, Any]) -> str | None:
    """GitLab's own licence detection (`license=true`) as SPDX, when it names a known licence."""
    licence = project.get("license")
    if not isinstance(licence, dict) or not licence.get("key"):
        return None
    key = str(licence["key"])
    if key in ("other", "no-license"):
        return None
    return normalise(key)


def metadata(
    project: dict[str, Any],
    *,
    protected: bool | None = None,
    licence: str | None = None,
    commit: str | None = None,
    newcomer_issues: int | None = None,
    release_tags: tuple[str, ...] = (),
    observed: Observed | None = None,
) -> RepoMetadata:
    topics = project.get("topics") or project.get("tag_list") or ()
    return RepoMetadata(
        archived=bool(project.get("archived", False)),
        fork=is_fork(project),
        empty=bool(project.get("empty_repo", False)),
        visibility=str(project.get("visibility", "public")),
        description=(project.get("description") or "").strip() or None,
        topics=tuple(str(t) for t in topics),
        pushed_at=_timestamp(project.get("last_activity_at")),
        default_branch=project.get("default_branch"),
        commit=commit,
        # GitLab lists releases, not tags: without a release the tags are unknown, not absent.
        tags=release_tags or None,
        host=HostFacts(
            issues_enabled=_issues_enabled(project),
            newcomer_issues=newcomer_issues,
            default_branch_protected=protected,
            licence_spdx=licence,
            has_org_defaults=False,
            platform="gitlab",
            **(observed.values if observed else {}),
            withheld=dict(observed.withheld) if observed else {},
        ),
    )


def _issues_enabled(project: dict[str, Any]) -> bool | None:
    """Whether anyone may open issues: `issues_access_level` (`private` is members only), else
    the older `issues_enabled`; None when the listing says neither."""
    level = project.get("issues_access_level")
    if isinstance(level, str):
        return level == "enabled"
    enabled = project.get("issues_enabled")
    return enabled if isinstance(enabled, bool) else None


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def build_snapshot(
    project: dict[str, Any],
    work: ProjectWork | None,
    client: gitlab.Gitlab,
    licence: str | None,
    max_retries: int,
    observed: Observed | None = None,
) -> Snapshot:
    """The snapshot of a project read in rounds (`work`), or of an empty project (None)."""
    if work is None:
        found = metadata(project, observed=observed)
        return Snapshot(project_name(project), str(project.get("web_url", "")), found)
    listings: dict[str, tuple[FileEntry, ...]] = {}
    warnings: list[str] = []
    for directory, real in work.listed().items():
        entries: list[FileEntry] = []
        for raw in work.trees.get(real, ()):
            shown = posixpath.join(directory, posixpath.basename(raw.path))
            where = work.resolve(shown)
            kind = where.kind or EntryKind.OUTSIDE_LINK
            size = work.sizes.get(where.real) if kind is EntryKind.FILE and where.real else None
            entries.append(FileEntry(shown, kind, size))
            if where.warning:
                warnings.append(f"{shown}: {where.warning}")
        if entries or directory == "":
            listings[directory] = tuple(sorted(entries, key=lambda e: e.path))
    return Snapshot(
        name=work.name,
        url=str(project.get("web_url", "")),
        metadata=metadata(
            project,
            protected=work.branch_protected,
            licence=licence,
            commit=work.commit,
            newcomer_issues=work.newcomer_issues,
            release_tags=work.release_tags,
            observed=observed,
        ),
        listings=listings,
        reader=_Reader(work, client, max_retries),
        warnings=tuple(sorted(set(warnings))),
        file_counter=tree_counter(client, work.name, work.ref, max_retries),
    )


class _Reader:
    """Bounded reads: texts fetched in the rounds, anything else through the raw-file API.

    A path outside the listed directories is read by its name through the raw-file API, which
    does not follow symbolic links on the way.
    """

    def __init__(self, work: ProjectWork, client: gitlab.Gitlab, max_retries: int) -> None:
        self._work = work
        self._client = client
        self._max_retries = max_retries
        self._lock = threading.Lock()
        self._fetched: dict[str, bytes | None] = {}
        self._fetched_limit: dict[str, int] = {}

    def __call__(self, path: str, limit: int) -> bytes | None:
        where = self._work.resolve(path)
        if where.kind is None:
            return self._read_raw(path, limit)
        if where.kind is not EntryKind.FILE or where.real is None:
            return None
        if where.real in self._work.texts:
            return self._work.texts[where.real][:limit]
        return self._read_raw(where.real, limit)

    def _read_raw(self, path: str, limit: int) -> bytes | None:
        with self._lock:
            if path in self._fetched and self._fetched_limit[path] >= limit:
                data = self._fetched[path]
                return None if data is None else data[:limit]
        fetched = max(limit, MAX_READ_BYTES + 1)  # one request per file, whoever reads it first
        try:
            work = self._work
            data = read_raw(self._client, work.name, path, work.ref, fetched, self._max_retries)
        except Exception as exc:
            error = explain(exc, what=f"reading {self._work.name}:{path}", token_name=None)
            raise RepositoryError(error.message, hint=error.hint) from exc
        with self._lock:
            self._fetched[path] = data
            self._fetched_limit[path] = fetched
        return None if data is None else data[:limit]
