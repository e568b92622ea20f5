"""What GitLab charges for the connector's queries, scored as GitLab scores them.

GitLab refuses a query text over 10,000 characters (422 "Query too large",
`GraphqlController::MAX_QUERY_SIZE`) and a query whose complexity passes its limit (200 without a
token, 250 with one on GitLab.com; self-managed instances may differ). Complexity is graphql-ruby's
sum over the fields of the query, each field scored by GitLab's `Types::BaseField`:

- a field without a resolver costs 1, or 2 when it calls Gitaly, or the constant it declares
  (`Tree.lastCommit`: 10), plus its children;
- a field with a resolver costs its children, plus the resolver's complexity (1 in
  `Resolvers::BaseResolver`; `BlobsResolver` adds one per path), plus 1 when it calls Gitaly;
  a connection field then grows by that times its page (the smallest of `first`, `last` and
  100) times 0.01, truncated to an integer.

The figures below follow from those rules for the exact fields `graphql.build_query` asks for;
the tests hold each query's estimate equal to the score GitLab's rules give it.
"""

from __future__ import annotations

MAX_QUERY_SIZE = 10_000
"""Characters of query text GitLab accepts (variables do not count)."""
MAX_PAGE_SIZE = 100
"""GitLab's `default_max_page_size`: the largest page a connection serves."""
MAX_BLOBS_DATA = 20 * 1024 * 1024
"""Bytes of blob data one `blobs(paths:)` read of several paths may hold (`BlobsResolver`)."""


def connection(cost: int, page: int) -> int:
    """A resolver connection's cost: grown by 1 % per node of its page (Ruby's order)."""
    return int(cost + cost * (min(page, MAX_PAGE_SIZE) * 0.01))


PAGE_INFO = 1 + 2
"""`pageInfo { hasNextPage endCursor }`"""
LISTING = (2 + PAGE_INFO + (1 + 2)) + (1 + PAGE_INFO + (1 + 1))
"""`blobs` (calls Gitaly) with `nodes { path mode }`, `trees` with `nodes { path }`."""
TREE = 1 + 1 + LISTING
"""`tree(path:, ref:)`: TreeResolver (1, calls Gitaly) and the listing."""
LAST_COMMIT = 10 + 1
"""`lastCommit { sha }`: a constant 10."""
NEWCOMER_COUNT = connection(1 + 1 + 1, 1)
"""`issues(labelName: [...], first: 1) { count }`: IssuesResolver (1, +1 for its default
`sort`), a page of one."""
RELEASE_TAGS = connection(1 + 1 + (1 + 1), 20)
"""`releases(first: 20) { nodes { tagName } }`: ReleasesResolver (1, +1 for its default
`sort`)."""
BRANCH_RULE_NODES = 1 + 1 + 2 + 1
"""`nodes { name isDefault isProtected }` (isDefault calls Gitaly)."""
BRANCH_PROTECTION = 1 + 1 + (1 + (1 + 1))
"""`branchProtection { allowForcePush pushAccessLevels { nodes { accessLevel } } }`, asked for
the Baseline's branch rules: plain fields and a connection without a resolver."""
RELEASE_DETAILS = 1 + (1 + (1 + (1 + 1)))
"""`description assets { links { nodes { name } } }`, asked beside each release's tag for the
Baseline's releases."""
HOST_FACTS = connection(1 + BRANCH_RULE_NODES, 20) + (1 + 1) + 2 * NEWCOMER_COUNT + RELEASE_TAGS
"""`branchRules(first: 20) { nodes { name isDefault isProtected } }`,
`userPermissions { adminProject }`, the two newcomer labels' issue counts and the releases'
tags: what every scan asks."""
GROUP_SETTING = 1 + 1
"""`group(fullPath:) { requireTwoFactorAuthentication }`: GroupResolver (1) and one field."""


def host_facts(*, branch_protection: bool = False, release_details: bool = False) -> int:
    """The host-facts share: every scan's, and the Baseline's branch protection and release
    details when a rule reads them."""
    if not (branch_protection or release_details):
        return HOST_FACTS
    rules = connection(1 + BRANCH_RULE_NODES + (BRANCH_PROTECTION if branch_protection else 0), 20)
    releases = RELEASE_TAGS
    if release_details:
        releases = connection(1 + 1 + (1 + 1 + RELEASE_DETAILS), 20)
    return rules + (1 + 1) + 2 * NEWCOMER_COUNT + releases


PROBE_NODE = 1 + 4
"""`nodes { path size rawSize storedExternally }`"""
TEXT_NODE = 1 + 2
"""`nodes { path rawTextBlob }`"""


def blobs(paths: int, node: int) -> int:
    """`blobs(paths:, ref:, first:)`: BlobsResolver (1, one per path, calls Gitaly), paged."""
    return connection(node + 1 + paths + 1, paths)


def project_share(
    trees: int, root_listings: int, probe: int, texts: int, host: bool, host_cost: int = HOST_FACTS
) -> int:
    """`project(fullPath:)` (a resolver, 1) with `fullPath`, `repository` and host facts (which
    cost `host_cost`)."""
    repository = TREE * trees + LAST_COMMIT * root_listings
    if probe:
        repository += blobs(probe, PROBE_NODE)
    if texts:
        repository += blobs(texts, TEXT_NODE)
    return 1 + 1 + (1 + repository if trees or probe or texts else 0) + (host_cost if host else 0)
