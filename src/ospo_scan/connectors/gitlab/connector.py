"""The GitLab connector: every project of a group (subgroups included), or one project.

Requests, for a group of N projects: one to tell group from project, N/100 to enumerate
(REST, `include_subgroups=true`), then a few rounds of batched GraphQL queries that list the
evidence directories and fetch only the texts rules read (see `work`). Files above the
read bound, binary files and anything a rule reads that was not fetched are read later, bounded,
through the raw-file API.

The OSPS Baseline's host facts are asked only when a rule reads them (`EntitySource.ask_for`):
most come with the batched rounds or the listing, push and approval rules cost one REST request
each per project with GitLab Premium (see `facts`).

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
from urllib.parse import urlsplit

import gitlab
import gitlab.exceptions
import requests

from ospo_scan.connectors.gitlab.facts import observe
from ospo_scan.connectors.gitlab.gather import ExtraAnswers, gather_extras, gather_mfa
from ospo_scan.connectors.gitlab.graphql import Send, pack, run_round, server_limit
from ospo_scan.connectors.gitlab.http import (
    MAX_RETRIES,
    TIMEOUT,
    RateLimitTooLong,
    RequestLog,
    answers_as_gitlab,
    encoded,
    explain,
    get_json,
    graphql,
    make_client,
)
from ospo_scan.connectors.gitlab.rest import NOTE as REST_NOTE
from ospo_scan.connectors.gitlab.rest import GraphQLUnavailable, run_rest_round
from ospo_scan.connectors.gitlab.snapshot import (
    build_snapshot,
    licence_spdx,
    metadata,
    project_name,
    wanted,
)
from ospo_scan.connectors.gitlab.target import Location, locate
from ospo_scan.connectors.gitlab.work import ProjectWork, RoundRequest
from ospo_scan.connectors.interface import (
    Connector,
    EntitySource,
    RepoFailure,
    ScanOptions,
    Target,
    TargetKind,
    answer_limits,
)
from ospo_scan.errors import TargetRejected
from ospo_scan.licences.files import is_licence_name
from ospo_scan.snapshot import HostFact, Snapshot
from ospo_scan.untrusted.redaction import register_secret

NO_ORG_DEFAULTS_NOTE = (
    "GitLab has no organisation-default community files; each project is judged on its own files."
)
DEFAULT_TOKEN_ENV = "GITLAB_TOKEN"
WAVES_AHEAD = 2
"""Waves of projects read at once (the one handed on and the next)."""
MAX_ROUNDS = 60
"""Rounds per wave: root, directories, sizes and texts take four; more only for directories of
more than 50 files (one round per page) and chains of symbolic links."""


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
        timeout: tuple[float, float] = TIMEOUT,
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
        self.timeout = timeout
        """Seconds to wait for a connection, and for each part of an answer."""

    def open(self, target: Target, options: ScanOptions) -> EntitySource:
        token_name = options.token_env or DEFAULT_TOKEN_ENV
        token = os.environ.get(token_name) or None
        register_secret(token)
        log = self.request_log
        limits = answer_limits(options)
        location = locate(
            target,
            options,
            lambda root: answers_as_gitlab(root, token, log, self.timeout, limits),
        )
        client = make_client(location.root, token, options.max_wait, log, self.timeout, limits)
        what = f"GitLab {location.web_url}"
        try:
            projects, entity_url = self._enumerate(client, location, options, token_name)
        except Exception as exc:
            raise explain(exc, what=what, token_name=token_name if token else None) from exc
        state = _ScanState(
            250 if token else 200,
            host_licence=self.host_licence or options.host_licence,
            authenticated=token is not None,
            gitlab_com=urlsplit(location.root).hostname == "gitlab.com",
        )
        notes = [NO_ORG_DEFAULTS_NOTE]
        if any(not p.get("empty_repo") for p in projects):
            try:
                state.limit = server_limit(self._sender(client), state.limit)
            except GraphQLUnavailable:
                state.rest = True
                notes.append(REST_NOTE)
            except RateLimitTooLong as exc:
                state.halted = f"GitLab rate limit: {exc}"
        return EntitySource(
            name=location.path,
            source=TargetKind.GITLAB,
            repositories=self._read_all(client, projects, state),
            url=entity_url,
            notes=tuple(notes),
            ask_for=state.ask_for,
        )

    def _get_json(
        self, client: gitlab.Gitlab, path: str, query: dict[str, Any]
    ) -> dict[str, Any] | None:
        return get_json(client, path, query, self.max_retries)

    def _sender(self, client: gitlab.Gitlab) -> Send:
        def send(query: str, variables: dict[str, Any]) -> dict[str, Any]:
            return graphql(client, query, variables, self.max_retries)

        return send

    # -- enumeration -------------------------------------------------------------------------

    def _enumerate(
        self, client: gitlab.Gitlab, location: Location, options: ScanOptions, token_name: str
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
            raise TargetRejected(
                f"no GitLab group or project {location.path!r} on {location.root}",
                hint=f"check the path; private groups and projects need a token in {token_name}",
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
        self, client: gitlab.Gitlab, projects: list[dict[str, Any]], state: _ScanState
    ) -> Iterator[Snapshot | RepoFailure]:
        if HostFact.MFA in state.facts and not state.halted:
            send = None if state.rest else self._sender(client)
            state.groups_mfa, state.instance_mfa = gather_mfa(
                client, projects, send, state, self.max_retries
            )
        pool = ThreadPoolExecutor(self.concurrency)
        ahead = ThreadPoolExecutor(WAVES_AHEAD)
        try:
            # The next wave is read while this one is handed on: a round's wait is overlapped
            # with the other wave's, while `concurrency` still bounds the queries in flight.
            waves = [
                ahead.submit(
                    self._read_wave, client, projects[start : start + self.wave], state, pool
                )
                for start in range(0, len(projects), self.wave)
            ]
            for wave in waves:
                yield from wave.result()
        finally:
            ahead.shutdown(wait=True, cancel_futures=True)
            pool.shutdown(wait=True, cancel_futures=True)

    def _read_wave(
        self,
        client: gitlab.Gitlab,
        projects: list[dict[str, Any]],
        state: _ScanState,
        pool: ThreadPoolExecutor,
    ) -> list[Snapshot | RepoFailure]:
        works: dict[str, ProjectWork] = {}
        for project in projects:
            if not project.get("empty_repo"):
                works[project_name(project)] = ProjectWork(
                    project_name(project),
                    project.get("default_branch"),
                    facts=state.facts,
                    reads_ci=state.reads_ci,
                )

        send = self._sender(client)
        for _ in range(MAX_ROUNDS):
            if not state.host_facts:
                for work in works.values():
                    work.host_facts_pending = False
            requests_ = [r for w in works.values() if (r := w.next_request()) is not None]
            if not requests_:
                break
            if state.halted:
                for request in requests_:
                    request.project.fail(state.halted)
                break
            if state.rest:
                batches = [[request] for request in requests_]
                outcomes = pool.map(lambda b: self._rest_guarded(b[0], client, state), batches)
            else:
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
        extras = {}
        if not state.halted:
            extras = gather_extras(
                client,
                projects,
                works,
                state.facts,
                pool,
                self.max_retries,
                authenticated=state.authenticated,
            )
        read: list[Snapshot | RepoFailure] = []
        for project in projects:
            name = project_name(project)
            done = works.get(name)
            if done is not None and done.failure is not None:
                url = str(project.get("web_url", ""))
                read.append(RepoFailure(name, url, done.failure, metadata(project)))
                continue
            observed = observe(
                state.facts,
                project,
                done,
                extras.get(name, ExtraAnswers()),
                state.groups_mfa,
                instance_mfa=state.instance_mfa,
            )
            read.append(
                build_snapshot(
                    project, done, client, licences.get(name), self.max_retries, observed
                )
            )
        return read

    def _rest_guarded(
        self, request: RoundRequest, client: gitlab.Gitlab, state: _ScanState
    ) -> str | None:
        """One project's round through REST; returns why it failed, or None."""
        if state.halted:
            return state.halted
        try:
            run_rest_round(request, client, self.max_retries, authenticated=state.authenticated)
        except RateLimitTooLong as exc:
            state.halted = f"GitLab rate limit: {exc}"
            return state.halted
        except Exception as exc:
            return explain(exc, what="GitLab REST", token_name=None).one_line()
        return None

    def _licences(
        self,
        client: gitlab.Gitlab,
        projects: list[dict[str, Any]],
        works: dict[str, ProjectWork],
        state: _ScanState,
        pool: ThreadPoolExecutor,
    ) -> dict[str, str | None]:
        found = {project_name(p): licence_spdx(p) for p in projects if "license" in p}
        if not state.host_licence or state.halted:
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
    """What the reading threads share: what was learnt of the instance, a reason to stop."""

    def __init__(
        self,
        limit: int,
        *,
        host_licence: bool = False,
        authenticated: bool,
        gitlab_com: bool = False,
    ) -> None:
        self.limit = limit
        self.host_licence = host_licence
        self.authenticated = authenticated
        self.host_facts = True
        self.rest = False
        """GraphQL is unavailable: every project is read through REST."""
        self.halted: str | None = None
        self.facts: frozenset[HostFact] = frozenset()
        """The Baseline's host facts the ruleset reads (none until the scanner says)."""
        self.reads_ci = False
        """Whether the ruleset reads the CI definitions (read ahead then only)."""
        self.gitlab_com = gitlab_com
        self.groups_mfa: dict[str, bool | None] = {}
        self.instance_mfa: bool | None = None

    def ask_for(self, facts: frozenset[HostFact]) -> None:
        self.facts = frozenset(facts) - {HostFact.CI_DEFINITIONS}
        self.reads_ci = HostFact.CI_DEFINITIONS in facts


def _guarded(batch: list[Any], send: Any, state: _ScanState) -> str | None:
    """Run one packed query; returns why it failed, or None."""
    if state.halted:
        return state.halted
    try:
        run_round(batch, send, state)
    except RateLimitTooLong as exc:
        state.halted = f"GitLab rate limit: {exc}"
        return state.halted
    except Exception as exc:
        return explain(exc, what="GitLab GraphQL", token_name=None).one_line()
    return None
