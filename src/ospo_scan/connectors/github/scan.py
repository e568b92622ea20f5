"""An owner's repositories (or one of them) through batched GraphQL queries.

One query lists up to 100 repositories with their metadata and the trees of every directory
rules look at (and, on the first page, the owner's `.github` defaults repository); batched
queries then fetch the texts rules read and follow symbolic links.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from ospo_scan.connectors.github.client import GitHubClient, GraphQLResult
from ospo_scan.connectors.github.counts import tree_counter
from ospo_scan.connectors.github.errors import GitHubRequestError, RateLimitExhausted, target_error
from ospo_scan.connectors.github.fetch import BatchLimits, complete, fetch_raw, fetch_tree
from ospo_scan.connectors.github.host_facts import failed_fields, with_facts
from ospo_scan.connectors.github.host_reader import HostFactReader
from ospo_scan.connectors.github.queries import (
    DEFAULTS_REPOSITORY,
    ONE_REPOSITORY,
    OWNER_PAGE,
    TREE_ALIASES,
)
from ospo_scan.connectors.github.snapshot import (
    NO_COMMITS,
    build_snapshot,
    failure,
    history_since,
    selected,
)
from ospo_scan.connectors.github.trees import RepoFiles
from ospo_scan.connectors.interface import EntitySource, RepoFailure, ScanOptions, TargetKind
from ospo_scan.errors import ConnectorError, TargetRejected
from ospo_scan.snapshot import RepoMetadata, Snapshot

MIN_PAGE_SIZE = 10
"""The smallest page of repositories asked for when GitHub fails on larger ones."""
PRIVACY = {"public": "PUBLIC", "private": "PRIVATE", "all": None}
"""`--visibility` as GraphQL's RepositoryPrivacy filter."""


@dataclass(frozen=True)
class _Pending:
    """A listed repository whose files are being fetched."""

    node: dict[str, Any]
    files: RepoFiles


