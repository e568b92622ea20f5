"""Completing many repositories at once: batched object queries, split when GitHub balks."""

from __future__ import annotations

import base64
import binascii
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ospo_scan.connectors.github.client import (
    GitHubClient,
    GraphQLResult,
)
from ospo_scan.connectors.github.errors import GitHubRequestError
from ospo_scan.connectors.github.links import MAX_LINK_HOPS
from ospo_scan.connectors.github.queries import ObjectRequest, object_batch
from ospo_scan.connectors.github.trees import RawEntry, RepoFiles, blob_from, entries_from
from ospo_scan.errors import RepositoryError
from ospo_scan.snapshot import EntryKind, FileEntry

MAX_ROUNDS = MAX_LINK_HOPS + 5
"""Rounds of requests per page: texts first, then about one per level of symbolic links."""


@dataclass(frozen=True)
class BatchLimits:
    """How much one object query may ask for."""

    objects: int = 300
    bytes: int = 6 * 1024 * 1024


def complete(
    client: GitHubClient, repos: Sequence[RepoFiles], limits: BatchLimits
) -> dict[str, str]:
    """Fetch every object the repositories still need; returns {full name: failure reason}."""
    failed: dict[str, str] = {}
    by_name = {r.full_name: r for r in repos}
    for _ in range(MAX_ROUNDS):
        pending = [
            request for repo in repos if repo.full_name not in failed for request in repo.requests()
        ]
        if not pending:
            return failed
        for batch in _batches(pending, by_name, limits):
            _run_batch(client, batch, by_name, failed)
    for repo in repos:
        if repo.full_name not in failed and repo.requests():
            failed[repo.full_name] = "symbolic links nested too deeply to follow"
    return failed


def _batches(
    requests: list[ObjectRequest], by_name: dict[str, RepoFiles], limits: BatchLimits
) -> list[list[ObjectRequest]]:
    """The requests, in order, cut into groups within the limits."""
    batches: list[list[ObjectRequest]] = []
    current: list[ObjectRequest] = []
    size = 0
    for request in requests:
        weight = 0 if request.tree else _size_of(by_name[request.full_name], request.path)
        if current and (len(current) >= limits.objects or size + weight > limits.bytes):
            batches.append(current)
            current, size = [], 0
        current.append(request)
        size += weight
    if current:
        batches.append(current)
    return batches


def _size_of(repo: RepoFiles, path: str) -> int:
    parent = path.rpartition("/")[0]
    entry = next((e for e in repo.trees.get(parent) or () if e.path == path), None)
    return entry.size if entry else 0


def _run_batch(
    client: GitHubClient,
    batch: list[ObjectRequest],
    by_name: dict[str, RepoFiles],
    failed: dict[str, str],
) -> None:
    """One query for the batch; on a hard failure, halves it until single repositories fail."""
    query, where = object_batch(batch)
    try:
        result = client.graphql(query)
    except GitHubRequestError as exc:
        names = sorted({r.full_name for r in batch})
        if len(names) > 1:
            half = set(names[: len(names) // 2])
            _run_batch(client, [r for r in batch if r.full_name in half], by_name, failed)
            _run_batch(client, [r for r in batch if r.full_name not in half], by_name, failed)
            return
        failed[names[0]] = f"files could not be read: {exc.message}"
        return
    _dispatch(result, batch, where, by_name, failed)


def _dispatch(
    result: GraphQLResult,
    batch: list[ObjectRequest],
    where: dict[tuple[str, str, bool], str],
    by_name: dict[str, RepoFiles],
    failed: dict[str, str],
) -> None:
    unplaced = [e for e in result.errors if not e.get("path") or not result.data]
    for request in batch:
        if request.full_name in failed:
            continue
        repo_alias, object_alias = where[(request.full_name, request.path, request.tree)].split(".")
        messages = result.errors_under(repo_alias)
        repository = result.data.get(repo_alias)
        if messages or unplaced or not isinstance(repository, dict):
            reason = "; ".join(messages) or "; ".join(str(e.get("message", "")) for e in unplaced)
            failed[request.full_name] = reason or "GitHub no longer finds the repository"
            continue
        by_name[request.full_name].accept(request, repository.get(object_alias))


def fetch_raw(
    client: GitHubClient, full_name: str, path: str, branch: str | None, text_first: bool
) -> bytes | None:
    """A file's exact bytes: its GraphQL text when that is exact (if `text_first`), else the
    REST contents API (the git blobs API beyond 1 MB)."""
    if text_first:
        query, where = object_batch([ObjectRequest(full_name, path)])
        repo_alias, object_alias = where[(full_name, path, False)].split(".")
        try:
            result = client.graphql(query)
        except GitHubRequestError as exc:
            raise RepositoryError(f"{full_name}: {path} could not be read: {exc.message}") from exc
        repository = result.data.get(repo_alias)
        if isinstance(repository, dict) and not result.errors_under(repo_alias):
            answer = repository.get(object_alias)
            if answer is None:
                return None
            blob = blob_from(answer)
            if blob is None:
                return None  # a directory or a submodule
            data = blob.exact_bytes()
            if data is not None:
                return data
    quoted = urllib.parse.quote(path)
    parameters = {"ref": branch} if branch else None
    try:
        content = client.rest_get(f"/repos/{full_name}/contents/{quoted}", parameters)
        if not isinstance(content, dict) or content.get("type") != "file":
            return None
        if content.get("encoding") != "base64" and int(content.get("size") or 0) > 0:
            content = client.rest_get(f"/repos/{full_name}/git/blobs/{content['sha']}")
        return _decode(content)
    except GitHubRequestError as exc:
        if exc.status == 404:
            return None
        raise RepositoryError(f"{full_name}: {path} could not be read: {exc.message}") from exc


def _decode(content: Any) -> bytes | None:
    if not isinstance(content, dict):
        return None
    data = str(content.get("content") or "")
    if content.get("encoding") not in ("base64", None) and data:
        return data.encode("utf-8")
    try:
        return base64.b64decode(data)
    except (binascii.Error, ValueError):
        return None


def fetch_tree(client: GitHubClient, full_name: str, path: str) -> tuple[FileEntry, ...] | None:
    """A directory's entries at the default branch's head, asked for one at a time (fix mode
    looking for manifests below the listed directories); None when it is not a directory or
    cannot be read. A symbolic link is not followed here: it is neither a file nor a directory."""
    query, where = object_batch([ObjectRequest(full_name, path, tree=True)])
    try:
        result = client.graphql(query)
    except GitHubRequestError:
        return None
    repo_alias, object_alias = where[(full_name, path, True)].split(".")
    repository = result.data.get(repo_alias)
    if result.errors_under(repo_alias) or not isinstance(repository, dict):
        return None
    return tree_entries(path, repository.get(object_alias))


def tree_entries(path: str, answer: Any) -> tuple[FileEntry, ...] | None:
    """A tree answer's entries as a snapshot lists them; None when it is not a tree."""
    raw = entries_from(path, answer)
    if raw is None:
        return None
    return tuple(FileEntry(entry.path, _kind(entry), entry.size) for entry in raw)


def _kind(entry: RawEntry) -> EntryKind:
    if entry.is_link:
        return EntryKind.OTHER
    return {"tree": EntryKind.DIRECTORY, "blob": EntryKind.FILE}.get(entry.type, EntryKind.OTHER)
