"""The Baseline's host facts of a GitHub owner's repositories, asked only when a rule reads them.

GraphQL facts come from `host_facts`. The others GitHub's GraphQL schema lacks; they cost REST
requests, only for the facts the ruleset reads, and only where the token may see them (otherwise
they are withheld, each with the permission that would settle it, and cost nothing):

- private vulnerability reporting: `GET /repos/{o}/{r}/private-vulnerability-reporting`,
  1 request per repository;
- published advisories: `GET /repos/{o}/{r}/security-advisories?state=published`, 1 per
  repository;
- secret scanning and push protection: `security_and_analysis` of `GET /orgs/{org}/repos`
  (owners and security managers), 1 per 100 repositories; else `GET /repos/{o}/{r}` where the
  token administers the repository, 1 per repository;
- workflow permissions: `GET /orgs/{org}/actions/permissions/workflow` (owners; `read` there
  binds every repository), 1 per organisation; else 1 per repository the token administers;
- collaborator default: `default_repository_permission` of `GET /orgs/{org}` (owners), 1 per
  organisation;
- MFA: GraphQL `requiresTwoFactorAuthentication`, asked with the first page's facts;
- code scanning default setup: `GET /repos/{o}/{r}/code-scanning/default-setup`, 1 per
  repository (a token that may read code scanning).
"""

from __future__ import annotations

import urllib.parse
from dataclasses import replace
from typing import Any

from ospo_scan.connectors.github.client import GitHubClient
from ospo_scan.connectors.github.errors import GitHubRequestError, RateLimitExhausted
from ospo_scan.connectors.github.host_facts import (
    GRAPHQL_FACTS,
    facts_batch,
    failed_fields,
    graphql_facts,
)
from ospo_scan.snapshot import HostFact, Snapshot

OWNER_TOKEN = "a token of an organisation owner (classic: admin:org or read:org scope)"
ADMIN_TOKEN = "a token with admin rights on the repository"
ANY_TOKEN = "a GitHub token (GITHUB_TOKEN)"
CODE_SCANNING_TOKEN = (
    "a token that may read code scanning (fine-grained: code scanning alerts, read; classic: "
    "repo, or public_repo for public repositories)"
)
PER_PAGE = 100


