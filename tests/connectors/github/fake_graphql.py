"""GitHub's GraphQL API, faked: queries are validated against GitHub's published schema and
executed by graphql-core against in-memory repositories.

Only the fields the connector may ask for are resolved; any other field of the schema resolves to
null, which a query that asks for it would notice (non-null errors). A query that is not valid
against the schema is answered as GitHub does (200 with `errors`) and recorded as a test failure.
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    execute,
    parse,
    validate,
    value_from_ast_untyped,
)

from tests.connectors.github.fake_repos import FakeRepo, mode_of

SCHEMA_FILE = Path(__file__).parent / "vendor" / "github-schema.graphql.gz"

Owners = Mapping[str, tuple[str, Mapping[str, FakeRepo]]]
"""login -> (Organization or User, repositories by name)"""


OLDER_SERVER_LACKS = {
    "TreeEntry": ("size",),
    "Ref": ("refUpdateRule",),
    "Repository": ("isSecurityPolicyEnabled", "securityPolicyUrl"),
}
"""Fields an older GitHub Enterprise Server's schema is faked to lack."""


@cache
def github_schema(older: bool = False) -> GraphQLSchema:
    """GitHub's public schema (its SDL defines two fields twice, hence `assume_valid_sdl`);
    `older` removes the fields of OLDER_SERVER_LACKS."""
    with gzip.open(SCHEMA_FILE, "rt", encoding="utf-8") as handle:
        schema = build_schema(handle.read(), assume_valid_sdl=True)
    if older:
        for type_name, fields in OLDER_SERVER_LACKS.items():
            for field_name in fields:
                named = schema.type_map[type_name]
                assert isinstance(named, GraphQLObjectType)
                del named.fields[field_name]
    # GitHub deprecates some implementations of interface fields whose interface field is not
    # deprecated, which graphql-core's schema validation rejects; queries are still validated.
    schema._validation_errors = []
    for name in ("GitObject", "RepositoryOwner", "RuleParameters", "RuleSource"):
        schema.type_map[name].resolve_type = _typename  # type: ignore[attr-defined]
    return schema


def _typename(value: Any, info: Any, abstract: Any) -> str:
    return str(value["__typename"])


class NotFound(GraphQLError):
    """A GitHub NOT_FOUND error (it carries a top-level `type`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"type": "NOT_FOUND"})


def query_cost(document: DocumentNode, variables: Mapping[str, Any]) -> int:
    """GitHub's rule: one request per connection page that might be fetched, /100, at least 1."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    requests = 0.0

    def walk(selections: SelectionSetNode | None, multiplier: float) -> None:
        nonlocal requests
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                arguments = {a.name.value: a.value for a in selection.arguments or ()}
                size = arguments.get("first") or arguments.get("last")
                if size is not None:
                    count = value_from_ast_untyped(size, dict(variables)) or 0
                    requests += multiplier
                    walk(selection.selection_set, multiplier * int(count))
                else:
                    walk(selection.selection_set, multiplier)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, multiplier)
            elif isinstance(selection, FragmentSpreadNode):
                walk(fragments[selection.name.value].selection_set, multiplier)

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            walk(definition.selection_set, 1.0)
    return max(1, math.floor(requests / 100 + 0.5))


