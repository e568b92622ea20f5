"""Public repositories without a token, through GitHub's REST API.

GitHub's GraphQL API needs a token. Without one, each repository costs one request for its whole
tree (`git/trees/{branch}?recursive=1`) and one per file rules read (`git/blobs/{sha}`), against
GitHub's budget of 60 requests an hour for anonymous clients — enough for a few repositories. The
entity's notes say so, with the estimate; a token turns the scan into a few batched queries.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from ospo_scan.connectors.github.client import GitHubClient
from ospo_scan.connectors.github.counts import tree_file_types
from ospo_scan.connectors.github.errors import GitHubRequestError, RateLimitExhausted, target_error
from ospo_scan.connectors.github.fetch import MAX_ROUNDS, fetch_raw, tree_entries
from ospo_scan.connectors.github.host_reader import HostFactReader
from ospo_scan.connectors.github.queries import DEFAULTS_REPOSITORY, TREE_ALIASES
from ospo_scan.connectors.github.snapshot import NO_COMMITS, build_snapshot, failure, selected
from ospo_scan.connectors.github.trees import RepoFiles
from ospo_scan.connectors.interface import (
    EntitySource,
    RepoFailure,
    ScanOptions,
    TargetKind,
)
from ospo_scan.errors import TargetRejected
from ospo_scan.snapshot import FileEntry, Snapshot

FILES_PER_REPOSITORY = 6
"""A typical number of files rules read, for the request estimate."""
PER_PAGE = 100


class RestScan:
    """An owner's public repositories (or one of them), read without a token."""

    def __init__(self, client: GitHubClient, owner: str, options: ScanOptions) -> None:
        if options.visibility != "public":
            raise TargetRejected(
                "private repositories cannot be read without a GitHub token",
                hint="set GITHUB_TOKEN (or GH_TOKEN) to a token that can read them",
            )
        self.client = client
        self.owner = owner
        self.options = options
        self._defaults: Snapshot | None = None
        self.facts = HostFactReader(client, owner, anonymous=True)
        """The Baseline's host facts that a scan without a token can see."""

    def whole_owner(self) -> EntitySource:
        listed = self._list()
        nodes = [_node(r) for r in listed]
        defaults = next((n for n in nodes if n["name"] == DEFAULTS_REPOSITORY), None)
        wanted = [n for n in nodes if selected(n, self.options)]
        return EntitySource(
            name=self.owner,
            source=TargetKind.GITHUB,
            repositories=self._read_all(wanted, defaults),
            url=f"https://github.com/{self.owner}",
            defaults_repository=f"{self.owner}/{DEFAULTS_REPOSITORY}" if defaults else None,
            notes=(self._note(len(wanted)),),
            ask_for=self.facts.ask_for,
        )

    def one_repository(self, name: str) -> EntitySource:
        found = self._repository(name)
        if found is None:
            raise TargetRejected(
                f"no public GitHub repository {self.owner}/{name}",
                hint="check the name; a private repository needs a token (GITHUB_TOKEN)",
            )
        defaults = self._repository(DEFAULTS_REPOSITORY)
        node = _node(found)
        return EntitySource(
            name=str(node["nameWithOwner"]),
            source=TargetKind.GITHUB,
            repositories=self._read_all([node], _node(defaults) if defaults else None),
            url=str(node["url"]),
            notes=(self._note(1),),
            ask_for=self.facts.ask_for,
        )

    def _note(self, count: int) -> str:
        needed = count * (1 + FILES_PER_REPOSITORY)
        budget = self.client.usage.budgets.get("core")
        left = ""
        if budget is not None and budget.remaining is not None and budget.reset_at is not None:
            reset = datetime.fromtimestamp(budget.reset_at, tz=timezone.utc).strftime("%H:%M")
            left = f"; {budget.remaining} left until {reset} UTC"
        return (
            "No GitHub token: public repositories read through the REST API, which GitHub "
            f"limits to 60 requests an hour without a token (about {needed} needed{left}). "
            "Set GITHUB_TOKEN for a batched scan of a few requests."
        )

    def _list(self) -> list[dict[str, Any]]:
        """Every public repository of the organisation (or user)."""
        for kind, listing in (("orgs", "public"), ("users", "owner")):
            repos: list[dict[str, Any]] = []
            page = 1
            while True:
                parameters = {"type": listing, "per_page": PER_PAGE, "page": page}
                try:
                    found = self.client.rest_get(f"/{kind}/{self.owner}/repos", parameters)
                except GitHubRequestError as exc:
                    if exc.status == 404 and page == 1:
                        break
                    raise target_error(exc) from exc
                repos.extend(r for r in found or () if isinstance(r, dict))
                if not isinstance(found, list) or len(found) < PER_PAGE:
                    return repos
                page += 1
        raise TargetRejected(
            f"no GitHub organisation or user named {self.owner!r}",
            hint="check the name; with GitHub Enterprise Server pass --github-url",
        )

    def _repository(self, name: str) -> dict[str, Any] | None:
        try:
            found = self.client.rest_get(f"/repos/{self.owner}/{urllib.parse.quote(name)}")
        except GitHubRequestError as exc:
            if exc.status == 404:
                return None
            raise target_error(exc) from exc
        return found if isinstance(found, dict) and not found.get("private") else None

    def _read_all(
        self, nodes: list[dict[str, Any]], defaults: dict[str, Any] | None
    ) -> Iterator[Snapshot | RepoFailure]:
        stopped: str | None = None
        if defaults is not None:
            try:
                read = self._read(defaults)
            except RateLimitExhausted as exc:
                stopped = exc.one_line()
                read = failure(defaults, stopped)
            self._defaults = read if isinstance(read, Snapshot) else None
            if any(n["name"] == DEFAULTS_REPOSITORY for n in nodes):
                yield read
        for node in nodes:
            if node["name"] == DEFAULTS_REPOSITORY and defaults is not None:
                continue
            if stopped is not None:
                yield failure(node, stopped)
                continue
            try:
                yield self._read(node)
            except RateLimitExhausted as exc:
                stopped = exc.one_line()
                yield failure(node, stopped)

    def _read(self, node: dict[str, Any]) -> Snapshot | RepoFailure:
        full = str(node["nameWithOwner"])
        branch = urllib.parse.quote(str(node["defaultBranchRef"]["name"]), safe="")
        try:
            tree = self.client.rest_get(f"/repos/{full}/git/trees/{branch}", {"recursive": "1"})
        except GitHubRequestError as exc:
            if exc.status == 409:
                return failure(node, NO_COMMITS)
            return failure(node, f"files could not be listed: {exc.message}")
        if not isinstance(tree, dict) or tree.get("truncated"):
            return failure(
                node, "too many files to list without a token (set GITHUB_TOKEN to scan it)"
            )
        entries = [e for e in tree.get("tree") or () if isinstance(e, dict)]
        directories = _directories(entries)
        shas = {str(e["path"]): str(e["sha"]) for e in entries}
        for alias, directory in TREE_ALIASES:
            node[alias] = directories.get(directory)
        files = RepoFiles(full, node, lambda: self.facts.reads_ci)
        try:
            for _ in range(MAX_ROUNDS):
                needed = files.requests()
                if not needed:
                    break
                for request in needed:
                    if request.tree:
                        files.accept(request, directories.get(request.path))
                    else:
                        data = self._blob(full, shas.get(request.path))
                        files.accept_bytes(request.path, data)
        except GitHubRequestError as exc:
            return failure(node, f"files could not be read: {exc.message}")

        def fetch(name: str, path: str, ref: str | None, text_first: bool) -> bytes | None:
            return fetch_raw(self.client, name, path, ref, text_first=False)

        def list_tree(name: str, path: str) -> tuple[FileEntry, ...] | None:
            return tree_entries(path, directories.get(path))  # the whole tree is already here

        snapshot = build_snapshot(
            node,
            files,
            fetch,
            self._defaults,
            list_tree=list_tree,
            file_counter=lambda: tree_file_types(tree),
        )
        return self.facts.apply(snapshot, node)

    def _blob(self, full: str, sha: str | None) -> bytes | None:
        if sha is None:
            return None
        try:
            blob = self.client.rest_get(f"/repos/{full}/git/blobs/{sha}")
        except GitHubRequestError as exc:
            if exc.status == 404:
                return None
            raise
        if not isinstance(blob, dict):
            return None
        try:
            return base64.b64decode(str(blob.get("content") or ""))
        except (binascii.Error, ValueError):
            return None


