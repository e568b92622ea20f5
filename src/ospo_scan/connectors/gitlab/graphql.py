"""Batched GraphQL rounds: the requests of many projects in one query, within GitLab's limits.

GitLab refuses a query whose complexity exceeds a limit (200 without a token, 250 with one on
GitLab.com; self-managed instances may differ), a query text over 10,000 characters, and a
connection serves at most 100 nodes. The batcher packs projects by GitLab's own complexity score
of each share (see `cost.py`) and by the length of the query text, learns the real limit from the
error message when GitLab refuses a query, and splits a refused batch in two until it fits; a
single item still refused fails its project alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Protocol

import gitlab.exceptions
import requests

from ospo_scan.connectors.gitlab.cost import (
    GROUP_SETTING,
    MAX_QUERY_SIZE,
    host_facts,
    project_share,
)
from ospo_scan.connectors.gitlab.http import RateLimitTooLong
from ospo_scan.connectors.gitlab.rest import GraphQLUnavailable
from ospo_scan.connectors.gitlab.work import NEWCOMER_LABELS, RELEASES_READ, RoundRequest
from ospo_scan.snapshot import HostFact
from ospo_scan.untrusted.redaction import shorten

_COMPLEXITY = re.compile(r"complexity of (\d+), which exceeds max complexity of (\d+)")
_MISSING_FIELD = re.compile(r"Field '(\w+)' doesn't exist on type '(\w+)'")
BLOBS_TOO_LARGE = "Max blobs size limit exceeded"
"""GitLab's answer to a `blobs(paths:)` read holding more than 20 MB of blob data."""
HOST_FACT_FIELDS = frozenset(
    {
        "branchRules",
        "isDefault",
        "isProtected",
        "userPermissions",
        "branchProtection",
        "allowForcePush",
        "pushAccessLevels",
    }
)
"""Fields of newer GitLab versions (branch rules: 16.x); older instances reject the query."""
_LISTING = (
    "blobs(first: 50, after: $AFTER_B) { pageInfo { hasNextPage endCursor } nodes { path mode } } "
    "trees(first: 20, after: $AFTER_T) { pageInfo { hasNextPage endCursor } nodes { path } }"
)
_PROBE_NODE = "nodes { path size rawSize storedExternally }"
_TEXT_NODE = "nodes { path rawTextBlob }"
_BRANCH_PROTECTION = (
    "branchProtection { allowForcePush pushAccessLevels { nodes { accessLevel } } }"
)
_RELEASE_DETAILS = "description assets { links { nodes { name } } }"
"""What the Baseline's release rules read: notes and attached files. Each field more makes the
first round's share dearer, and so fewer projects fit a query: names and dates are left out."""
_NEWCOMER_COUNTS = " ".join(
    f"{alias}: issues(labelName: [{json.dumps(label)}], first: 1) {{ count }}"
    for alias, label in NEWCOMER_LABELS
)


def host_fields(facts: frozenset[HostFact]) -> str:
    """Branch rules and permissions; the count of issues carrying each newcomer label (`count` is
    the connection's total, so one node's page is enough); the latest releases' tags. With the
    Baseline's facts: what protects each branch rule, and each release's notes and assets."""
    protection = f" {_BRANCH_PROTECTION}" if HostFact.BRANCH_RULES in facts else ""
    details = f" {_RELEASE_DETAILS}" if HostFact.RELEASES in facts else ""
    return (
        f"branchRules(first: 20) {{ nodes {{ name isDefault isProtected{protection} }} }} "
        f"userPermissions {{ adminProject }} {_NEWCOMER_COUNTS}"
        f" releases(first: {RELEASES_READ}) {{ nodes {{ tagName{details} }} }}"
    )


def host_cost(facts: frozenset[HostFact]) -> int:
    """What GitLab charges for `host_fields(facts)`."""
    return host_facts(
        branch_protection=HostFact.BRANCH_RULES in facts,
        release_details=HostFact.RELEASES in facts,
    )


Send = Callable[[str, dict[str, Any]], dict[str, Any]]
"""Posts one GraphQL query with variables and returns the decoded response."""


class RoundState(Protocol):
    limit: int
    """The complexity limit queries are packed for."""
    host_facts: bool
    """Whether the instance knows the fields host facts are asked with."""


class HostFactsUnknown(Exception):
    """The instance does not know the fields host facts are asked with."""


class ComplexityError(Exception):
    def __init__(self, score: int, limit: int) -> None:
        super().__init__(f"query complexity {score} exceeds {limit}")
        self.score = score
        self.limit = limit


class QueryTooLarge(Exception):
    """GitLab refused the query text as longer than it accepts (422 "Query too large")."""

    def __str__(self) -> str:
        return f"query text over {MAX_QUERY_SIZE} characters"