class GraphQLFake:
    """Answers GraphQL requests for a set of owners."""

    def __init__(self, owners: Owners, rate_limit: Callable[[], dict[str, Any]]) -> None:
        self.owners = owners
        self.rate_limit = rate_limit
        self.invalid: list[str] = []
        self.text_limit: int | None = None
        self.saml_protected: set[str] = set()
        """Owners whose repositories the token may not list (SAML single sign-on)."""
        self.older = False
        """Validate against an older GitHub Enterprise Server schema (OLDER_SERVER_LACKS)."""
        self.operations: list[str] = []
        """The name of every operation asked for, in order."""
        self.fragments: list[str] = []
        """The name of every fragment the queries defined, in order."""
        self.objects: list[str] = []
        """The path of every object (file or directory) asked for, in order."""
        self.viewer_permission = "READ"
        """The token's permission on every repository (`ADMIN` for an administrator)."""
        self.owner_of: set[str] = set()
        """Organisations the token is an owner of (it may read their settings)."""
        self.two_factor: dict[str, bool] = {}
        """Organisations requiring two-factor authentication (absent: not required)."""

    def prepare(self, body: Any) -> tuple[DocumentNode, dict[str, Any]] | list[dict[str, Any]]:
        """The parsed, validated query and variables, or GitHub-style errors."""
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return [{"message": "A query attribute must be specified and must be a string."}]
        try:
            document = parse(body["query"])
        except GraphQLError as exc:
            self.invalid.append(exc.message)
            return [{"message": exc.message, "type": "PARSE_ERROR"}]
        self.operations.extend(
            d.name.value
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode) and d.name is not None
        )
        self.fragments.extend(
            d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        )
        errors = validate(github_schema(self.older), document)
        if errors:
            self.invalid.extend(e.message for e in errors)
            return [_validation_error(e) for e in errors]
        return document, dict(body.get("variables") or {})

    def run(self, document: DocumentNode, variables: dict[str, Any]) -> dict[str, Any]:
        result = execute(
            github_schema(self.older), document, self._root(), variable_values=variables
        )
        if not isinstance(result, ExecutionResult):
            raise TypeError("no resolver is asynchronous")
        answer: dict[str, Any] = {"data": result.data}
        errors = result.errors
        if errors:
            answer["errors"] = [_github_error(e) for e in errors]
        return answer

    def _root(self) -> dict[str, Any]:
        return {
            "rateLimit": lambda info, **args: self.rate_limit(),
            "repositoryOwner": lambda info, login: self._owner(login),
            "repository": lambda info, owner, name, followRenames=True: self._repository(
                owner, name
            ),
        }

    def _owner(self, login: str) -> dict[str, Any] | None:
        entry = self._find_owner(login)
        if entry is None:
            return None
        real_login, (kind, repos) = entry
        owner = real_login in self.owner_of
        return {
            "__typename": kind,
            "login": real_login,
            "url": f"https://github.com/{real_login}",
            "viewerCanAdminister": owner,
            "requiresTwoFactorAuthentication": self.two_factor.get(real_login, False)
            if owner
            else None,
            "repositories": lambda info, **args: self._connection(real_login, repos, args),
        }

    def _find_owner(self, login: str) -> tuple[str, tuple[str, Mapping[str, FakeRepo]]] | None:
        return next(((k, v) for k, v in self.owners.items() if k.lower() == login.lower()), None)

    def _repository(self, owner: str, name: str) -> dict[str, Any]:
        entry = self._find_owner(owner)
        repo = entry[1][1].get(name) if entry else None
        if entry is None or repo is None:
            raise NotFound(f"Could not resolve to a Repository with the name '{owner}/{name}'.")
        return self._repo_view(entry[0], repo)

    def _connection(
        self, login: str, repos: Mapping[str, FakeRepo], args: dict[str, Any]
    ) -> dict[str, Any]:
        if login in self.saml_protected:
            raise GraphQLError(
                "Resource protected by organization SAML enforcement. You must grant your "
                "Personal Access token access to this organization.",
                extensions={"type": "FORBIDDEN"},
            )
        selected = sorted(repos.values(), key=lambda r: r.name.lower())
        privacy = args.get("privacy")
        if privacy == "PUBLIC":
            selected = [r for r in selected if not r.private]
        elif privacy == "PRIVATE":
            selected = [r for r in selected if r.private]
        for flag, attribute in (("isFork", "fork"), ("isArchived", "archived")):
            if args.get(flag) is not None:
                selected = [r for r in selected if getattr(r, attribute) == args[flag]]
        start = int(args["after"].removeprefix("cursor:")) if args.get("after") else 0
        first = min(int(args.get("first") or 100), 100)
        page = selected[start : start + first]
        end = start + len(page)
        return {
            "totalCount": len(selected),
            "pageInfo": {
                "hasNextPage": end < len(selected),
                "endCursor": f"cursor:{end}" if page else None,
                "hasPreviousPage": start > 0,
                "startCursor": f"cursor:{start}" if page else None,
            },
            "nodes": [self._repo_view(login, r) for r in page],
        }

    def _repo_view(self, login: str, repo: FakeRepo) -> dict[str, Any]:
        branch = None
        if not repo.empty:
            rule = _classic(repo) if repo.protected else None
            branch = {
                "name": repo.default_branch,
                "target": {
                    "__typename": "Commit",
                    "oid": repo.head,
                    "committedDate": repo.commits[0].committed
                    if repo.commits
                    else repo.pushed_at or "2024-01-15T12:00:00Z",
                    "history": lambda info, **args: _history(repo, args),
                },
                "branchProtectionRule": _forbidden if repo.protection_hidden else rule,
                "refUpdateRule": rule,
                "rules": lambda info, **args: _rules(repo, args),
            }
        return {
            "name": repo.name,
            "nameWithOwner": f"{login}/{repo.name}",
            "url": f"https://github.com/{login}/{repo.name}",
            "isArchived": repo.archived,
            "isFork": repo.fork,
            "isEmpty": repo.empty,
            "isPrivate": repo.private,
            "visibility": "PRIVATE" if repo.private else "PUBLIC",
            "description": repo.description,
            "pushedAt": repo.pushed_at,
            "viewerPermission": self.viewer_permission,
            "repositoryTopics": lambda info, **args: {
                "nodes": [{"topic": {"name": t}} for t in repo.topics[: args.get("first") or 0]]
            },
            "defaultBranchRef": branch,
            "licenseInfo": {"spdxId": repo.licence_spdx} if repo.licence_spdx else None,
            "isSecurityPolicyEnabled": repo.security_policy,
            "securityPolicyUrl": f"https://github.com/{login}/{repo.name}/security/policy"
            if repo.security_policy
            else None,
            "object": lambda info, expression=None, oid=None: self._object(repo, expression),
            "hasIssuesEnabled": repo.issues_enabled,
            "label": lambda info, name: _label(repo, name),
            "refs": lambda info, **args: _refs(repo, args),
            "hasDiscussionsEnabled": repo.discussions,
            "webCommitSignoffRequired": repo.signoff,
            "releases": lambda info, **args: _releases(repo, args),
        }

    def _object(self, repo: FakeRepo, expression: str | None) -> dict[str, Any] | None:
        if repo.broken:
            raise GraphQLError(repo.broken, extensions={"type": "FORBIDDEN"})
        revision, _, path = (expression or "").partition(":")
        self.objects.append(f"{repo.name}:{path.strip('/')}")
        if revision != "HEAD" or repo.empty:
            return None
        path = path.strip("/")
        kind = repo.kind(path)
        if kind == "tree":
            prefix = f"{path}/" if path else ""
            return {
                "__typename": "Tree",
                "entries": [self._entry(repo, prefix + n, n, k) for n, k in repo.children(path)],
            }
        if kind in ("blob", "link"):
            return self._blob(repo, path)
        return None

    def _entry(self, repo: FakeRepo, path: str, name: str, kind: str) -> dict[str, Any]:
        content = repo.content(path)
        return {
            "name": name,
            "path": path,
            "type": "blob" if kind == "link" else kind,
            "mode": mode_of(kind),
            "size": len(content) if content is not None else 0,
        }

    def _blob(self, repo: FakeRepo, path: str) -> dict[str, Any]:
        data = repo.content(path) or b""
        binary = b"\x00" in data[:8000]
        text: str | None = None if binary else data.decode("utf-8", errors="replace")
        truncated = False
        if text is not None and self.text_limit is not None and len(text) > self.text_limit:
            text, truncated = text[: self.text_limit], True
        return {
            "__typename": "Blob",
            "byteSize": len(data),
            "isBinary": binary,
            "isTruncated": truncated,
            "text": text,
        }