class HostFactReader:
    """Reads the wanted host facts of an owner's repositories, sharing what the owner says once."""

    def __init__(self, client: GitHubClient, owner: str, *, anonymous: bool = False) -> None:
        self.client = client
        self.owner = owner
        self.anonymous = anonymous
        self.wanted: frozenset[HostFact] = frozenset()
        """The host facts to read; CI definitions are files, read with the others."""
        self.reads_ci = False
        """Whether the ruleset reads the CI definitions (they are read ahead then only)."""
        self._owner_node: dict[str, Any] | None = None
        self._org_settings: dict[str, Any] | None = None
        self._org_workflow: str | None = None
        self._org_security: dict[str, Any] | None = None

    def ask_for(self, facts: frozenset[HostFact]) -> None:
        self.wanted = frozenset(facts) - {HostFact.CI_DEFINITIONS}
        self.reads_ci = HostFact.CI_DEFINITIONS in facts

    def prefetch(self, nodes: list[dict[str, Any]]) -> None:
        """Ask GraphQL, in one query, for the facts of repositories listed before the facts were
        known (and for the owner's); the answers are merged into the nodes."""
        if not self.wanted or self.anonymous or (not nodes and self._owner_node is not None):
            return
        names = [str(n["nameWithOwner"]).split("/", 1)[1] for n in nodes]
        try:
            result = self.client.graphql(facts_batch(self.owner, names, self.wanted))
        except (GitHubRequestError, RateLimitExhausted):
            self._owner_node = {}
            return  # the facts stay unknown; the files are still read
        owner = result.data.get("owner")
        self._owner_node = owner if isinstance(owner, dict) else {}
        for index, node in enumerate(nodes):
            answer = result.data.get(f"r{index}")
            if isinstance(answer, dict):
                merge_answer(node, answer)
            node[_FAILED] = failed_fields(result, f"r{index}") | (
                frozenset({"*"}) if not isinstance(answer, dict) else frozenset()
            )

    def mark_failures(self, node: dict[str, Any], failed: frozenset[str]) -> None:
        """Record the fields a listing query failed on for a repository."""
        node[_FAILED] = failed

    def apply(self, snapshot: Snapshot, node: dict[str, Any]) -> Snapshot:
        """The snapshot with the wanted facts filled in (or withheld)."""
        if not self.wanted:
            return snapshot
        values: dict[str, Any] = {}
        withheld: dict[HostFact, str] = {}
        graphql_wanted = self.wanted & GRAPHQL_FACTS
        if self.anonymous:  # the REST listing says these two; the others need GraphQL
            if HostFact.DISCUSSIONS in graphql_wanted:
                values["discussions_enabled"] = _flag(node.get("hasDiscussionsEnabled"))
            if HostFact.SIGNOFF in graphql_wanted:
                values["signoff_required"] = _flag(node.get("webCommitSignoffRequired"))
            for fact in graphql_wanted - {HostFact.DISCUSSIONS, HostFact.SIGNOFF}:
                withheld[fact] = ANY_TOKEN
        elif graphql_wanted:
            failed = node.get(_FAILED, frozenset())
            if "*" in failed:
                withheld |= dict.fromkeys(graphql_wanted, "a token that may read the repository")
            else:
                found, refused = graphql_facts(node, graphql_wanted, failed)
                values |= found
                withheld |= refused
        full_name = str(node.get("nameWithOwner") or snapshot.name)
        admin = node.get("viewerPermission") == "ADMIN"
        for fact in sorted(self.wanted - GRAPHQL_FACTS, key=lambda f: f.value):
            found, settles = self._rest_fact(fact, full_name, admin)
            values |= found
            if settles:
                withheld[fact] = settles
        host = replace(snapshot.metadata.host, **values, withheld=withheld)
        return replace(snapshot, metadata=replace(snapshot.metadata, host=host))

    def _rest_fact(self, fact: HostFact, full_name: str, admin: bool) -> tuple[dict[str, Any], str]:
        """The fields for one fact, or what would settle it."""
        owner = self._owner()
        organisation = owner.get("__typename") == "Organization"
        owner_rights = bool(owner.get("viewerCanAdminister"))
        if fact is HostFact.VULNERABILITY_REPORTING:
            answer = self._get(f"/repos/{full_name}/private-vulnerability-reporting")
            enabled = answer.get("enabled") if isinstance(answer, dict) else None
            if not isinstance(enabled, bool):
                return {}, ANY_TOKEN if self.anonymous else "a token that may read the repository"
            return {"vulnerability_reporting": enabled}, ""
        if fact is HostFact.ADVISORIES:
            parameters = {"state": "published", "per_page": PER_PAGE}
            answer = self._get(f"/repos/{full_name}/security-advisories", parameters)
            if not isinstance(answer, list):
                return {}, "a token that may read the repository's security advisories"
            return {"published_advisories": len(answer)}, ""
        if self.anonymous:
            return {}, ANY_TOKEN
        if fact is HostFact.CODE_SCANNING:
            answer = self._get(f"/repos/{full_name}/code-scanning/default-setup")
            state = answer.get("state") if isinstance(answer, dict) else None
            if state not in ("configured", "not-configured"):
                return {}, CODE_SCANNING_TOKEN
            return {"code_scanning_default": state == "configured"}, ""
        if fact is HostFact.MFA:
            required = owner.get("requiresTwoFactorAuthentication")
            if not organisation:
                return {}, "scan the repository under an organisation (a personal account's "
                "two-factor setting is its owner's alone)"
            if not isinstance(required, bool):
                return {}, OWNER_TOKEN
            return {"mfa_required": required}, ""
        if fact is HostFact.COLLABORATOR_PERMISSIONS:
            if not organisation:
                return {"collaborator_default": "none"}, ""  # only invited collaborators
            if not owner_rights:
                return {}, OWNER_TOKEN
            permission = self._settings().get("default_repository_permission")
            if not isinstance(permission, str):
                return {}, OWNER_TOKEN
            return {"collaborator_default": permission}, ""
        if fact is HostFact.SECRET_SCANNING:
            security = self._org_security_of(full_name) if organisation and owner_rights else None
            if security is None and admin:
                answer = self._get(f"/repos/{full_name}")
                security = answer.get("security_and_analysis") if isinstance(answer, dict) else None
            if not isinstance(security, dict):
                return {}, f"{ADMIN_TOKEN}, or of an organisation owner or security manager"
            return {
                "secret_scanning": _status(security, "secret_scanning"),
                "secret_push_protection": _status(security, "secret_scanning_push_protection"),
            }, ""
        if fact is HostFact.WORKFLOW_PERMISSIONS:
            if organisation and owner_rights and self._org_workflow_default() == "read":
                return {"default_workflow_permissions": "read"}, ""  # binds every repository
            if not admin:
                return {}, ADMIN_TOKEN
            answer = self._get(f"/repos/{full_name}/actions/permissions/workflow")
            value = answer.get("default_workflow_permissions") if isinstance(answer, dict) else None
            if value not in ("read", "write"):
                return {}, ADMIN_TOKEN
            return {"default_workflow_permissions": value}, ""
        return {}, "a newer ospo-scan"

    def _owner(self) -> dict[str, Any]:
        if self._owner_node is None and not self.anonymous:
            self.prefetch([])
        return self._owner_node or {}

    def _settings(self) -> dict[str, Any]:
        if self._org_settings is None:
            answer = self._get(f"/orgs/{urllib.parse.quote(self.owner)}")
            self._org_settings = answer if isinstance(answer, dict) else {}
        return self._org_settings

    def _org_workflow_default(self) -> str | None:
        if self._org_workflow is None:
            owner = urllib.parse.quote(self.owner)
            answer = self._get(f"/orgs/{owner}/actions/permissions/workflow")
            value = answer.get("default_workflow_permissions") if isinstance(answer, dict) else None
            self._org_workflow = str(value or "")
        return self._org_workflow or None

    def _org_security_of(self, full_name: str) -> dict[str, Any] | None:
        """`security_and_analysis` of every repository of the organisation, listed once."""
        if self._org_security is None:
            self._org_security = {}
            page = 1
            while True:
                parameters = {"type": "all", "per_page": PER_PAGE, "page": page}
                listed = self._get(f"/orgs/{urllib.parse.quote(self.owner)}/repos", parameters)
                if not isinstance(listed, list):
                    break
                for repo in listed:
                    security = repo.get("security_and_analysis") if isinstance(repo, dict) else None
                    if isinstance(security, dict):
                        self._org_security[str(repo.get("full_name"))] = security
                if len(listed) < PER_PAGE:
                    break
                page += 1
        return self._org_security.get(full_name)

    def _get(self, path: str, parameters: dict[str, Any] | None = None) -> Any:
        """A REST answer, or None when GitHub refused it (the fact is then withheld)."""
        try:
            return self.client.rest_get(path, parameters)
        except (GitHubRequestError, RateLimitExhausted):
            return None


_FAILED = "__ospo_failed_facts"


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _status(security: dict[str, Any], key: str) -> bool | None:
    status = (security.get(key) or {}).get("status")
    return {"enabled": True, "disabled": False}.get(str(status))


def merge_answer(node: dict[str, Any], answer: dict[str, Any]) -> None:
    """Merge a later answer about a repository into what the listing said of it: an object both
    hold (the default branch: its name from the listing, its rules from the answer) is merged,
    not replaced."""
    for key, value in answer.items():
        known = node.get(key)
        if isinstance(known, dict) and isinstance(value, dict):
            merge_answer(known, value)
        else:
            node[key] = value