class GraphQLScan:
    """An owner's repositories (or one of them) through batched GraphQL queries."""

    def __init__(
        self,
        client: GitHubClient,
        owner: str,
        options: ScanOptions,
        page_size: int,
        limits: BatchLimits,
    ) -> None:
        self.client = client
        self.owner = owner
        self.options = options
        self.page_size = page_size
        self.limits = limits
        self._defaults: Snapshot | None = None
        self._defaults_read = False
        self.facts = HostFactReader(client, owner)
        """The Baseline's host facts, asked for only when the ruleset's rules read them."""

    def whole_owner(self) -> EntitySource:
        first = self._page(None, with_defaults=True)
        found = first.data.get("repositoryOwner")
        refusals = [
            str(e.get("message"))
            for e in first.errors
            if tuple(e.get("path") or ()) in (("repositoryOwner",), _REPOSITORIES)
            and e.get("type") != "NOT_FOUND"
        ]
        unlisted = isinstance(found, dict) and not isinstance(found.get("repositories"), dict)
        if refusals or unlisted:
            raise ConnectorError(
                f"GitHub would not list the repositories of {self.owner!r}: "
                + ("; ".join(refusals) or "no repositories listed"),
                hint="the token may need SSO authorisation for this organisation",
            )
        if not isinstance(found, dict):
            raise TargetRejected(
                f"no GitHub organisation or user named {self.owner!r}",
                hint="check the name; with GitHub Enterprise Server pass --github-url",
            )
        self._check_scopes()
        usable_defaults = _usable_defaults(first) is not None
        return EntitySource(
            name=str(found.get("login") or self.owner),
            source=TargetKind.GITHUB,
            repositories=self._repositories(first),
            url=str(found.get("url") or "") or None,
            defaults_repository=f"{found.get('login') or self.owner}/{DEFAULTS_REPOSITORY}"
            if usable_defaults
            else None,
            ask_for=self.facts.ask_for,
        )

    def one_repository(self, name: str) -> EntitySource:
        try:
            result = self._query(
                ONE_REPOSITORY, {"owner": self.owner, "name": name, "since": history_since()}
            )
        except GitHubRequestError as exc:
            raise target_error(exc) from exc
        node = result.data.get("repository")
        if not isinstance(node, dict):
            raise TargetRejected(
                f"no GitHub repository {self.owner}/{name}",
                hint="check the name; a private repository needs a token that can read it",
            )
        _mark_listing_error(node, result, "repository")
        defaults = _usable_defaults(result)
        return EntitySource(
            name=str(node.get("nameWithOwner") or f"{self.owner}/{name}"),
            source=TargetKind.GITHUB,
            repositories=self._complete([node], defaults, yield_defaults=False, listed_early=True),
            url=str(node.get("url") or "") or None,
            ask_for=self.facts.ask_for,
        )

    def _repositories(self, first: GraphQLResult) -> Iterator[Snapshot | RepoFailure]:
        page: GraphQLResult | None = first
        defaults = _usable_defaults(first)
        listed = 0
        total = 0
        while page is not None:
            connection = (page.data.get("repositoryOwner") or {}).get("repositories") or {}
            total = int(connection.get("totalCount") or 0)
            nodes = connection.get("nodes") or []
            listed += len(nodes)
            yield from self._node_failures(page, nodes)
            for index, node in enumerate(nodes):
                prefix = ("repositoryOwner", "repositories", "nodes", index)
                _mark_listing_error(node, page, *prefix)
                if isinstance(node, dict) and page is not first:
                    self.facts.mark_failures(node, failed_fields(page, *prefix))
            wanted = [n for n in nodes if isinstance(n, dict) and self._wanted(n)]
            wanted = [n for n in wanted if n.get("name") != DEFAULTS_REPOSITORY or not defaults]
            yield from self._complete(
                wanted, defaults, yield_defaults=page is first, listed_early=page is first
            )
            info = connection.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return
            try:
                page = self._page(info.get("endCursor"), with_defaults=False)
            except ConnectorError as exc:
                missing = max(total - listed, 1)
                shown_as = "public" if self.options.visibility == "all" else self.options.visibility
                yield RepoFailure(
                    f"{self.owner}/*",
                    f"https://github.com/{self.owner}",
                    f"{missing} more repositories were not listed: {exc.one_line()}",
                    RepoMetadata(visibility=shown_as),
                    unlisted=True,
                )
                return

    def _complete(
        self,
        nodes: list[dict[str, Any]],
        defaults: dict[str, Any] | None,
        *,
        yield_defaults: bool,
        listed_early: bool = False,
    ) -> Iterator[Snapshot | RepoFailure]:
        """Fetch what the listed repositories' rules read, then yield their snapshots;
        `listed_early`: they were listed before the wanted host facts were known."""
        readable = [n for n in nodes if not n.get("isEmpty") and _LISTING_ERROR not in n]
        pending = [self._pending(n) for n in readable]
        extra = (
            [self._pending(defaults)] if defaults is not None and not self._defaults_read else []
        )
        if listed_early:
            self.facts.prefetch([p.node for p in extra + pending])
        try:
            failed = complete(self.client, [p.files for p in extra + pending], self.limits)
        except RateLimitExhausted as exc:
            for node in nodes:
                yield failure(node, exc.one_line())
            return
        fetch = partial(fetch_raw, self.client)
        tree = partial(fetch_tree, self.client)
        if extra:
            self._defaults_read = True
            reason = failed.get(extra[0].files.full_name)
            if reason is None:
                self._defaults = build_snapshot(extra[0].node, extra[0].files, fetch, None)
            if yield_defaults and self._wanted(extra[0].node):
                if self._defaults is None:
                    yield failure(extra[0].node, reason or "not read")
                else:
                    yield self.facts.apply(self._defaults, extra[0].node)
        for node in nodes:
            if _LISTING_ERROR in node:
                yield failure(node, f"files could not be listed: {node[_LISTING_ERROR]}")
            elif node.get("isEmpty"):
                yield failure(node, NO_COMMITS)
        for item in pending:
            reason = failed.get(item.files.full_name)
            if reason:
                yield failure(item.node, reason)
            else:
                branch = (item.node.get("defaultBranchRef") or {}).get("name")
                counter = tree_counter(self.client, item.files.full_name, branch)
                snapshot = build_snapshot(
                    item.node, item.files, fetch, self._defaults, tree, counter
                )
                yield self.facts.apply(snapshot, item.node)

    def _node_failures(self, page: GraphQLResult, nodes: list[Any]) -> Iterator[RepoFailure]:
        """Repositories GitHub could not return at all (null nodes)."""
        for index, node in enumerate(nodes):
            if node is None:
                messages = page.errors_under("repositoryOwner", "repositories", "nodes", index)
                reason = "; ".join(messages) or "GitHub returned no repository"
                yield RepoFailure(f"{self.owner}/?", f"https://github.com/{self.owner}", reason)

    def _wanted(self, node: dict[str, Any]) -> bool:
        return selected(node, self.options)

    def _page(self, after: str | None, *, with_defaults: bool) -> GraphQLResult:
        """One page of repositories; a page GitHub keeps failing on is asked for in halves."""
        while True:
            variables = {
                "owner": self.owner,
                "first": self.page_size,
                "after": after,
                "privacy": PRIVACY[self.options.visibility],
                "withDefaults": with_defaults,
                "since": history_since(),
            }
            try:
                return self._query(with_facts(OWNER_PAGE, self.facts.wanted), variables)
            except GitHubRequestError as exc:
                server_trouble = exc.status is None or exc.status >= 500
                if not server_trouble or self.page_size <= MIN_PAGE_SIZE:
                    raise target_error(exc) from exc
                self.page_size = max(self.page_size // 2, MIN_PAGE_SIZE)

    def _query(self, query: str, variables: dict[str, Any]) -> GraphQLResult:
        """Run a query; errors that concern the whole query are raised (GitHubRequestError too)."""
        result = self.client.graphql(query, variables)
        if not result.data and result.errors:
            message = result.errors[0].get("message", "no data")
            raise ConnectorError(f"GitHub refused the query: {message}")
        for error in result.errors:
            if error.get("type") == "INSUFFICIENT_SCOPES":
                raise ConnectorError(
                    f"the GitHub token lacks a scope: {error.get('message', '')}",
                    hint="grant the token read access to the organisation (read:org) and its "
                    "repositories",
                )
            if not error.get("path"):
                raise ConnectorError(f"GitHub refused the query: {error.get('message', '')}")
        return result

    def _pending(self, node: dict[str, Any]) -> _Pending:
        return _Pending(node, RepoFiles(str(node["nameWithOwner"]), node, self._reads_ci))

    def _reads_ci(self) -> bool:
        return self.facts.reads_ci

    def _check_scopes(self) -> None:
        scopes = self.client.usage.scopes
        if self.options.visibility != "public" and scopes is not None and "repo" not in scopes:
            raise ConnectorError(
                "the GitHub token cannot read private repositories (it lacks the repo scope)",
                hint="use a token with the repo scope, or scan with --visibility public",
            )


def _usable_defaults(result: GraphQLResult) -> dict[str, Any] | None:
    """The owner's `.github` repository, when it may supply defaults (GitHub: public, not empty)."""
    defaults = result.data.get("defaults")
    if not isinstance(defaults, dict) or defaults.get("isPrivate") or defaults.get("isEmpty"):
        return None
    _mark_listing_error(defaults, result, "defaults")
    return None if _LISTING_ERROR in defaults else defaults


_LISTING_ERROR = "__ospo_listing_error"
_REPOSITORIES = ("repositoryOwner", "repositories")
_TREE_ALIAS_NAMES = frozenset(alias for alias, _ in TREE_ALIASES)


def _mark_listing_error(node: Any, result: GraphQLResult, *prefix: str | int) -> None:
    """Mark a repository whose trees GitHub refused; errors on host facts leave them unknown."""
    if not isinstance(node, dict):
        return
    messages = []
    for error in result.errors:
        path = tuple(error.get("path") or ())
        rest = path[len(prefix) :]
        if path[: len(prefix)] == prefix and (not rest or rest[0] in _TREE_ALIAS_NAMES):
            messages.append(str(error.get("message") or "unknown error"))
        elif path[: len(prefix) + 1] == (*prefix, "defaultBranchRef"):
            node["viewerPermission"] = None  # protection unknown, not "unprotected"
    if messages:
        node[_LISTING_ERROR] = "; ".join(messages)
