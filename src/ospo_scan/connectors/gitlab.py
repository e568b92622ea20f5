"""The GitLab connector: every project of a group (subgroups included), or one project.

Requests, for a group of N projects: one to tell group from project, N/100 to enumerate
(REST, `include_subgroups=true`), then a few rounds of batched GraphQL queries that list the
evidence directories and fetch only the texts rules read (see `_gitlab_work`). Files above the
read bound, binary files and anything a rule reads that was not fetched are read later, bounded,
through the raw-file API.

GitLab's own licence detection (`license=true`) is only in the REST answer for one project;
GraphQL does not expose it. A one-project target gets it with the request that finds the project.
For a group it would cost one more request per licensed project, more than the rest of the scan
together, so it is fetched only when asked for (`host_licence=True`); it only adds a note beside
the licence identified in the files.

Group or project: GitLab keeps groups and projects in one table of routes, so one full path
never names both on an instance. A path of one segment can only be a group; for longer paths
the project is asked first (its answer is reused) and then the group.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import gitlab
import gitlab.exceptions
import requests

from ospo_scan.connectors._gitlab_graphql import Send, pack, run_round, server_limit
from ospo_scan.connectors._gitlab_http import (
    MAX_RETRIES,
    RateLimitTooLong,
    RequestLog,
    encoded,
    explain,
    graphql,
    make_client,
)
from ospo_scan.connectors._gitlab_snapshot import (
    build_snapshot,
    licence_spdx,
    metadata,
    project_name,
    wanted,
)
from ospo_scan.connectors._gitlab_target import Location, locate
from ospo_scan.connectors._gitlab_work import ProjectWork
from ospo_scan.connectors.interface import (
    Connector,
    EntitySource,
    RepoFailure,
    ScanOptions,
    Target,
    TargetKind,
)
from ospo_scan.errors import ConnectorError
from ospo_scan.licences.files import is_licence_name
from ospo_scan.snapshot import Snapshot

NO_ORG_DEFAULTS_NOTE = (
    "GitLab has no organisation-default community files; each project is judged on its own files."
)
DEFAULT_TOKEN_ENV = "GITLAB_TOKEN"
MAX_ROUNDS = 12
"""Rounds per project: root, directories, sizes, texts and a few link hops need far fewer."""


class GitLabConnector(Connector):
    """Reads GitLab.com or a self-managed instance (also one served under a path prefix)."""

    def __init__(
        self,
        *,
        concurrency: int = 4,
        max_projects_per_query: int = 25,
        wave: int = 100,
        host_licence: bool = False,
        max_retries: int = MAX_RETRIES,
        request_log: RequestLog | None = None,
    ) -> None:
        self.concurrency = max(1, concurrency)
        """Queries in flight at once; GitLab.com allows 2,000 API requests a minute per user."""
        self.max_projects_per_query = max_projects_per_query
        self.wave = wave
        """Projects read together before their snapshots are handed on."""
        self.host_licence = host_licence
        """Ask GitLab's licence detection for every project of a group (one request each)."""
        self.max_retries = max_retries
        """Retries of one request after 429 or a transient 5xx."""
        self.request_log = request_log or RequestLog()

    def open(self, target: Target, options: ScanOptions) -> EntitySource:
        token_name = options.token_env or DEFAULT_TOKEN_ENV
        token = os.environ.get(token_name) or None
        log = self.request_log
        location = locate(target, options, lambda root: _answers_as_gitlab(root, token, log))
        client = make_client(location.root, token, options.max_wait, log)
        what = f"GitLab {location.web_url}"
        try:
            projects, entity_url = self._enumerate(client, location, options)
        except Exception as exc:
            raise explain(exc, what=what, token_name=token_name if token else None) from exc
        limit = 250 if token else 200
        return EntitySource(
            name=location.path,
            source=TargetKind.GITLAB,
            repositories=self._read_all(client, projects, limit),
            url=entity_url,
            notes=(NO_ORG_DEFAULTS_NOTE,),
        )

    def _get_json(
        self, client: gitlab.Gitlab, path: str, query: dict[str, Any]
    ) -> dict[str, Any] | None:
        return _get_json(client, path, query, self.max_retries)

    def _sender(self, client: gitlab.Gitlab) -> Send:
        def send(query: str, variables: dict[str, Any]) -> dict[str, Any]:
            return graphql(client, query, variables, self.max_retries)

        return send

    # -- enumeration -------------------------------------------------------------------------

    def _enumerate(
        self, client: gitlab.Gitlab, location: Location, options: ScanOptions
    ) -> tuple[list[dict[str, Any]], str]:
        if "/" in location.path:
            project = self._get_json(
                client, f"/projects/{encoded(location.path)}", {"license": True}
            )
            if project is not None:
                return ([project] if wanted(project, options) else []), str(project["web_url"])
        group = self._get_json(
            client, f"/groups/{encoded(location.path)}", {"with_projects": False}
        )
        if group is None:
            raise ConnectorError(
                f"no GitLab group or project {location.path!r} on {location.root}",
                hint="check the path; private groups and projects need GITLAB_TOKEN",
            )
        query: dict[str, Any] = {
            "include_subgroups": True,
            "per_page": 100,
            "with_shared": False,
            "order_by": "id",
            "sort": "asc",
        }
        if options.visibility == "public":
            query["visibility"] = "public"
        listed = client.http_list(
            f"/groups/{group['id']}/projects",
            query_data=query,
            iterator=True,
            max_retries=self.max_retries,
        )
        projects = [p for p in listed if isinstance(p, dict) and wanted(p, options)]
        projects.sort(key=project_name)
        return projects, str(group.get("web_url") or location.web_url)

    # -- reading -----------------------------------------------------------------------------

    def _read_all(
        self, client: gitlab.Gitlab, projects: list[dict[str, Any]], limit: int
    ) -> Iterator[Snapshot | RepoFailure]:
        state = _ScanState(limit)
        if any(not p.get("empty_repo") for p in projects):
            try:
                state.limit = server_limit(self._sender(client), limit)
            except RateLimitTooLong as exc:
                state.halted = f"GitLab rate limit: {exc}"
        with ThreadPoolExecutor(self.concurrency) as pool:
            for start in range(0, len(projects), self.wave):
                wave = projects[start : start + self.wave]
                yield from self._read_wave(client, wave, state, pool)

    def _read_wave(
        self,
        client: gitlab.Gitlab,
        projects: list[dict[str, Any]],
        state: _ScanState,
        pool: ThreadPoolExecutor,
    ) -> Iterator[Snapshot | RepoFailure]:
        works: dict[str, ProjectWork] = {}
        for project in projects:
            if not project.get("empty_repo"):
                works[project_name(project)] = ProjectWork(
                    project_name(project), project.get("default_branch")
                )

        send = self._sender(client)
        for _ in range(MAX_ROUNDS):
            requests_ = [r for w in works.values() if (r := w.next_request()) is not None]
            if not requests_:
                break
            if state.halted:
                for request in requests_:
                    request.project.fail(state.halted)
                break
            batches = pack(requests_, state.limit, self.max_projects_per_query)
            outcomes = pool.map(lambda b: _guarded(b, send, state), batches)
            for batch, outcome in zip(batches, outcomes, strict=True):
                if outcome is not None:
                    for request in batch:
                        request.project.fail(outcome)
            for work in works.values():
                work.advance()
        for work in works.values():
            if not work.done:
                work.fail("the repository could not be read completely in the allowed rounds")

        licences = self._licences(client, projects, works, state, pool)
        for project in projects:
            name = project_name(project)
            read = works.get(name)
            if read is not None and read.failure is not None:
                yield RepoFailure(
                    name, str(project.get("web_url", "")), read.failure, metadata(project)
                )
                continue
            yield build_snapshot(project, read, client, licences.get(name), self.max_retries)

    def _licences(
        self,
        client: gitlab.Gitlab,
        projects: list[dict[str, Any]],
        works: dict[str, ProjectWork],
        state: _ScanState,
        pool: ThreadPoolExecutor,
    ) -> dict[str, str | None]:
        found = {project_name(p): licence_spdx(p) for p in projects if "license" in p}
        if not self.host_licence or state.halted:
            return found

        def needs_lookup(name: str) -> bool:
            work = works.get(name)
            if name in found or work is None or work.failure is not None:
                return False
            return any(is_licence_name(e.path) for e in work.trees.get("", []))

        names = [n for n in works if needs_lookup(n)]

        def lookup(name: str) -> str | None:
            try:
                project = self._get_json(client, f"/projects/{encoded(name)}", {"license": True})
            except (gitlab.exceptions.GitlabError, requests.RequestException, RateLimitTooLong):
                return None  # a host fact only: unknown rather than a failed repository
            return licence_spdx(project) if project else None

        found.update(zip(names, pool.map(lookup, names), strict=True))
        return found


