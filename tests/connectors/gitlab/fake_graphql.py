"""GitLab's GraphQL API, faked: every query is checked against GitLab's real schema, then
scored and executed as GitLab does.

In GitLab's order: a query text over 10,000 characters is refused (422) before it is parsed; a
query the schema rejects gets graphql-ruby's validation errors (200, no data); a valid query whose
complexity passes the limit is refused with GitLab's message; the rest is executed by graphql-core
against the vendored GitLab 18.5 schema (`vendor/`), resolving the fields the connector uses from
in-memory projects. Any query the real schema rejects is also recorded in `rejected`, which the
test fixtures turn into a failure: the fake answers as GitLab would, and the test says so.
"""

from __future__ import annotations

import base64
import gzip
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    execute,
    parse,
    validate,
)

from tests.connectors.gitlab.fake_complexity import (
    BLOB_DATA_FIELDS,
    MAX_BLOBS_DATA,
    MAX_PAGE_SIZE,
    MAX_QUERY_SIZE,
    complexity,
)
from tests.connectors.gitlab.fake_model import FakeInstance, FakeProject

SCHEMA_FILE = Path(__file__).parent / "vendor" / "gitlab-schema-18.5-ce.graphql.gz"


@cache
def gitlab_schema(branch_rules: bool = True) -> GraphQLSchema:
    """GitLab 18.5's schema; without `branch_rules`, as GitLab before 16 (no branch rules)."""
    with gzip.open(SCHEMA_FILE, "rt", encoding="utf-8") as handle:
        schema = build_schema(handle.read(), assume_valid_sdl=True)
    if not branch_rules:
        project = schema.type_map["Project"]
        assert isinstance(project, GraphQLObjectType)
        del project.fields["branchRules"]
    return schema


Answer = tuple[int, dict[str, Any]]
"""HTTP status and JSON body."""


class GitLabGraphQL:
    """Answers `POST /api/graphql` for one fake instance."""

    def __init__(
        self,
        instance: FakeInstance,
        *,
        limits: tuple[int, int] = (200, 250),
        tell_limit: bool = True,
        branch_rules: bool = True,
    ) -> None:
        self.instance = instance
        self.limits = limits
        """The largest complexity accepted without and with a token."""
        self.tell_limit = tell_limit
        """Whether `queryComplexity { limit }` answers (GitLab 13.9 and later)."""
        self.branch_rules = branch_rules
        self.max_query_size = MAX_QUERY_SIZE
        """Characters of query text accepted (GitLab's constant; lowered by some tests)."""
        self.max_blobs_data = MAX_BLOBS_DATA
        """Bytes of blob data one multi-path `blobs` read may hold (likewise)."""
        self.scores: list[int] = []
        """The complexity of every valid query, refused or not."""
        self.sizes: list[int] = []
        """The length of every query text, refused or not."""
        self.queries: list[str] = []
        """The text of every query received."""
        self.variables: list[dict[str, Any]] = []
        """The variables of every query received."""
        self.rejected: list[str] = []
        """Why GitLab 18.5's schema rejected a query; any entry is a test failure."""

    def answer(self, body: Any, authenticated: bool, maintainer: bool | None = None) -> Answer:
        """`maintainer`: whether the token has the Maintainer role (by default, any token)."""
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return 422, {"errors": [{"message": "No query string was present"}]}
        query: str = body["query"]
        self.queries.append(query)
        variables = dict(body.get("variables") or {})
        self.variables.append(variables)
        self.sizes.append(len(query))
        if len(query) > self.max_query_size:
            return 422, {"errors": [{"message": "Query too large"}]}
        try:
            document = parse(query)
        except GraphQLError as exc:
            self.rejected.append(exc.message)
            return 200, {"errors": [{"message": exc.message}]}
        if self.branch_rules is False:
            self.rejected += [e.message for e in validate(gitlab_schema(), document)]
        schema = gitlab_schema(self.branch_rules)
        errors = validate(schema, document)
        if errors:
            if self.branch_rules:
                self.rejected += [e.message for e in errors]
            return 200, {"errors": [_as_gitlab(dict(e.formatted)) for e in errors]}
        limit = self.limits[1] if authenticated else self.limits[0]
        score = complexity(schema, document, variables)
        self.scores.append(score)
        if score > limit:
            message = f"Query has complexity of {score}, which exceeds max complexity of {limit}"
            return 200, {"errors": [{"message": message}]}
        maintainer = authenticated if maintainer is None else maintainer
        return 200, self._execute(
            schema, document, variables, (authenticated, maintainer), limit, score
        )

    def _execute(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: dict[str, Any],
        access: tuple[bool, bool],
        limit: int,
        score: int,
    ) -> dict[str, Any]:
        tell = self.tell_limit
        authenticated, maintainer = access

        def project(info: Any, fullPath: str) -> dict[str, Any] | None:
            found = self.instance.projects.get(fullPath)
            if found is None or (found.visibility != "public" and not authenticated):
                return None
            return _project_view(found, maintainer, self.branch_rules, self.max_blobs_data)

        def group(info: Any, fullPath: str) -> dict[str, Any] | None:
            found = self.instance.groups.get(fullPath)
            if found is None or (found.visibility != "public" and not authenticated):
                return None
            return {
                "fullPath": found.full_path,
                "requireTwoFactorAuthentication": found.require_two_factor,
            }

        root = {
            "project": project,
            "group": group,
            "queryComplexity": lambda info: {"limit": limit, "score": score} if tell else None,
        }
        result = execute(schema, document, root, variable_values=variables)
        assert isinstance(result, ExecutionResult)
        answer: dict[str, Any] = {"data": result.data}
        if result.errors:
            answer["errors"] = [_as_gitlab(dict(e.formatted)) for e in result.errors]
        return answer


