"""GitHub answers become the snapshot every connector builds: metadata, listings, bounded reads."""

from __future__ import annotations

import fnmatch
import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any

from ospo_scan.connectors.github.queries import NEWCOMER_ALIASES
from ospo_scan.connectors.github.trees import RepoFiles
from ospo_scan.connectors.interface import RepoFailure, ScanOptions
from ospo_scan.snapshot import (
    ACTIVITY_WINDOW_DAYS,
    FileCounter,
    FileEntry,
    HostFacts,
    RecentCommits,
    RepoMetadata,
    Snapshot,
    is_automation,
)

RawFetcher = Callable[[str, str, str | None, bool], bytes | None]
"""(full name, path, branch, try GraphQL text first) -> the file's bytes, or None when it is not
a readable file."""

TreeLister = Callable[[str, str], "tuple[FileEntry, ...] | None"]
"""(full name, directory) -> the directory's entries, or None when it cannot be listed."""
NO_COMMITS = "repository has no commits"
_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_PERMISSIONS = frozenset({"ADMIN", "MAINTAIN", "WRITE", "TRIAGE", "READ"})


def metadata_from(node: dict[str, Any]) -> RepoMetadata:
    """What GitHub says of a repository besides its files."""
    branch_ref = node.get("defaultBranchRef") or None
    topics = tuple(
        str(n["topic"]["name"])
        for n in (node.get("repositoryTopics") or {}).get("nodes") or ()
        if n and n.get("topic")
    )
    licence = (node.get("licenseInfo") or {}).get("spdxId")
    policy = node.get("securityPolicyUrl") if node.get("isSecurityPolicyEnabled") else None
    return RepoMetadata(
        archived=bool(node.get("isArchived")),
        fork=bool(node.get("isFork")),
        empty=bool(node.get("isEmpty")),
        visibility=str(
            node.get("visibility") or ("PRIVATE" if node.get("isPrivate") else "PUBLIC")
        ).lower(),
        description=node.get("description") or None,
        topics=topics,
        pushed_at=_timestamp(node.get("pushedAt")),
        default_branch=branch_ref.get("name") if branch_ref else None,
        commit=_commit(branch_ref),
        last_commit_at=_timestamp(((branch_ref or {}).get("target") or {}).get("committedDate")),
        tags=_tags(node),
        recent_commits=_recent_commits(node, branch_ref),
        host=HostFacts(
            issues_enabled=_flag(node.get("hasIssuesEnabled")),
            newcomer_issues=_newcomer_issues(node),
            newcomer_labels=tuple(
                str(label["name"])
                for alias, _ in NEWCOMER_ALIASES
                if isinstance(label := node.get(alias), dict) and label.get("name")
            ),
            default_branch_protected=_protected(branch_ref, node.get("viewerPermission")),
            licence_spdx=licence if licence and licence != "NOASSERTION" else None,
            security_policy_url=policy or None,
            has_org_defaults=True,
            platform="github",
        ),
    )


def history_since(now: datetime | None = None) -> str:
    """The start of the activity window, as GitHub's `GitTimestamp` (ISO 8601, UTC)."""
    start = (now or datetime.now(timezone.utc)) - timedelta(days=ACTIVITY_WINDOW_DAYS)
    return start.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _newcomer_issues(node: dict[str, Any]) -> int | None:
    """Issues carrying a newcomer label; None when GitHub did not answer for the labels."""
    if not isinstance(node.get("hasIssuesEnabled"), bool):
        return None
    total = 0
    for alias, _ in NEWCOMER_ALIASES:
        label = node.get(alias)
        if label is None:
            continue  # the repository has no such label
        count = ((label or {}).get("issues") or {}).get("totalCount")
        if not isinstance(count, int):
            return None
        total += count
    return total


def _tags(node: dict[str, Any]) -> tuple[str, ...] | None:
    """Tags, the newest commit first; None when GitHub did not say. A published release always
    has its tag, so the tags cover the releases too."""
    tags = node.get("tags")
    if not isinstance(tags, dict):
        return None
    names = [str(n["name"]) for n in tags.get("nodes") or () if n and n.get("name")]
    return tuple(dict.fromkeys(names))


