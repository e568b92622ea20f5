"""The Baseline's host facts that GitHub's GraphQL schema has, asked only when a rule reads them.

A ruleset names the facts its rules read (`Rule.host_facts`); the scanner passes them on before
the repositories are read. The facts GraphQL holds ride in the queries that list repositories:

- branch rules: `defaultBranchRef { refUpdateRule, rules }` — classic protection as non-admins
  see it, and every active ruleset's rules (the organisation's too); 0 requests, +1 point per
  page of 100 repositories;
- releases: `releases(first: 5) { … releaseAssets(first: 30) }`; 0 requests, +6 points a page;
- discussions `hasDiscussionsEnabled`, sign-off `webCommitSignoffRequired`: 0 requests, 0 points;
- MFA: `Organization.requiresTwoFactorAuthentication` (null unless the viewer is an owner).

The first page of repositories is read before the scanner says which facts it wants, so the facts
of that page (and the owner's) are asked in one more query — one request per scan. Every later
page carries them in its own query.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from ospo_scan.connectors.github.client import GraphQLResult
from ospo_scan.connectors.github.queries import FACTS_FRAGMENT_NAME
from ospo_scan.snapshot import BranchRules, HostFact, HostRelease

GRAPHQL_FACTS = frozenset(
    {HostFact.BRANCH_RULES, HostFact.RELEASES, HostFact.DISCUSSIONS, HostFact.SIGNOFF}
)
"""Repository facts read through GraphQL."""
RELEASES_READ = 5
"""The newest releases read per repository."""
ASSETS_READ = 30
"""Asset names read per release."""
RULES_READ = 50
"""Rules read per default branch."""
NOTES_BOUND = 4000
"""Characters of release notes kept."""

_BRANCH_RULES = f"""
  defaultBranchRef {{
    refUpdateRule {{
      pattern allowsDeletions allowsForcePushes requiredApprovingReviewCount
      requiredStatusCheckContexts
    }}
    rules(first: {RULES_READ}) {{
      nodes {{
        type
        parameters {{
          __typename
          ... on PullRequestParameters {{ requiredApprovingReviewCount }}
          ... on RequiredStatusChecksParameters {{ requiredStatusChecks {{ context }} }}
        }}
        repositoryRuleset {{ name source {{ __typename }} }}
      }}
    }}
  }}"""

_RELEASES = f"""
  releases(first: {RELEASES_READ}, orderBy: {{field: CREATED_AT, direction: DESC}}) {{
    nodes {{
      tagName name description isDraft isPrerelease publishedAt
      releaseAssets(first: {ASSETS_READ}) {{ nodes {{ name }} }}
    }}
  }}"""

_FIELDS = {
    HostFact.BRANCH_RULES: _BRANCH_RULES,
    HostFact.RELEASES: _RELEASES,
    HostFact.DISCUSSIONS: "\n  hasDiscussionsEnabled",
    HostFact.SIGNOFF: "\n  webCommitSignoffRequired",
}
_FIELD_NAMES = {
    HostFact.BRANCH_RULES: "defaultBranchRef",
    HostFact.RELEASES: "releases",
    HostFact.DISCUSSIONS: "hasDiscussionsEnabled",
    HostFact.SIGNOFF: "webCommitSignoffRequired",
}


def facts_fragment(facts: Iterable[HostFact]) -> str:
    """The fragment asking a repository for the GraphQL facts among `facts` ('' for none)."""
    wanted = [fact for fact in sorted(GRAPHQL_FACTS, key=lambda f: f.value) if fact in facts]
    if not wanted:
        return ""
    body = "".join(_FIELDS[fact] for fact in wanted)
    return f"\nfragment {FACTS_FRAGMENT_NAME} on Repository {{\n  viewerPermission{body}\n}}"


def with_facts(query: str, facts: Iterable[HostFact]) -> str:
    """A repository-listing query whose repositories also carry the wanted facts."""
    fragment = facts_fragment(facts)
    if not fragment:
        return query
    spread = "...ospoRepository"
    return query.replace(spread, f"{spread} ...{FACTS_FRAGMENT_NAME}") + fragment


def facts_batch(owner: str, names: Iterable[str], facts: Iterable[HostFact]) -> str:
    """One query for the owner's organisation facts and the wanted facts of the named repositories
    (`r0`, `r1`… in order)."""
    lines = [
        "query ospoHostFacts {",
        "  rateLimit { cost remaining resetAt }",
        f"  owner: repositoryOwner(login: {json.dumps(owner)}) {{",
        "    __typename",
        "    ... on Organization { requiresTwoFactorAuthentication viewerCanAdminister }",
        "  }",
    ]
    names = list(names)
    fragment = (facts_fragment(facts) or facts_fragment({HostFact.DISCUSSIONS})) if names else ""
    for index, name in enumerate(names):
        lines.append(
            f"  r{index}: repository(owner: {json.dumps(owner)}, name: {json.dumps(name)}) "
            f"{{ ...{FACTS_FRAGMENT_NAME} }}"
        )
    lines.append("}")
    return "\n".join(lines) + fragment


def failed_fields(result: GraphQLResult, *prefix: str | int) -> frozenset[str]:
    """The fields under `prefix` GitHub answered with an error (a permission it refused)."""
    failed = set()
    for error in result.errors:
        path = tuple(error.get("path") or ())
        if path[: len(prefix)] == prefix and len(path) > len(prefix):
            failed.add(str(path[len(prefix)]))
    return frozenset(failed)


def graphql_facts(
    node: Mapping[str, Any], facts: frozenset[HostFact], failed: frozenset[str]
) -> tuple[dict[str, Any], dict[HostFact, str]]:
    """`HostFacts` fields from a repository node carrying the facts fragment, and the facts
    GitHub withheld with what would settle them."""
    values: dict[str, Any] = {}
    withheld: dict[HostFact, str] = {}
    for fact in GRAPHQL_FACTS & facts:
        if _FIELD_NAMES[fact] in failed:
            withheld[fact] = "a token that may read the repository's settings (metadata: read)"
    if HostFact.DISCUSSIONS in facts and HostFact.DISCUSSIONS not in withheld:
        values["discussions_enabled"] = _flag(node.get("hasDiscussionsEnabled"))
    if HostFact.SIGNOFF in facts and HostFact.SIGNOFF not in withheld:
        values["signoff_required"] = _flag(node.get("webCommitSignoffRequired"))
    if HostFact.RELEASES in facts and HostFact.RELEASES not in withheld:
        values["releases"] = releases_from(node.get("releases"))
    if HostFact.BRANCH_RULES in facts and HostFact.BRANCH_RULES not in withheld:
        values["branch_rules"] = branch_rules_from(node.get("defaultBranchRef"))
    return values, withheld


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def releases_from(connection: Any) -> tuple[HostRelease, ...] | None:
    """Published releases, newest first; drafts are not releases yet."""
    if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
        return None
    found = []
    for node in connection["nodes"]:
        if not isinstance(node, dict) or node.get("isDraft") or not node.get("tagName"):
            continue
        assets = (node.get("releaseAssets") or {}).get("nodes") or ()
        found.append(
            HostRelease(
                tag=str(node["tagName"]),
                name=str(node["name"]) if node.get("name") else None,
                notes=str(node.get("description") or "")[:NOTES_BOUND],
                assets=tuple(
                    str(a["name"]) for a in assets if isinstance(a, dict) and a.get("name")
                ),
                published_at=_timestamp(node.get("publishedAt")),
                prerelease=bool(node.get("isPrerelease")),
            )
        )
    return tuple(found)


def branch_rules_from(branch: Any) -> BranchRules | None:
    """Classic protection (as `refUpdateRule` shows it to non-admins) and every active ruleset's
    rules on the default branch, merged: a rule from either source counts."""
    if not isinstance(branch, dict) or not isinstance(branch.get("rules"), dict):
        return None
    classic = branch.get("refUpdateRule")
    reviewed = deletion = force = False
    approvals = 0
    checks: list[str] = []
    sources: list[str] = []
    if isinstance(classic, dict):
        sources.append(f"branch protection {classic.get('pattern') or ''}".strip())
        deletion = classic.get("allowsDeletions") is False
        force = classic.get("allowsForcePushes") is False
        count = classic.get("requiredApprovingReviewCount")
        if isinstance(count, int):
            reviewed, approvals = True, count
        checks += [str(c) for c in classic.get("requiredStatusCheckContexts") or () if c]
    for rule in branch["rules"].get("nodes") or ():
        if not isinstance(rule, dict):
            continue
        kind = rule.get("type")
        parameters = rule.get("parameters") or {}
        if kind in ("PULL_REQUEST", "UPDATE", "LOCK_BRANCH"):
            reviewed = True
        if kind == "PULL_REQUEST":
            approvals = max(approvals, int(parameters.get("requiredApprovingReviewCount") or 0))
        elif kind == "DELETION":
            deletion = True
        elif kind == "NON_FAST_FORWARD":
            force = True
        elif kind == "REQUIRED_STATUS_CHECKS":
            listed = parameters.get("requiredStatusChecks") or ()
            checks += [
                str(c["context"]) for c in listed if isinstance(c, dict) and c.get("context")
            ]
        ruleset = rule.get("repositoryRuleset") or {}
        if ruleset.get("name"):
            owner_kind = (ruleset.get("source") or {}).get("__typename")
            level = "organisation ruleset" if owner_kind == "Organization" else "ruleset"
            sources.append(f"{level} {ruleset['name']}")
    return BranchRules(
        changes_reviewed=reviewed,
        deletion_blocked=deletion,
        force_push_blocked=force,
        required_checks=tuple(dict.fromkeys(checks)),
        required_approvals=approvals,
        sources=tuple(dict.fromkeys(sources)),
    )


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
