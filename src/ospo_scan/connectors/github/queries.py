"""The GraphQL documents the GitHub connector sends.

Two shapes cover a whole scan:

- an owner page (or one repository): metadata of up to 100 repositories (with the newcomer
  labels' issue counts, the latest tags, and the authors of the default branch's
  commits since `$since`) and, through aliases, the tree entries of every directory in
  `LISTED_DIRECTORIES` — one request per 100 repositories;
- a batch of git objects (file texts, or trees met while following symbolic links) across many
  repositories, one alias per repository and per object — one request per few hundred files.

What the history facts cost: nothing in requests (they ride in the page query); in rate-limit
points, `refs(first: 20)` and `history(first: 100)` add one point each per page of 100
repositories (3 instead of 1), while `hasIssuesEnabled`, `committedDate` and the two newcomer
labels' `issues { totalCount }` add none.

Every document is valid against GitHub's public schema (the tests check it with graphql-core).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from ospo_scan.snapshot import LISTED_DIRECTORIES, MAX_HISTORY_COMMITS

NEWCOMER_ALIASES: tuple[tuple[str, str], ...] = (
    ("goodFirstIssue", "good first issue"),
    ("helpWanted", "help wanted"),
)
"""(alias, label name) of the newcomer labels asked for: GitHub's default names."""
TAGS_READ = 20
"""The tags with the most recent commits read per repository."""

TREE_ALIASES: tuple[tuple[str, str], ...] = tuple(
    (f"dir{index}", directory) for index, directory in enumerate(LISTED_DIRECTORIES)
)
"""(alias, directory) of each listed directory in a repository's fields."""

_RATE_LIMIT = "rateLimit { cost remaining resetAt }"

_TREE_FRAGMENT = """
fragment ospoTree on GitObject {
  __typename
  ... on Tree { entries { name type mode size } }
}"""

_BLOB_FRAGMENT = """
fragment ospoBlob on GitObject {
  __typename
  ... on Blob { byteSize isBinary isTruncated text }
}"""


def _object(alias: str, path: str, fragment: str) -> str:
    return f"{alias}: object(expression: {json.dumps('HEAD:' + path)}) {{ ...{fragment} }}"


_TREES = "\n    ".join(_object(alias, directory, "ospoTree") for alias, directory in TREE_ALIASES)

_NEWCOMER_LABELS = "\n  ".join(
    f"{alias}: label(name: {json.dumps(name)}) {{ name issues {{ totalCount }} }}"
    for alias, name in NEWCOMER_ALIASES
)

_REPOSITORY_FRAGMENT = f"""
fragment ospoRepository on Repository {{
  name
  nameWithOwner
  url
  isArchived
  isFork
  isEmpty
  isPrivate
  visibility
  description
  pushedAt
  viewerPermission
  repositoryTopics(first: 20) {{ nodes {{ topic {{ name }} }} }}
  defaultBranchRef {{
    name branchProtectionRule {{ id }} refUpdateRule {{ pattern }}
    target {{
      oid
      ... on Commit {{
        committedDate
        history(since: $since, first: {MAX_HISTORY_COMMITS}) {{
          totalCount nodes {{ author {{ name email user {{ login }} }} }}
        }}
      }}
    }}
  }}
  hasIssuesEnabled
  {_NEWCOMER_LABELS}
  tags: refs(
    refPrefix: "refs/tags/", first: {TAGS_READ},
    orderBy: {{field: TAG_COMMIT_DATE, direction: DESC}}
  ) {{ nodes {{ name }} }}
  licenseInfo {{ spdxId }}
  isSecurityPolicyEnabled
  securityPolicyUrl
    {_TREES}
}}"""

DEFAULTS_REPOSITORY = ".github"
"""The repository that holds an organisation's default community files."""

