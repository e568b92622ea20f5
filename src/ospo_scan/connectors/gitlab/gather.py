"""What the Baseline's host facts cost beyond the batched rounds: a project's push rule and
approval rules (REST; GraphQL has neither in GitLab Community Edition's schema), and the
two-factor requirement of every group above the projects (batched GraphQL, once per scan).
See `facts` for what each answer means."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import gitlab
import gitlab.exceptions
import requests

from ospo_scan.connectors.gitlab.graphql import Send, group_settings
from ospo_scan.connectors.gitlab.http import RateLimitTooLong, encoded, get_json
from ospo_scan.connectors.gitlab.work import ProjectWork
from ospo_scan.snapshot import HostFact


@dataclass(frozen=True)
class RestAnswer:
    """One REST answer: its status and body (None when the request was not made)."""

    status: int
    """200, or the error status GitLab answered (401, 403, 404)."""
    body: Any = None


@dataclass(frozen=True)
class ExtraAnswers:
    """The REST answers one project's Baseline facts need."""

    push_rule: RestAnswer | None = None
    approval_rules: RestAnswer | None = None


def extra_requests(facts: frozenset[HostFact]) -> tuple[str, ...]:
    """The REST endpoints a project costs for these facts (`push_rule`, `approval_rules`)."""
    wanted: list[str] = []
    if facts & {HostFact.SIGNOFF, HostFact.SECRET_SCANNING}:
        wanted.append("push_rule")
    if HostFact.BRANCH_RULES in facts:
        wanted.append("approval_rules")
    return tuple(wanted)


def fetch_extras(
    client: gitlab.Gitlab,
    project: Mapping[str, Any],
    facts: frozenset[HostFact],
    max_retries: int,
    *,
    authenticated: bool,
) -> ExtraAnswers:
    """The REST requests these facts need for one project; an error is an answer, not a failure.

    What the token is sure to be refused is not asked: the push rule needs the Maintainer role,
    which the listing shows by carrying maintainers' settings (`ci_job_token_scope_enabled`);
    approval rules need a token."""
    answers: dict[str, RestAnswer] = {}
    for endpoint in extra_requests(facts):
        if not authenticated:
            answers[endpoint] = RestAnswer(401)
            continue
        if endpoint == "push_rule" and "ci_job_token_scope_enabled" not in project:
            answers[endpoint] = RestAnswer(403)
            continue
        query = {"per_page": 100} if endpoint == "approval_rules" else {}
        try:
            body = client.http_get(
                f"/projects/{project['id']}/{endpoint}", query_data=query, max_retries=max_retries
            )
            answers[endpoint] = RestAnswer(200, body)
        except gitlab.exceptions.GitlabError as exc:
            answers[endpoint] = RestAnswer(int(getattr(exc, "response_code", None) or 0))
        except (requests.RequestException, RateLimitTooLong):
            answers[endpoint] = RestAnswer(0)  # a host fact only: unknown, not a failed project
    return ExtraAnswers(**answers)


def group_chain(project: Mapping[str, Any]) -> tuple[str, ...]:
    """The groups a project sits in, outermost first (none for a personal project)."""
    namespace = project.get("namespace") or {}
    path = str(namespace.get("full_path") or "")
    if namespace.get("kind") != "group" or not path:
        return ()
    parts = path.split("/")
    return tuple("/".join(parts[: i + 1]) for i in range(len(parts)))


def has_premium(project: Mapping[str, Any]) -> bool:
    """Whether the project has GitLab Premium's merge request approvals, and so push rules too:
    GitLab shows `approvals_before_merge` exactly then (Community Edition never does)."""
    return "approvals_before_merge" in project


NOT_PREMIUM = ExtraAnswers(RestAnswer(404), RestAnswer(404))
"""What the REST endpoints would answer without GitLab Premium: not asked."""


def gather_extras(
    client: gitlab.Gitlab,
    projects: list[dict[str, Any]],
    works: Mapping[str, ProjectWork],
    facts: frozenset[HostFact],
    pool: ThreadPoolExecutor,
    max_retries: int,
    *,
    authenticated: bool,
) -> dict[str, ExtraAnswers]:
    """The REST answers the facts need, for every project read that has GitLab Premium; none
    when no fact needs one."""
    if not extra_requests(facts):
        return {}
    wanted = [
        p
        for p in projects
        if (work := works.get(str(p["path_with_namespace"]))) is not None
        and work.failure is None
        and has_premium(p)
    ]

    def fetch(project: dict[str, Any]) -> ExtraAnswers:
        return fetch_extras(client, project, facts, max_retries, authenticated=authenticated)

    answers = pool.map(fetch, wanted)
    return {str(p["path_with_namespace"]): a for p, a in zip(wanted, answers, strict=True)}


class MfaState(Protocol):
    limit: int
    """The GraphQL complexity limit queries are packed for."""
    gitlab_com: bool
    authenticated: bool


def gather_mfa(
    client: gitlab.Gitlab,
    projects: list[dict[str, Any]],
    send: Send | None,
    state: MfaState,
    max_retries: int,
) -> tuple[dict[str, bool | None], bool | None]:
    """Each group's two-factor requirement, and the instance's: false on GitLab.com, which
    requires it of no one; asked of a self-managed instance (once, administrators only) when
    some project's groups do not require it."""
    groups = gather_groups(client, projects, send, state.limit, max_retries)
    if state.gitlab_com:
        return groups, False
    if state.authenticated and any(
        not any(groups.get(path) for path in group_chain(p)) for p in projects
    ):
        return groups, instance_requires_mfa(client, max_retries)
    return groups, None


def gather_groups(
    client: gitlab.Gitlab,
    projects: list[dict[str, Any]],
    send: Send | None,
    limit: int,
    max_retries: int,
) -> dict[str, bool | None]:
    """Whether each group above the projects requires two-factor authentication: batched GraphQL
    (`send`), or one REST request per group where GraphQL is unavailable (`send` None)."""
    paths = sorted({path for p in projects for path in group_chain(p)})
    if send is not None:
        return group_settings(send, paths, limit) if paths else {}
    found: dict[str, bool | None] = {}
    for path in paths:
        try:
            group = get_json(client, f"/groups/{encoded(path)}", {}, max_retries)
        except (gitlab.exceptions.GitlabError, requests.RequestException, RateLimitTooLong):
            group = None
        value = (group or {}).get("require_two_factor_authentication")
        found[path] = value if isinstance(value, bool) else None
    return found


def instance_requires_mfa(client: gitlab.Gitlab, max_retries: int) -> bool | None:
    """Whether a self-managed instance requires two-factor authentication of every user
    (`GET /application/settings`, administrators only); None when the token may not read it."""
    try:
        settings = client.http_get("/application/settings", max_retries=max_retries)
    except (gitlab.exceptions.GitlabError, requests.RequestException, RateLimitTooLong):
        return None
    value = (
        settings.get("require_two_factor_authentication") if isinstance(settings, dict) else None
    )
    return value if isinstance(value, bool) else None