def estimate(request: RoundRequest) -> int:
    """The complexity GitLab scores this request's share of a query with."""
    return project_share(
        trees=len(request.trees),
        root_listings=sum(page.first_of_root for page in request.trees),
        probe=len(request.probe),
        texts=len(request.texts),
        host=request.host_facts,
        host_cost=host_cost(request.project.facts),
    )


def build_query(requests: list[RoundRequest]) -> tuple[str, dict[str, Any]]:
    """One query for every request, each project under its own alias, values in variables.

    Only the variables a share uses are declared: GitLab rejects a query that declares one it
    does not use.
    """
    declarations: list[str] = []
    variables: dict[str, Any] = {}
    parts: list[str] = []
    for i, request in enumerate(requests):
        declarations.append(f"$f{i}: ID!")
        variables[f"f{i}"] = request.project.name
        fields: list[str] = []
        for j, page in enumerate(request.trees):
            names = (f"p{i}_{j}", f"b{i}_{j}", f"t{i}_{j}")
            declarations += [f"${names[0]}: String", f"${names[1]}: String", f"${names[2]}: String"]
            variables.update(
                {names[0]: page.directory, names[1]: page.blobs_after, names[2]: page.trees_after}
            )
            listing = _LISTING.replace("$AFTER_B", f"${names[1]}").replace(
                "$AFTER_T", f"${names[2]}"
            )
            if page.first_of_root:
                listing += " lastCommit { sha }"  # the branch head, asked with the listing
            fields.append(f"t{j}: tree(path: ${names[0]}, ref: $r{i}) {{ {listing} }}")
        if request.probe:
            declarations.append(f"$s{i}: [String!]!")
            variables[f"s{i}"] = request.probe
            blobs = f"blobs(paths: $s{i}, ref: $r{i}, first: {len(request.probe)})"
            fields.append(f"sizes: {blobs} {{ {_PROBE_NODE} }}")
        if request.texts:
            declarations.append(f"$c{i}: [String!]!")
            variables[f"c{i}"] = request.texts
            blobs = f"blobs(paths: $c{i}, ref: $r{i}, first: {len(request.texts)})"
            fields.append(f"texts: {blobs} {{ {_TEXT_NODE} }}")
        if fields:
            declarations.append(f"$r{i}: String")
            variables[f"r{i}"] = request.project.ref
        repository = f" repository {{ {' '.join(fields)} }}" if fields else ""
        host = f" {host_fields(request.project.facts)}" if request.host_facts else ""
        parts.append(f"p{i}: project(fullPath: $f{i}) {{ fullPath{repository}{host} }}")
    query = f"query({', '.join(declarations)}) {{ {' '.join(parts)} }}"
    return query, variables


def server_limit(send: Send, default: int) -> int:
    """The complexity limit GitLab applies to this client (`queryComplexity`, GitLab 13.9 and
    later), or `default` when the instance does not say. Raises GraphQLUnavailable on a 404."""
    try:
        answer = send("query { queryComplexity { limit } }", {})
    except gitlab.exceptions.GitlabHttpError as exc:
        if exc.response_code == 404:
            raise GraphQLUnavailable from exc
        return default  # the rounds will meet the same trouble and report it per project
    except (gitlab.exceptions.GitlabError, requests.RequestException):
        return default
    limit = ((answer.get("data") or {}).get("queryComplexity") or {}).get("limit")
    return int(limit) if isinstance(limit, int) and limit > 0 else default


def run_round(requests: list[RoundRequest], send: Send, state: RoundState) -> None:
    """Carry out one round for many projects, learning the limit and the fields on the way."""
    pending = [requests]
    while pending:
        batch = pending.pop()
        halves = batch[0].halves() if len(batch) == 1 else None
        if halves is not None and not _fits(batch[0], state.limit):
            pending += [[halves[1]], [halves[0]]]  # split before GitLab has to refuse it
            continue
        try:
            _run(batch, send)
        except HostFactsUnknown:
            state.host_facts = False
            for request in batch:
                request.host_facts = request.project.host_facts_pending = False
            pending.append(batch)
        except (ComplexityError, QueryTooLarge) as exc:
            if isinstance(exc, ComplexityError):
                state.limit = min(state.limit, exc.limit)
            if len(batch) > 1:
                middle = len(batch) // 2
                pending += [batch[middle:], batch[:middle]]
                continue
            halves = batch[0].halves()
            if halves is None:
                batch[0].project.fail(f"GitLab refuses even the smallest query ({exc})")
                continue
            pending += [[halves[1]], [halves[0]]]


def pack(requests: list[RoundRequest], limit: int, max_projects: int) -> list[list[RoundRequest]]:
    """Requests grouped into queries within GitLab's complexity `limit` and query size. A request
    that alone passes either gets a query of its own, which `run_round` splits before sending
    (so that one project's parts are read by one thread, in turn)."""
    batches: list[list[RoundRequest]] = []
    current: list[RoundRequest] = []
    used = 0
    for request in requests:
        score = estimate(request)
        if not _fits(request, limit):
            batches.append([request])
            continue
        if current and (
            used + score > limit
            or len(current) >= max_projects
            or _size([*current, request]) > MAX_QUERY_SIZE
        ):
            batches.append(current)
            current, used = [], 0
        current.append(request)
        used += score
    if current:
        batches.append(current)
    return batches