def _page(items: list[Any], args: dict[str, Any]) -> dict[str, Any]:
    after = args.get("after")
    start = int(base64.b64decode(after).decode()) if after else 0
    size = min(args.get("first") or MAX_PAGE_SIZE, MAX_PAGE_SIZE)
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


def _project_view(
    project: FakeProject, maintainer: bool, branch_rules: bool, blobs_limit: int
) -> dict[str, Any]:
    def rules(info: Any, **args: Any) -> dict[str, Any]:
        if not maintainer:
            return _page([], args)  # anonymous users and reporters see no branch rules
        protection = {
            "allowForcePush": project.allow_force_push,
            "pushAccessLevels": {
                "nodes": [{"accessLevel": level} for level in project.push_access_levels]
            },
        }
        found = [
            {
                "name": b,
                "isDefault": b == project.default_branch,
                "isProtected": True,
                "branchProtection": protection,
            }
            for b in project.protected_branches
        ]
        return _page(found, args)

    def release(tag: str) -> dict[str, Any]:
        links = [{"name": name} for name in project.release_assets.get(tag, ())]
        return {
            "tagName": tag,
            "name": f"Release {tag}",
            "description": project.release_notes.get(tag, ""),
            "releasedAt": "2026-09-01T12:00:00Z",
            "assets": {"links": {"nodes": links}},
        }

    view: dict[str, Any] = {
        "fullPath": project.full_path,
        "repository": lambda info: (
            _repository_view(project, blobs_limit) if project.repository_readable else None
        ),
        "userPermissions": {"adminProject": maintainer, "readProject": True},
        "issues": lambda info, labelName=None, **args: {"count": _labelled(project, labelName)},
        "releases": lambda info, **args: _page([release(tag) for tag in project.releases], args),
    }
    if branch_rules:
        view["branchRules"] = rules
    return view


def _labelled(project: FakeProject, label_names: list[str] | None) -> int:
    """Issues carrying every label named; the fake knows each label's own count only."""
    wanted = [name.lower() for name in label_names or ()]
    counts = {name.lower(): count for name, count in project.labelled_issues.items()}
    return counts.get(wanted[0], 0) if len(wanted) == 1 else 0