def _label(repo: FakeRepo, name: str) -> dict[str, Any] | None:
    """GitHub matches a label's name without regard to case."""
    for label, count in repo.labels.items():
        if label.lower() == name.lower():
            return {"name": label, "issues": {"totalCount": count}}
    return None


def _refs(repo: FakeRepo, args: dict[str, Any]) -> dict[str, Any]:
    assert args["refPrefix"] == "refs/tags/", args
    return {"nodes": [{"name": tag} for tag in repo.tags[: args["first"]]]}


def _classic(repo: FakeRepo) -> dict[str, Any]:
    """Classic branch protection, as `BranchProtectionRule` and `RefUpdateRule` show it."""
    return {
        "id": "BPR_1",
        "pattern": repo.default_branch,
        "allowsDeletions": False,
        "allowsForcePushes": False,
        "requiredApprovingReviewCount": repo.approvals,
        "requiredStatusCheckContexts": list(repo.checks),
    }


def _rules(repo: FakeRepo, args: dict[str, Any]) -> dict[str, Any]:
    nodes = []
    for rule in repo.rules[: args.get("first") or 0]:
        parameters: dict[str, Any] | None = None
        if rule.type == "PULL_REQUEST":
            parameters = {
                "__typename": "PullRequestParameters",
                "requiredApprovingReviewCount": rule.approvals,
            }
        elif rule.type == "REQUIRED_STATUS_CHECKS":
            parameters = {
                "__typename": "RequiredStatusChecksParameters",
                "requiredStatusChecks": [{"context": c} for c in rule.checks],
            }
        source = "Organization" if rule.organisation else "Repository"
        nodes.append(
            {
                "type": rule.type,
                "parameters": parameters,
                "repositoryRuleset": {"name": rule.ruleset, "source": {"__typename": source}},
            }
        )
    return {"nodes": nodes}