def _node(repo: dict[str, Any]) -> dict[str, Any]:
    """A REST repository in the shape of the GraphQL answers the snapshot builder reads."""
    licence = repo.get("license") or {}
    return {
        "name": repo.get("name"),
        "nameWithOwner": repo.get("full_name"),
        "url": repo.get("html_url"),
        "isArchived": repo.get("archived"),
        "isFork": repo.get("fork"),
        "isEmpty": False,
        "isPrivate": repo.get("private"),
        "visibility": str(repo.get("visibility") or "public").upper(),
        "description": repo.get("description"),
        "pushedAt": repo.get("pushed_at"),
        "repositoryTopics": {"nodes": [{"topic": {"name": t}} for t in repo.get("topics") or ()]},
        "defaultBranchRef": {"name": repo.get("default_branch") or "HEAD"},
        "licenseInfo": {"spdxId": licence.get("spdx_id")} if licence else None,
        "hasDiscussionsEnabled": repo.get("has_discussions"),
        "webCommitSignoffRequired": repo.get("web_commit_signoff_required"),
    }


def _directories(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The recursive tree as GraphQL tree answers, one per directory (the root included)."""
    directories: dict[str, dict[str, Any]] = {"": {"__typename": "Tree", "entries": []}}
    for entry in entries:
        if entry.get("type") == "tree":
            directories[str(entry["path"])] = {"__typename": "Tree", "entries": []}
    for entry in entries:
        parent, _, name = str(entry["path"]).rpartition("/")
        if parent in directories:
            directories[parent]["entries"].append(
                {
                    "name": name,
                    "type": entry.get("type"),
                    "mode": int(str(entry.get("mode") or "0"), 8),
                    "size": entry.get("size") or 0,
                }
            )
    return directories