def _repository_view(project: FakeProject, blobs_limit: int) -> dict[str, Any]:
    def tree(info: Any, path: str = "", **args: Any) -> dict[str, Any] | None:
        return None if project.empty else _tree_view(project, path.strip("/"))

    return {
        "rootRef": None if project.empty else project.default_branch,
        "empty": project.empty,
        "exists": True,
        "tree": tree,
        "blobs": lambda info, paths, **args: _blobs(project, info, paths, args, blobs_limit),
    }


def _tree_view(project: FakeProject, directory: str) -> dict[str, Any]:
    blobs, trees, submodules = project.children(directory)
    blob_nodes = [{"name": _name(p), "path": p, "mode": b.mode, "type": "blob"} for p, b in blobs]
    tree_nodes = [{"name": _name(p), "path": p, "type": "tree"} for p in trees]
    module_nodes = [{"name": _name(p), "path": p, "type": "commit"} for p in submodules]
    return {
        "blobs": lambda info, **args: _page(blob_nodes, args),
        "trees": lambda info, **args: _page(tree_nodes, args),
        "submodules": lambda info, **args: _page(module_nodes, args),
        # the fake answers only for the root, whose last commit is the branch head
        "lastCommit": (lambda info, **args: {"sha": project.head} if directory == "" else None),
    }


def _blobs(
    project: FakeProject, info: Any, paths: list[str], args: dict[str, Any], limit: int
) -> Any:
    found = [(path, blob) for path in paths if (blob := project.blob(path)) is not None]
    if len(paths) > 1 and _asks_blob_data(info.field_nodes[0]):
        total = sum(len(blob.data) for _, blob in found)
        if total > limit:
            raise GraphQLError(
                f"Max blobs size limit exceeded ({_human(total)} / {_human(limit)})."
            )
    nodes = []
    for path, blob in found:
        text: str | None = None
        if b"\x00" not in blob.data[:8000]:
            text = blob.data.decode("utf-8", errors="replace")  # GitLab re-encodes to UTF-8
        nodes.append(
            {
                "name": _name(path),
                "path": path,
                "size": str(len(blob.data)),
                "rawSize": str(len(blob.lfs if blob.lfs is not None else blob.data)),
                "rawTextBlob": text,  # of an LFS file: the pointer GitLab's git holds
                "storedExternally": blob.lfs is not None,
                "externalStorage": "lfs" if blob.lfs is not None else None,
                "mode": blob.mode,
            }
        )
    return _page(nodes, args)


def _asks_blob_data(field: FieldNode) -> bool:
    for selection in field.selection_set.selections if field.selection_set else ():
        if isinstance(selection, FieldNode) and selection.name.value == "nodes":
            inner = selection.selection_set.selections if selection.selection_set else ()
            if any(isinstance(s, FieldNode) and s.name.value in BLOB_DATA_FIELDS for s in inner):
                return True
    return False


def _human(size: int) -> str:
    """Rails' `number_to_human_size`, for the sizes the fake meets."""
    if size < 1024 * 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size / (1024 * 1024):.3g} MB"


_UNKNOWN_FIELD = re.compile(r"Cannot query field '(\w+)' on type '(\w+)'\.")
_UNUSED_VARIABLE = re.compile(r"Variable '\$(\w+)' is never used\.")
_WORDS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (_UNKNOWN_FIELD, lambda m: f"Field '{m.group(1)}' doesn't exist on type '{m.group(2)}'"),
    (
        _UNUSED_VARIABLE,
        lambda m: f"Variable ${m.group(1)} is declared by anonymous query but not used",
    ),
]


def _as_gitlab(error: dict[str, Any]) -> dict[str, Any]:
    """graphql-core's validation messages in the words GitLab (graphql-ruby) uses."""
    message = str(error.get("message", ""))
    for pattern, words in _WORDS:
        found = pattern.search(message)
        if found:
            error["message"] = words(found)
    return error