class _ScanState:
    """What the reading threads share: the learnt complexity limit, a reason to stop."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.halted: str | None = None


def _guarded(batch: list[Any], send: Any, state: _ScanState) -> str | None:
    """Run one packed query; returns why it failed, or None."""
    if state.halted:
        return state.halted
    try:
        state.limit = run_round(batch, send, state.limit)
    except RateLimitTooLong as exc:
        state.halted = f"GitLab rate limit: {exc}"
        return state.halted
    except Exception as exc:
        return explain(exc, what="GitLab GraphQL", token_name=None).one_line()
    return None


def _get_json(
    client: gitlab.Gitlab, path: str, query: dict[str, Any], max_retries: int
) -> dict[str, Any] | None:
    """A REST object, or None when GitLab answers 404; raises when the answer is not GitLab's."""
    try:
        result = client.http_get(path, query_data=query, max_retries=max_retries)
    except gitlab.exceptions.GitlabHttpError as exc:
        if exc.response_code == 404 and _is_gitlab_json(exc.response_body):
            return None
        if exc.response_code == 404:
            raise _not_gitlab(client.url) from exc
        raise
    if not isinstance(result, dict):
        raise _not_gitlab(client.url)
    return result


def _is_gitlab_json(body: bytes | None) -> bool:
    import json

    try:
        decoded = json.loads(body or b"")
    except ValueError:
        return False
    return isinstance(decoded, dict) and ("message" in decoded or "error" in decoded)


def _not_gitlab(root: str) -> ConnectorError:
    return ConnectorError(
        f"{root} does not answer as a GitLab instance (no GitLab API at {root}/api/v4)",
        hint="check the URL, or give the instance root with --gitlab-url",
    )


def _answers_as_gitlab(root: str, token: str | None, log: RequestLog) -> bool:
    """Whether a GitLab API answers under `root` (`/version` answers JSON, 401 without a token)."""
    client = make_client(root, token, 30.0, log)
    try:
        result = client.http_get("/version", max_retries=2)
    except gitlab.exceptions.GitlabError as exc:
        return exc.response_code == 401 and _is_gitlab_json(exc.response_body)
    except (requests.RequestException, RateLimitTooLong):
        return False
    finally:
        client.session.close()
    return isinstance(result, dict) and "version" in result