def _releases(repo: FakeRepo, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "nodes": [
            {
                "tagName": r.tag,
                "name": r.tag,
                "description": r.notes,
                "isDraft": r.draft,
                "isPrerelease": r.prerelease,
                "publishedAt": None if r.draft else r.published_at,
                "releaseAssets": lambda info, r=r, **a: {
                    "nodes": [{"name": n} for n in r.assets[: a.get("first") or 0]]
                },
            }
            for r in repo.releases[: args.get("first") or 0]
        ]
    }


def _history(repo: FakeRepo, args: dict[str, Any]) -> dict[str, Any]:
    since = str(args.get("since") or "")
    within = [c for c in repo.commits if not since or c.committed >= since]
    return {
        "totalCount": len(within),
        "nodes": [
            {
                "author": {
                    "name": c.name,
                    "email": c.email,
                    "user": {"login": c.login} if c.login else None,
                }
            }
            for c in within[: args["first"]]
        ],
    }


def _forbidden(info: Any, **args: Any) -> None:
    raise GraphQLError("Resource not accessible by integration", extensions={"type": "FORBIDDEN"})


_UNDEFINED_FIELD = re.compile(r"Cannot query field '(\w+)' on type '(\w+)'")


def _validation_error(error: GraphQLError) -> dict[str, Any]:
    """A validation error worded as GitHub words it."""
    undefined = _UNDEFINED_FIELD.match(error.message)
    if undefined is None:
        return {"message": error.message}
    field_name, type_name = undefined.groups()
    return {
        "path": ["query"],
        "extensions": {"code": "undefinedField", "typeName": type_name, "fieldName": field_name},
        "message": f"Field '{field_name}' doesn't exist on type '{type_name}'",
    }


def _github_error(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = {"message": error.message}
    if error.path:
        formatted["path"] = list(error.path)
    if error.locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    if error.extensions and "type" in error.extensions:
        formatted["type"] = error.extensions["type"]
    return formatted
