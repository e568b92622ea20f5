"""The GraphQL part of the fake GitLab: the fields ospo-scan uses, shaped as GitLab documents them.

Complexity follows GitLab's rules as its `Types::BaseField` applies them: every field costs 1,
fields that call Gitaly 1 more, a field's cost includes its children's, and connections grow
with their page size (1 % per node asked for); `blobs(paths:)` costs its children once per path.
Queries above 200 (anonymous) or 250 (with a token) are refused with GitLab's message. The
numbers approximate GitLab's; the client must cope with any limit, which the tests check.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    graphql_sync,
    parse,
    value_from_ast_untyped,
)

from tests.connectors.gitlab.fake_model import LINK_MODE, FakeInstance, FakeProject

SDL = """
scalar BigInt
type Query { project(fullPath: ID!): Project queryComplexity: QueryComplexity }
type QueryComplexity { limit: Int score: Int }
type Project {
  fullPath: ID!
  repository: Repository
  branchRules(first: Int, after: String): BranchRuleConnection
  userPermissions: ProjectPermissions!
  issues(labelName: [String], first: Int, after: String): IssueConnection
  releases(first: Int, after: String, sort: ReleaseSort = RELEASED_AT_DESC): ReleaseConnection
}
type IssueConnection { count: Int! }
type ReleaseConnection { nodes: [Release] pageInfo: PageInfo! }
type Release { tagName: String }
enum ReleaseSort { CREATED_DESC CREATED_ASC RELEASED_AT_DESC RELEASED_AT_ASC }
type ProjectPermissions { adminProject: Boolean! readProject: Boolean! }
type BranchRuleConnection { nodes: [BranchRule!]! pageInfo: PageInfo! }
type BranchRule { name: String! isDefault: Boolean! isProtected: Boolean! }
type Repository {
  rootRef: String
  empty: Boolean!
  tree(path: String = "", ref: String, recursive: Boolean = false): Tree
  blobs(paths: [String!]!, ref: String, first: Int, after: String): RepositoryBlobConnection
}
type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  endCursor: String
  startCursor: String
}
type Tree {
  blobs(first: Int, after: String): BlobConnection!
  trees(first: Int, after: String): TreeEntryConnection!
  submodules(first: Int, after: String): SubmoduleConnection!
  lastCommit: Commit
}
type Commit { sha: String! }
type BlobConnection { nodes: [Blob!]! pageInfo: PageInfo! }
type Blob { name: String! path: String! mode: String type: String! }
type TreeEntryConnection { nodes: [TreeEntry!]! pageInfo: PageInfo! }
type TreeEntry { name: String! path: String! type: String! }
type SubmoduleConnection { nodes: [Submodule!]! pageInfo: PageInfo! }
type Submodule { name: String! path: String! type: String! }
type RepositoryBlobConnection { nodes: [RepositoryBlob]! pageInfo: PageInfo! }
type RepositoryBlob {
  name: String
  path: String!
  size: BigInt
  rawSize: BigInt
  rawTextBlob: String
  mode: String
}
"""

GITALY_FIELDS = frozenset({("repository", "tree"), ("repository", "blobs"), ("tree", "lastCommit")})
"""(parent field, field) pairs that call Gitaly."""
CONNECTIONS = frozenset({"blobs", "trees", "submodules", "branchRules", "issues", "releases"})
MAX_PAGE = 100


def _page(items: list[Any], first: int | None, after: str | None) -> dict[str, Any]:
    start = int(base64.b64decode(after).decode()) if after else 0
    size = min(first or MAX_PAGE, MAX_PAGE)
    chunk = items[start : start + size]
    end = start + len(chunk)
    return {
        "nodes": chunk,
        "pageInfo": {
            "hasNextPage": end < len(items),
            "hasPreviousPage": start > 0,
            "startCursor": base64.b64encode(str(start).encode()).decode(),
            "endCursor": base64.b64encode(str(end).encode()).decode(),
        },
    }


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def make_schema(instance: FakeInstance, *, branch_rules: bool = True) -> GraphQLSchema:
    """The schema; without `branch_rules`, as GitLab before 16 (no `Project.branchRules`)."""
    sdl = (
        SDL
        if branch_rules
        else SDL.replace("  branchRules(first: Int, after: String): BranchRuleConnection\n", "")
    )
    schema = build_schema(sdl)

    def resolver(type_name: str, field_name: str) -> Callable[[Callable[..., Any]], None]:
        def register(function: Callable[..., Any]) -> None:
            owner = schema.type_map[type_name]
            assert isinstance(owner, GraphQLObjectType)
            owner.fields[field_name].resolve = function

        return register

    @resolver("Query", "project")
    def project(_: Any, info: Any, fullPath: str) -> FakeProject | None:
        found = instance.projects.get(fullPath)
        if found is None or (found.visibility != "public" and not info.context["authenticated"]):
            return None
        return found

    @resolver("Query", "queryComplexity")
    def query_complexity(_: Any, info: Any) -> dict[str, int] | None:
        if not info.context["tell_limit"]:
            return None
        return {"limit": info.context["limit"], "score": info.context["score"]}

    @resolver("Project", "fullPath")
    def full_path(project: FakeProject, info: Any) -> str:
        return project.full_path

    @resolver("Project", "repository")
    def repository(project: FakeProject, info: Any) -> FakeProject | None:
        return project if project.repository_readable else None

    @resolver("Project", "userPermissions")
    def permissions(project: FakeProject, info: Any) -> dict[str, bool]:
        admin = bool(info.context["authenticated"])
        return {"adminProject": admin, "readProject": True}

    @resolver("Project", "issues")
    def issues(
        project: FakeProject, info: Any, labelName: list[str] | None = None, **_: Any
    ) -> dict[str, int]:
        # GitLab's labelName keeps issues carrying every label named; the fake knows one each.
        wanted = [name.lower() for name in labelName or ()]
        counts = {name.lower(): count for name, count in project.labelled_issues.items()}
        return {"count": counts.get(wanted[0], 0) if len(wanted) == 1 else 0}

    @resolver("Project", "releases")
    def releases(
        project: FakeProject,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        sort: str = "RELEASED_AT_DESC",
    ) -> Any:
        return _page([{"tagName": tag} for tag in project.releases], first, after)

    def resolve_branch_rules(
        project: FakeProject, info: Any, first: int | None = None, after: str | None = None
    ) -> Any:
        if not info.context["authenticated"]:
            return _page([], first, after)
        rules = [
            {"name": b, "isDefault": b == project.default_branch, "isProtected": True}
            for b in project.protected_branches
        ]
        return _page(rules, first, after)

    if branch_rules:
        resolver("Project", "branchRules")(resolve_branch_rules)

    @resolver("Repository", "rootRef")
    def root_ref(project: FakeProject, info: Any) -> str | None:
        return None if project.empty else project.default_branch

    @resolver("Repository", "empty")
    def empty(project: FakeProject, info: Any) -> bool:
        return project.empty

    @resolver("Repository", "tree")
    def tree(
        project: FakeProject,
        info: Any,
        path: str = "",
        ref: str | None = None,
        recursive: bool = False,
    ) -> Any:
        return None if project.empty else (project, path.strip("/"))

    @resolver("Tree", "blobs")
    def tree_blobs(
        parent: Any, info: Any, first: int | None = None, after: str | None = None
    ) -> Any:
        project, directory = parent
        blobs = project.children(directory)[0]
        nodes = [{"name": _name(p), "path": p, "mode": b.mode, "type": "blob"} for p, b in blobs]
        return _page(nodes, first, after)

    @resolver("Tree", "trees")
    def tree_trees(
        parent: Any, info: Any, first: int | None = None, after: str | None = None
    ) -> Any:
        project, directory = parent
        nodes = [
            {"name": _name(p), "path": p, "type": "tree"} for p in project.children(directory)[1]
        ]
        return _page(nodes, first, after)

    @resolver("Tree", "lastCommit")
    def tree_last_commit(parent: Any, info: Any) -> dict[str, str] | None:
        project, directory = parent
        # the fake answers only for the root, whose last commit is the branch head
        return {"sha": project.head} if directory == "" else None

    @resolver("Tree", "submodules")
    def tree_submodules(
        parent: Any, info: Any, first: int | None = None, after: str | None = None
    ) -> Any:
        project, directory = parent
        nodes = [
            {"name": _name(p), "path": p, "type": "commit"} for p in project.children(directory)[2]
        ]
        return _page(nodes, first, after)

    @resolver("Repository", "blobs")
    def repository_blobs(
        project: FakeProject,
        info: Any,
        paths: list[str],
        ref: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Any:
        nodes = []
        for path in paths:
            blob = project.blob(path)
            if blob is None:
                continue
            text: str | None = None
            if b"\x00" not in blob.data[:8000]:
                text = blob.data.decode("utf-8", errors="replace")  # GitLab re-encodes to UTF-8
            nodes.append(
                {
                    "name": _name(path),
                    "path": path,
                    "size": str(len(blob.data)),
                    "rawSize": str(len(blob.data)),
                    "rawTextBlob": text,
                    "mode": blob.mode if blob.mode != LINK_MODE else LINK_MODE,
                }
            )
        return _page(nodes, first, after)

    return schema


def complexity(document: Any, variables: dict[str, Any]) -> int:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    def cost(selection_set: SelectionSetNode | None, parent: str) -> float:
        total = 0.0
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FragmentSpreadNode):
                total += cost(fragments[node.name.value].selection_set, parent)
                continue
            if not isinstance(node, FieldNode):
                continue
            name = node.name.value
            args = {
                a.name.value: value_from_ast_untyped(a.value, variables)
                for a in node.arguments or ()
            }
            base = 1 + (1 if (parent, name) in GITALY_FIELDS else 0)
            children = cost(node.selection_set, name)
            if name == "blobs" and "paths" in args:
                total += base + children * max(1, len(args["paths"] or []))
            elif name in CONNECTIONS:
                page = min(args.get("first") or MAX_PAGE, MAX_PAGE)
                total += (base + children) * (1 + page * 0.01)
            else:
                total += base + children
        return total

    score = 0.0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            score += cost(definition.selection_set, "Query")
    return int(score)


def execute(
    schema: GraphQLSchema,
    body: dict[str, Any],
    authenticated: bool,
    limits: tuple[int, int] = (200, 250),
    scores: list[int] | None = None,
    tell_limit: bool = True,
) -> dict[str, Any]:
    """Run a query as GitLab would; `limits` are the anonymous and authenticated maxima."""
    query = str(body.get("query", ""))
    variables = body.get("variables") or {}
    try:
        document = parse(query)
    except Exception as exc:
        return {"errors": [{"message": str(exc)}]}
    limit = limits[1] if authenticated else limits[0]
    score = complexity(document, variables)
    if scores is not None:
        scores.append(score)
    if score > limit:
        return {
            "errors": [
                {
                    "message": f"Query has complexity of {score}, "
                    f"which exceeds max complexity of {limit}"
                }
            ]
        }
    result = graphql_sync(
        schema,
        query,
        variable_values=variables,
        context_value={
            "authenticated": authenticated,
            "limit": limit,
            "score": score,
            "tell_limit": tell_limit,
        },
    )
    answer: dict[str, Any] = {"data": result.data}
    if result.errors:
        answer["errors"] = [_as_gitlab(dict(e.formatted)) for e in result.errors]
    return answer


_UNKNOWN_FIELD = re.compile(r"Cannot query field '(\w+)' on type '(\w+)'\.")


def _as_gitlab(error: dict[str, Any]) -> dict[str, Any]:
    """graphql-core's validation message in the words GitLab (graphql-ruby) uses."""
    message = str(error.get("message", ""))
    unknown = _UNKNOWN_FIELD.search(message)
    if unknown:
        error["message"] = f"Field '{unknown.group(1)}' doesn't exist on type '{unknown.group(2)}'"
    return error
