"""GitLab's GraphQL limits as GitLab computes them: query size, and complexity field by field.

From GitLab's source (MIT), 18.x:

- `GraphqlController#limit_query_size`: a query text over 10,000 characters is answered
  422 `{"errors": [{"message": "Query too large"}]}` before it is parsed.
- `GitlabSchema`: complexity at most 200 without a token, 250 with one (300 for an admin);
  `default_max_page_size 100`.
- graphql-ruby's `QueryComplexity` analyser: a selection costs the sum of its fields, each field
  its own cost plus its children's (`Types::BaseField#complexity_for`); the query is refused when
  the total passes the limit, after the query was found valid.
- `Types::BaseField`: a field without a resolver costs 1, 2 when it calls Gitaly, or the
  constant it declares (`complexity: 10`), plus its children. A field with a resolver costs its
  children plus the resolver's complexity (`Resolvers::BaseResolver.resolver_complexity`: 1, +1
  with `sort`, +5 with `search`; `BlobsResolver` adds one per path) plus 1 when it calls Gitaly;
  a connection field then grows by that times its page (the smallest of `first`, `last` and 100)
  times the resolver's `complexity_multiplier` (0.01, or 0 when selecting by `iid`/`iids`),
  truncated to an integer (`to_i`).
- `BlobsResolver`: a `blobs(paths:)` read of more than one path that asks for blob data answers
  "Max blobs size limit exceeded" when the blobs hold more than 20 MB together.

Only the fields below differ from the default cost of 1 plus children; the table names the
fields the connector asks for (and their neighbours), as GitLab's type and resolver classes
declare them. A field the connector starts to ask for needs its entry here when GitLab gives it a
resolver (most lists do: issues, commits...), Gitaly calls or a constant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    get_named_type,
    value_from_ast_untyped,
)

MAX_QUERY_SIZE = 10_000
"""`GraphqlController::MAX_QUERY_SIZE`, in characters of the query text."""
MAX_PAGE_SIZE = 100
"""`GitlabSchema.default_max_page_size`."""
MAX_BLOBS_DATA = 20 * 1024 * 1024
"""`BlobsResolver::TOTAL_BLOB_DATA_SIZE_LIMIT` (20.megabytes)."""
BLOB_DATA_FIELDS = frozenset({"rawBlob", "base64EncodedBlob", "rawTextBlob", "plainData"})
"""`BlobsResolver::DATA_FIELDS`: asking for any of them makes a multi-path read check the size."""


@dataclass(frozen=True)
class FieldCost:
    own: int = 1
    """The field's cost before its children: 1, 2 when it calls Gitaly, or a declared constant."""
    resolver: bool = False
    """Resolved by a resolver class: the resolver's complexity replaces `own`."""
    gitaly: bool = False
    """`calls_gitaly`: one more, also for a resolver field."""
    connection: bool = False
    """A connection whose resolver scales its cost with the page size."""
    per_path: bool = False
    """`BlobsResolver.resolver_complexity`: one more per path asked for."""


GITALY = FieldCost(own=2, gitaly=True)

FIELD_COSTS: Mapping[str, FieldCost] = {
    # app/graphql/types/query_type.rb, resolvers/project_resolver.rb
    "Query.project": FieldCost(resolver=True),
    "Query.group": FieldCost(resolver=True),
    # types/project_type.rb, resolvers/projects/branch_rules_resolver.rb, releases_resolver.rb
    "Project.branchRules": FieldCost(resolver=True, connection=True),
    "Project.releases": FieldCost(resolver=True, connection=True),
    # resolvers/issues_resolver.rb (a connection; `sort` defaults to created_desc)
    "Project.issues": FieldCost(resolver=True, connection=True),
    # types/repository_type.rb, resolvers/tree_resolver.rb, resolvers/blobs_resolver.rb
    "Repository.rootRef": GITALY,
    "Repository.empty": GITALY,
    "Repository.exists": GITALY,
    "Repository.tree": FieldCost(resolver=True, gitaly=True),
    "Repository.paginatedTree": FieldCost(resolver=True, gitaly=True, connection=True),
    "Repository.blobs": FieldCost(resolver=True, gitaly=True, connection=True, per_path=True),
    "Repository.lastCommit": FieldCost(resolver=True, gitaly=True),
    # types/tree/tree_type.rb ("Complexity 10 as it triggers a Gitaly call on each render")
    "Tree.lastCommit": FieldCost(own=10),
    "Tree.blobs": GITALY,
    "Tree.submodules": GITALY,
    # types/projects/branch_rule_type.rb
    "BranchRule.isDefault": GITALY,
    "BranchRule.matchingBranchesCount": GITALY,
    # types/repository/blob_type.rb
    "RepositoryBlob.lfsOid": GITALY,
    "RepositoryBlob.permalinkPath": GITALY,
    "RepositoryBlob.plainData": GITALY,
    "RepositoryBlob.language": GITALY,
    "RepositoryBlob.canModifyBlob": GITALY,
    "RepositoryBlob.codeNavigationPath": GITALY,
    "RepositoryBlob.environmentFormattedExternalUrl": GITALY,
    "RepositoryBlob.environmentExternalUrlForRouteMap": GITALY,
}


def complexity(schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any]) -> int:
    """The complexity GitLab scores a valid query with."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    def selection_cost(selection_set: SelectionSetNode | None, parent: str) -> int:
        total = 0
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FragmentSpreadNode):
                total += selection_cost(fragments[node.name.value].selection_set, parent)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition.name.value if node.type_condition else parent
                total += selection_cost(node.selection_set, condition)
            elif isinstance(node, FieldNode):
                total += field_cost(node, parent)
        return total

    def field_cost(node: FieldNode, parent: str) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 1 + selection_cost(node.selection_set, parent)
        owner = schema.type_map[parent]
        field = owner.fields[name]  # type: ignore[attr-defined]  # validated: an object type
        child_type = get_named_type(field.type).name
        children = selection_cost(node.selection_set, child_type)
        rule = FIELD_COSTS.get(f"{parent}.{name}", FieldCost())
        if not rule.resolver:
            return rule.own + children
        values = dict(variables)
        # graphql-ruby hands the resolver the arguments' defaults too (a default `sort` counts)
        args = _defaults(field)
        args |= {
            a.name.value: value_from_ast_untyped(a.value, values) for a in node.arguments or ()
        }
        cost = children + 1 + (1 if args.get("sort") else 0) + (5 if args.get("search") else 0)
        if rule.per_path:
            cost += len(args.get("paths") or ())
        if rule.gitaly:
            cost += 1
        if rule.connection and not (args.get("iid") or args.get("iids")):
            sizes = [s for s in (args.get("first"), args.get("last")) if isinstance(s, int)]
            page = min([*sizes, MAX_PAGE_SIZE])
            return int(cost + cost * (page * 0.01))  # Ruby's order of operations
        return cost

    root = schema.query_type
    assert root is not None
    return sum(
        selection_cost(d.selection_set, root.name)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    )


def _defaults(field: Any) -> dict[str, Any]:
    """The arguments' default values (graphql-core 3.3 keeps them as literals)."""
    found: dict[str, Any] = {}
    for name, argument in field.args.items():
        literal = getattr(getattr(argument, "default", None), "literal", None)
        if literal is not None:
            found[name] = value_from_ast_untyped(literal)
        elif argument.default_value is not Undefined:
            found[name] = argument.default_value
    return found