OWNER_PAGE = (
    """
query ospoOwnerPage(
  $owner: String!, $first: Int!, $after: String, $privacy: RepositoryPrivacy,
  $withDefaults: Boolean!, $since: GitTimestamp!
) {
  """
    + _RATE_LIMIT
    + """
  repositoryOwner(login: $owner) {
    __typename
    login
    url
    repositories(
      first: $first, after: $after, privacy: $privacy, ownerAffiliations: [OWNER],
      orderBy: {field: NAME, direction: ASC}
    ) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ...ospoRepository }
    }
  }
  defaults: repository(owner: $owner, name: ".github") @include(if: $withDefaults) {
    ...ospoRepository
  }
}"""
    + _REPOSITORY_FRAGMENT
    + _TREE_FRAGMENT
)
"""One page of an owner's (organisation's or user's) repositories, and its defaults repository."""

ONE_REPOSITORY = (
    """
query ospoRepository($owner: String!, $name: String!, $since: GitTimestamp!) {
  """
    + _RATE_LIMIT
    + """
  repository(owner: $owner, name: $name) { ...ospoRepository }
  defaults: repository(owner: $owner, name: ".github") { ...ospoRepository }
}"""
    + _REPOSITORY_FRAGMENT
    + _TREE_FRAGMENT
)
"""A single repository and its owner's defaults repository."""


@dataclass(frozen=True)
class ObjectRequest:
    """One git object wanted from one repository."""

    full_name: str
    """`owner/name` of the repository."""
    path: str
    """Path from the repository root ('' is the root tree)."""
    tree: bool = False
    """Ask for tree entries instead of blob text."""


def object_batch(requests: Sequence[ObjectRequest]) -> tuple[str, dict[tuple[str, str, bool], str]]:
    """A query fetching every requested object, and where each answer lands (`rN.fM`)."""
    by_repository: dict[str, list[ObjectRequest]] = {}
    for request in requests:
        by_repository.setdefault(request.full_name, []).append(request)
    lines = ["query ospoObjects {", f"  {_RATE_LIMIT}"]
    where: dict[tuple[str, str, bool], str] = {}
    for repo_index, (full_name, wanted) in enumerate(by_repository.items()):
        owner, name = full_name.split("/", 1)
        alias = f"r{repo_index}"
        lines.append(
            f"  {alias}: repository(owner: {json.dumps(owner)}, name: {json.dumps(name)}) {{"
        )
        seen: set[tuple[str, bool]] = set()
        for object_index, request in enumerate(wanted):
            if (request.path, request.tree) in seen:
                continue
            seen.add((request.path, request.tree))
            object_alias = f"o{object_index}"
            fragment = "ospoTree" if request.tree else "ospoBlob"
            lines.append(f"    {_object(object_alias, request.path, fragment)}")
            where[(full_name, request.path, request.tree)] = f"{alias}.{object_alias}"
        lines.append("  }")
    lines.append("}")
    fragments = ""
    if any(r.tree for r in requests):
        fragments += _TREE_FRAGMENT
    if any(not r.tree for r in requests):
        fragments += _BLOB_FRAGMENT
    return "\n".join(lines) + fragments, where


_NEWER_FIELDS = (
    ("entries { name type mode size }", "entries { name type mode }"),
    (" refUpdateRule { pattern }", ""),
    ("\n  isSecurityPolicyEnabled", ""),
    ("\n  securityPolicyUrl", ""),
)
"""Fields older GitHub Enterprise Server schemas may lack, and what replaces them."""


FACTS_FRAGMENT_NAME = "ospoFacts"
"""The fragment asking repositories for the Baseline's host facts (`host_facts`)."""


def for_older_servers(query: str) -> str:
    """The query without the fields older GitHub Enterprise Server versions lack (and without
    the host facts, some of whose fields they lack too: those facts stay unknown there)."""
    head, marker, _ = query.partition(f"\nfragment {FACTS_FRAGMENT_NAME} on Repository {{")
    if marker:
        query = head.replace(f" ...{FACTS_FRAGMENT_NAME}", "")
    for newer, older in _NEWER_FIELDS:
        query = query.replace(newer, older)
    return query