def _fits(request: RoundRequest, limit: int) -> bool:
    """Whether a query of this request alone is within GitLab's limits."""
    return estimate(request) <= limit and _size([request]) <= MAX_QUERY_SIZE


def _size(batch: list[RoundRequest]) -> int:
    return len(build_query(batch)[0])


def _run(batch: list[RoundRequest], send: Send) -> None:
    query, variables = build_query(batch)
    try:
        response = send(query, variables)
    except gitlab.exceptions.GitlabHttpError as exc:
        if exc.response_code == 422 and b"Query too large" in (exc.response_body or b""):
            raise QueryTooLarge from exc
        raise
    errors = response.get("errors") or []
    for error in errors:
        message = str(error.get("message", ""))
        match = _COMPLEXITY.search(message)
        if match:
            raise ComplexityError(int(match.group(1)), int(match.group(2)))
        missing = _MISSING_FIELD.search(message)
        if missing and missing.group(1) in HOST_FACT_FIELDS:
            raise HostFactsUnknown(message)
    data = response.get("data") or {}
    failed_aliases = _failed_aliases(errors)
    for i, request in enumerate(batch):
        alias = f"p{i}"
        project = data.get(alias)
        if alias in failed_aliases or project is None:
            reason = failed_aliases.get(alias) or "project not found or not readable"
            if not data and errors:
                reason = shorten("; ".join(str(e.get("message", "")) for e in errors), 200)
            request.project.fail(f"GitLab GraphQL: {reason}")
            continue
        if _texts_too_large(errors, alias):
            request.project.texts_refused(request.texts)
            request.texts = []
        _absorb(request, project)


def _failed_aliases(errors: list[dict[str, Any]]) -> dict[str, str]:
    failed: dict[str, str] = {}
    for error in errors:
        path = error.get("path") or []
        if len(path) > 1 and path[1] in _HOST_FACT_ALIASES:
            continue  # host facts the token may not read: unknown, not a failure
        if path[1:] == ["repository", "texts"] and BLOBS_TOO_LARGE in str(error.get("message")):
            continue  # those files are read one by one instead
        if path and isinstance(path[0], str):
            failed.setdefault(path[0], str(error.get("message", "error")))
    return failed


def _texts_too_large(errors: list[dict[str, Any]], alias: str) -> bool:
    return any(
        (e.get("path") or []) == [alias, "repository", "texts"]
        and BLOBS_TOO_LARGE in str(e.get("message"))
        for e in errors
    )


_HOST_FACT_ALIASES = frozenset(
    {"branchRules", "userPermissions", "releases", *(alias for alias, _ in NEWCOMER_LABELS)}
)


def _absorb(request: RoundRequest, project: dict[str, Any]) -> None:
    work = request.project
    repository = project.get("repository")
    if (request.trees or request.probe or request.texts) and repository is None:
        work.fail("the repository is not readable (disabled, or hidden from this token)")
        return
    repository = repository or {}
    for j, page in enumerate(request.trees):
        work.absorb_tree(page, repository.get(f"t{j}"))
    if request.probe:
        work.absorb_probe(request.probe, (repository.get("sizes") or {}).get("nodes") or [])
    if request.texts:
        work.absorb_texts(request.texts, (repository.get("texts") or {}).get("nodes") or [])
    if request.host_facts:
        work.absorb_host_facts(project)


GROUPS_PER_QUERY = 50


def group_settings(send: Send, paths: list[str], limit: int) -> dict[str, bool | None]:
    """Whether each group requires two-factor authentication of its members, in batched
    queries; None for a group the token cannot read (or when GitLab refused the query)."""
    found: dict[str, bool | None] = {}
    size = max(1, min(GROUPS_PER_QUERY, limit // GROUP_SETTING))
    for start in range(0, len(paths), size):
        chunk = paths[start : start + size]
        declarations = ", ".join(f"$g{i}: ID!" for i in range(len(chunk)))
        fields = " ".join(
            f"g{i}: group(fullPath: $g{i}) {{ requireTwoFactorAuthentication }}"
            for i in range(len(chunk))
        )
        variables = {f"g{i}": path for i, path in enumerate(chunk)}
        try:
            data = send(f"query({declarations}) {{ {fields} }}", variables).get("data") or {}
        except (gitlab.exceptions.GitlabError, requests.RequestException, RateLimitTooLong):
            data = {}  # a host fact only: unknown rather than a failed scan
        for i, path in enumerate(chunk):
            value = (data.get(f"g{i}") or {}).get("requireTwoFactorAuthentication")
            found[path] = value if isinstance(value, bool) else None
    return found
