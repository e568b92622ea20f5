"""Reading projects through REST alone, for instances that answer `/api/graphql` with 404.

Some self-managed instances block GraphQL at a proxy, or predate it. The same rounds as the
GraphQL path are carried out with the repository tree and files endpoints, project by project:
a directory listing is one request (100 entries a page); a symbolic link's target is read through
the raw-file API, since resolving paths needs it; every other file is left to be read on demand,
bounded, through the raw-file API when a rule reads it, so only the files rules actually read
cost a request. The default branch is asked for once per project: its head commit (which the
GraphQL path takes from the root listing) and whether it is protected. The snapshots are the
same as the GraphQL path's, file for file.
"""

from __future__ import annotations

from typing import Any

import gitlab
import gitlab.exceptions

from ospo_scan.connectors.gitlab.http import encoded, read_raw
from ospo_scan.connectors.gitlab.work import RoundRequest, TreePage
from ospo_scan.snapshot import MAX_READ_BYTES

NOTE = (
    "GitLab's GraphQL API is not available on this instance (/api/graphql answered 404): "
    "every project was read through the REST API instead, with the same results."
)
UNREADABLE = "the repository is not readable (disabled, or hidden from this token)"


class GraphQLUnavailable(Exception):
    """The instance answers `/api/graphql` with 404."""


def run_rest_round(
    request: RoundRequest, client: gitlab.Gitlab, max_retries: int, *, authenticated: bool
) -> None:
    """One project's share of a round, through REST."""
    work = request.project
    branch: dict[str, Any] | None = None
    for page in request.trees:
        if work.failure is not None:
            return
        _list(request, page, client, max_retries)
        if page.first_of_root and work.failure is None:
            branch = _branch(request, client, max_retries)
            commit = (branch or {}).get("commit") or {}
            if isinstance(commit.get("id"), str) and len(commit["id"]) in (40, 64):
                work.commit = commit["id"]
    for path in request.probe:
        work.pending_probe.discard(path)
        work.lazy.add(path)  # read on demand, bounded, when a rule reads it
    for path in request.texts:
        work.pending_texts.discard(path)
        data = read_raw(client, work.name, path, work.ref, MAX_READ_BYTES, max_retries)
        work.texts[path] = data or b""  # only links are asked for here: their targets
    if request.host_facts:
        work.host_facts_pending = False
        if branch is None:
            branch = _branch(request, client, max_retries)
        protected = (branch or {}).get("protected")
        # As GraphQL: without a token, branch rules are not shown, so protection is unknown.
        work.branch_protected = protected if authenticated and isinstance(protected, bool) else None


def _list(request: RoundRequest, page: TreePage, client: gitlab.Gitlab, retries: int) -> None:
    work = request.project
    query: dict[str, Any] = {"path": page.directory, "per_page": 100}
    if work.ref:
        query["ref"] = work.ref
    try:
        entries = client.http_list(
            f"/projects/{encoded(work.name)}/repository/tree",
            query_data=query,
            get_all=True,
            max_retries=retries,
        )
    except gitlab.exceptions.GitlabHttpError as exc:
        if exc.response_code == 404 and page.directory:
            work.absorb_tree(page, None)  # as GraphQL: no such directory, an empty listing
            return
        if exc.response_code in (403, 404):
            work.fail(UNREADABLE)
            return
        raise
    listed = [e for e in entries if isinstance(e, dict)]
    blobs = [{"path": e["path"], "mode": e.get("mode")} for e in listed if e.get("type") == "blob"]
    trees = [{"path": e["path"]} for e in listed if e.get("type") == "tree"]
    done = {"hasNextPage": False, "endCursor": None}
    answer = {
        "blobs": {"nodes": blobs, "pageInfo": done},
        "trees": {"nodes": trees, "pageInfo": done},
    }
    work.absorb_tree(page, answer)


def _branch(request: RoundRequest, client: gitlab.Gitlab, retries: int) -> dict[str, Any] | None:
    """The default branch as `GET /projects/:id/repository/branches/:branch` describes it."""
    work = request.project
    if not work.ref:
        return None
    try:
        found = client.http_get(
            f"/projects/{encoded(work.name)}/repository/branches/{encoded(work.ref)}",
            max_retries=retries,
        )
    except gitlab.exceptions.GitlabHttpError:
        return None  # unknown, as GraphQL leaves it when it cannot tell
    return found if isinstance(found, dict) else None