def _recent_commits(
    node: dict[str, Any], branch_ref: dict[str, Any] | None
) -> RecentCommits | None:
    """The authors of the default branch's commits within the window, as far as GitHub gave."""
    if node.get("isEmpty") and branch_ref is None:
        return None
    history = ((branch_ref or {}).get("target") or {}).get("history")
    if not isinstance(history, dict) or not isinstance(history.get("totalCount"), int):
        return None
    commits = [n for n in history.get("nodes") or () if n]
    people: dict[str, None] = {}
    for commit in commits:
        author = commit.get("author") or {}
        login = (author.get("user") or {}).get("login")
        identity = str(login or author.get("email") or "").strip().lower()
        if identity and not is_automation(str(author.get("name") or ""), identity):
            people.setdefault(identity)
    since = datetime.now(timezone.utc) - timedelta(days=ACTIVITY_WINDOW_DAYS)
    complete = history["totalCount"] <= len(commits)
    return RecentCommits(since, len(commits), tuple(people), complete)


def _commit(branch_ref: dict[str, Any] | None) -> str | None:
    """The default branch's head commit, when GitHub gave a well-formed one."""
    oid = ((branch_ref or {}).get("target") or {}).get("oid")
    return oid if isinstance(oid, str) and _OBJECT_ID.fullmatch(oid) else None


def _protected(branch_ref: dict[str, Any] | None, permission: Any) -> bool | None:
    """Whether the default branch is protected; None when the token cannot tell."""
    if branch_ref is None:
        return None
    if branch_ref.get("branchProtectionRule") or branch_ref.get("refUpdateRule"):
        return True
    return False if permission in _PERMISSIONS else None


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


class _Reader:
    """Bounded reads served from the prefetched texts, fetching anything else exactly once."""

    def __init__(self, files: RepoFiles, branch: str | None, fetch_raw: RawFetcher) -> None:
        self._files = files
        self._branch = branch
        self._fetch_raw = fetch_raw
        self._raw: dict[str, bytes | None] = {}
        self._lock = threading.Lock()

    def __call__(self, path: str, limit: int) -> bytes | None:
        path = path.strip("/")
        target = self._files.read_target(path)
        if target in self._files.blobs:
            blob = self._files.blobs[target]
            if blob is None:
                return None  # asked for in a batch: GitHub has no such file
            data = blob.exact_bytes()
            if data is None:
                data = self._raw_bytes(target, text_first=False)  # GitHub's text is not exact
        elif self._files.known_absent(target):
            return None
        else:
            data = self._raw_bytes(target, text_first=True)
        return None if data is None else data[: max(limit, 0)]

    def _raw_bytes(self, path: str, *, text_first: bool) -> bytes | None:
        with self._lock:
            if path not in self._raw:
                name = self._files.full_name
                self._raw[path] = self._fetch_raw(name, path, self._branch, text_first)
            return self._raw[path]


def build_snapshot(
    node: dict[str, Any],
    files: RepoFiles,
    fetch_raw: RawFetcher,
    org_defaults: Snapshot | None,
    list_tree: TreeLister | None = None,
    file_counter: FileCounter | None = None,
) -> Snapshot:
    """The snapshot of a repository whose files are complete; `list_tree` lists any other
    directory on demand."""
    metadata = metadata_from(node)
    listings, warnings = files.listings()
    return Snapshot(
        name=files.full_name,
        url=str(node.get("url") or ""),
        metadata=metadata,
        listings=listings,
        reader=_Reader(files, metadata.default_branch, fetch_raw),
        org_defaults=org_defaults,
        warnings=warnings,
        lister=partial(list_tree, files.full_name) if list_tree is not None else None,
        file_counter=file_counter or (lambda: None),
    )


def failure(node: dict[str, Any], reason: str) -> RepoFailure:
    """A listed repository that could not be read, with what is known of it."""
    name = str(node.get("nameWithOwner") or node.get("name") or "?")
    url = str(node.get("url") or "")
    try:
        metadata = metadata_from(node)
    except (TypeError, ValueError, KeyError):
        return RepoFailure(name, url, reason)
    return RepoFailure(name, url, reason, metadata)


def selected(node: dict[str, Any], options: ScanOptions) -> bool:
    """Whether a listed repository passes the visibility, name and shard filters."""
    name = str(node.get("name") or "")
    full = str(node.get("nameWithOwner") or name)
    visibility = str(node.get("visibility") or "").lower()
    if options.visibility == "private" and visibility == "public":
        return False
    if options.visibility == "public" and visibility not in ("public", ""):
        return False
    if not options.in_shard(full):
        return False
    names = (name, full)
    if options.include and not any(
        fnmatch.fnmatchcase(n, g) for n in names for g in options.include
    ):
        return False
    return not any(fnmatch.fnmatchcase(n, g) for n in names for g in options.exclude)
