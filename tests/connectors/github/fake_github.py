"""A fake GitHub on 127.0.0.1: GraphQL and the REST contents API over real HTTP.

    with FakeGitHub({"un-org": ("Organization", {"app": FakeRepo("app", {...})})}) as fake:
        options = ScanOptions(github_url=fake.api_url)

It checks what the real GitHub would: the token, GraphQL queries against GitHub's published schema,
REST responses against GitHub's OpenAPI description; it keeps a rate-limit budget with resets,
can inject faults (5xx, secondary rate limits, dropped connections) and latency, and counts
every request.
"""

from __future__ import annotations

import json
import logging
import math
import socket
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

import jsonschema
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.connectors.github.fake_graphql import GraphQLFake, Owners, query_cost
from tests.connectors.github.fake_repos import FakeRepo
from tests.connectors.github.fake_rest import (
    NOT_FOUND,
    advisory_json,
    blob_json,
    contents_json,
    nullable_to_json_schema,
    organisation_json,
    repository_json,
    tree_json,
)
from tests.connectors.github.fake_writes import FakeWrites

TOKEN = "ghp_fake0token0for0tests0only000000000"
REST_SCHEMAS = Path(__file__).parent / "vendor" / "rest-responses.json"
CONTENTS = "/repos/{owner}/{repo}/contents/{path}"
BLOBS = "/repos/{owner}/{repo}/git/blobs/{file_sha}"
TREES = "/repos/{owner}/{repo}/git/trees/{tree_sha}"
REPO = "/repos/{owner}/{repo}"
ORG_REPOS = "/orgs/{org}/repos"
USER_REPOS = "/users/{username}/repos"
ORG = "/orgs/{org}"
ORG_WORKFLOW = "/orgs/{org}/actions/permissions/workflow"
REPO_WORKFLOW = "/repos/{owner}/{repo}/actions/permissions/workflow"
VULNERABILITY_REPORTING = "/repos/{owner}/{repo}/private-vulnerability-reporting"
ADVISORIES = "/repos/{owner}/{repo}/security-advisories"
CODE_SCANNING = "/repos/{owner}/{repo}/code-scanning/default-setup"
_DOCS = "https://docs.github.com/rest"


@dataclass(frozen=True)
class Fault:
    """What to do to the next request instead of answering it."""

    kind: str
    """One of: status (answer `status`); unavailable (`status` with Retry-After); secondary
    (403/429 with Retry-After); bare-429 (no advice); drop (close the socket); slow (answer only
    after `retry_after` seconds); graphql-timeout (GitHub's "Something went wrong" answer with no
    data); graphql-secondary (a RATE_LIMITED GraphQL answer with Retry-After, budget left);
    echo (answer `status` with an error message repeating the credential sent, as a badly
    configured proxy does)."""
    status: int = 502
    retry_after: int = 1


@dataclass
class Budget:
    """A primary rate limit: `limit` points per `window` seconds."""

    limit: int = 5000
    window: float = 3600.0
    remaining: int = 5000
    reset_at: float = field(default_factory=lambda: time.time() + 3600.0)
    used_points: int = 0

    def refresh(self) -> None:
        if time.time() >= self.reset_at:
            self.remaining = self.limit
            self.reset_at = time.time() + self.window

    def headers(self, resource: str) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Used": str(self.limit - self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.reset_at)),
            "X-RateLimit-Resource": resource,
        }


@cache
def _rest_schemas() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REST_SCHEMAS.read_text(encoding="utf-8"))["responses"]
    converted: dict[str, Any] = nullable_to_json_schema(data)
    return converted


@cache
def _validator(operation: str, status: int) -> Any:
    """The checker of an operation's answers with `status`, its schema checked once (not at
    every answer, which made a scan of many repositories slow in the fake, not the client)."""
    responses = _rest_schemas()[operation]
    # Errors GitHub does not describe for an operation have its usual error body.
    schema = responses.get(str(status)) or (_rest_schemas()[REPO]["404"] if status >= 400 else None)
    if schema is None:
        return None
    checker = jsonschema.validators.validator_for(schema)
    checker.check_schema(schema)
    return checker(schema)


class FakeGitHub:
    """The fake host; a context manager that serves it on a free port."""

    def __init__(
        self,
        owners: Owners,
        *,
        scopes: str | None = "repo, read:org",
        latency: float = 0.0,
        budget: Budget | None = None,
    ) -> None:
        self.owners = owners
        self.scopes = scopes
        self.latency = latency
        self.budget = budget or Budget()
        self.anonymous_budget = Budget(limit=60, remaining=60)
        """GitHub's budget for requests without a token: 60 an hour."""
        self.faults: deque[Fault] = deque()
        self.requests: list[tuple[str, str, int]] = []
        self.violations: list[str] = []
        self.graphql = GraphQLFake(owners, self._rate_limit)
        self.writes = FakeWrites(owners)
        """Branches, pull requests and new repositories (the REST write endpoints)."""
        self.base_permission: dict[str, str] = {}
        """Organisations' base permission for members (absent: `read`)."""
        self.org_workflow: dict[str, str] = {}
        """Organisations' default workflow permissions (absent: `write`)."""
        self._lock = threading.Lock()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/api/v3"

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def graphql_requests(self) -> int:
        return sum(1 for method, path, _ in self.requests if path == "/api/graphql")

    def check_clean(self) -> None:
        """Fail when a query was invalid against the schema or a response broke the OpenAPI."""
        problems = self.graphql.invalid + self.violations + self.writes.violations
        assert not problems, f"the fake GitHub saw invalid traffic: {problems}"

    def _rate_limit(self) -> dict[str, Any]:
        reset = datetime.fromtimestamp(math.ceil(self.budget.reset_at), tz=timezone.utc)
        return {
            "cost": self._current_cost,
            "limit": self.budget.limit,
            "remaining": self.budget.remaining,
            "used": self.budget.limit - self.budget.remaining,
            "nodeCount": 0,
            "resetAt": reset.isoformat().replace("+00:00", "Z"),
        }

    _current_cost = 0

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            fault = self.faults.popleft() if self.faults else None
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.retry_after)  # outside the lock: other requests go on
        with self._lock:
            response = self._answer(request, environ, fault)
            self.requests.append((request.method, request.path, response.status_code))
        return response(environ, start_response)

    def _answer(self, request: Request, environ: dict[str, Any], fault: Fault | None) -> Response:
        if fault is not None:
            return self._fault(fault, environ)
        auth = request.headers.get("Authorization", "")
        anonymous = not auth
        if not anonymous and auth not in (f"token {TOKEN}", f"Bearer {TOKEN}"):
            return _json({"message": "Bad credentials", "documentation_url": _DOCS}, 401)
        budget = self.anonymous_budget if anonymous else self.budget
        budget.refresh()
        if request.path == "/api/graphql" and request.method == "POST":
            if anonymous:
                body = {
                    "message": "This endpoint requires you to be authenticated.",
                    "documentation_url": _DOCS,
                }
                return _json(body, 401)
            return self._graphql(request)
        if request.path.startswith("/api/v3/") and request.method in (
            "GET",
            "POST",
            "PUT",
            "PATCH",
        ):
            return self._rest(request, budget, anonymous)
        return _json({"message": "Not Found", "documentation_url": _DOCS}, 404)

    def _headers(self, resource: str) -> dict[str, str]:
        headers = self.budget.headers(resource)
        if self.scopes is not None:
            headers["X-OAuth-Scopes"] = self.scopes
        return headers

    def _graphql(self, request: Request) -> Response:
        prepared = self.graphql.prepare(request.get_json(silent=True))
        if isinstance(prepared, list):
            return _json({"errors": prepared}, 200, self._headers("graphql"))
        document, variables = prepared
        cost = query_cost(document, variables)
        if cost > self.budget.remaining:
            self.budget.remaining = 0
            errors = [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user."}]
            return _json({"errors": errors}, 200, self._headers("graphql"))
        self.budget.remaining -= cost
        self.budget.used_points += cost
        self._current_cost = cost
        return _json(self.graphql.run(document, variables), 200, self._headers("graphql"))

    def _rest(self, request: Request, budget: Budget, anonymous: bool) -> Response:
        if budget.remaining <= 0:
            body = {"message": "API rate limit exceeded for 127.0.0.1.", "documentation_url": _DOCS}
            return _json(body, 403, budget.headers("core"))
        budget.remaining -= 1
        headers = budget.headers("core")
        if self.scopes is not None and not anonymous:
            headers["X-OAuth-Scopes"] = self.scopes
        parts = [urllib.parse.unquote(p) for p in request.path.split("/")[3:]]
        if self.writes.handles(request.method, parts, request.args):
            sent = request.get_json(silent=True)
            status, body = self.writes.answer(request.method, parts, request.args, sent)
            return _json(body, status, headers)
        operation, (status, body) = self._route(parts, request.args, anonymous)
        if operation is not None:
            self._validate(operation, status, body)
        return _json(body, status, headers)

    @property
    def admin(self) -> bool:
        return self.graphql.viewer_permission == "ADMIN"

    def _org_route(self, parts: list[str], anonymous: bool) -> tuple[str | None, tuple[int, Any]]:
        entry = self.graphql._find_owner(parts[1])
        operation = ORG if len(parts) == 2 else ORG_WORKFLOW
        if entry is None or entry[1][0] != "Organization":
            return operation, (404, NOT_FOUND)
        login = entry[0]
        owner = login in self.graphql.owner_of and not anonymous
        if len(parts) == 2:
            base = self.base_permission.get(login, "read")
            return ORG, (200, organisation_json(login, owner=owner, base_permission=base))
        if not owner:
            return ORG_WORKFLOW, (403, _FORBIDDEN)
        workflow = self.org_workflow.get(login, "write")
        body = {"default_workflow_permissions": workflow, "can_approve_pull_request_reviews": False}
        return ORG_WORKFLOW, (200, body)

    def _route(
        self, parts: list[str], args: Any, anonymous: bool
    ) -> tuple[str | None, tuple[int, Any]]:
        if parts[:1] == ["orgs"] and (
            len(parts) == 2 or parts[2:] == ["actions", "permissions", "workflow"]
        ):
            return self._org_route(parts, anonymous)
        if len(parts) == 3 and parts[0] in ("orgs", "users") and parts[2] == "repos":
            operation = ORG_REPOS if parts[0] == "orgs" else USER_REPOS
            return operation, self._listing(parts[0], parts[1], args, anonymous)
        if len(parts) < 3 or parts[0] != "repos":
            return None, (404, NOT_FOUND)
        found = self._owner_and_repo(parts[1], parts[2], anonymous)
        rest = parts[3:]
        if found is None:
            missing = REPO if not rest else CONTENTS if rest[0] == "contents" else None
            return missing, (404, NOT_FOUND)
        (login, kind), repo = found
        admin = self.admin and not anonymous
        if not rest:
            return REPO, (200, repository_json(login, kind, repo, full=True, security=admin))
        if rest == ["private-vulnerability-reporting"]:
            return VULNERABILITY_REPORTING, (200, {"enabled": repo.vulnerability_reporting})
        if rest == ["security-advisories"]:
            published = [advisory_json(login, repo.name, n) for n in range(repo.advisories)]
            return ADVISORIES, (200, published if args.get("state") == "published" else [])
        if rest == ["code-scanning", "default-setup"]:
            if anonymous or repo.code_scanning is None:
                return CODE_SCANNING, (403, _FORBIDDEN)
            setup = {"state": repo.code_scanning, "languages": [], "query_suite": "default"}
            if repo.code_scanning == "configured":
                setup |= {"languages": ["python"], "updated_at": "2026-01-05T10:00:00Z"}
            return CODE_SCANNING, (200, setup | {"schedule": "weekly"})
        if rest == ["actions", "permissions", "workflow"]:
            if not admin:
                return REPO_WORKFLOW, (403, _FORBIDDEN)
            body = {
                "default_workflow_permissions": repo.workflow_permissions,
                "can_approve_pull_request_reviews": False,
            }
            return REPO_WORKFLOW, (200, body)
        if rest[0] == "contents":
            return CONTENTS, contents_json(login, repo, "/".join(rest[1:]))
        if len(rest) == 3 and rest[:2] == ["git", "blobs"]:
            return BLOBS, blob_json(login, repo, rest[2])
        if len(rest) == 3 and rest[:2] == ["git", "trees"]:
            return TREES, tree_json(login, repo, args.get("recursive") not in (None, "", "0"))
        return None, (404, NOT_FOUND)

    def _listing(self, kind: str, login: str, args: Any, anonymous: bool) -> tuple[int, Any]:
        entry = next(((k, v) for k, v in self.owners.items() if k.lower() == login.lower()), None)
        if entry is None or (kind == "orgs" and entry[1][0] != "Organization"):
            return 404, NOT_FOUND
        real, (owner_kind, repos) = entry
        listed = sorted(repos.values(), key=lambda r: r.name.lower())
        if anonymous or args.get("type") == "public":
            listed = [r for r in listed if not r.private]
        per_page = min(int(args.get("per_page", 30)), 100)
        page = max(int(args.get("page", 1)), 1)
        chosen = listed[(page - 1) * per_page : page * per_page]
        security = real in self.graphql.owner_of and not anonymous
        return 200, [
            repository_json(real, owner_kind, r, full=False, security=security) for r in chosen
        ]

    def _owner_and_repo(
        self, owner: str, name: str, anonymous: bool
    ) -> tuple[tuple[str, str], FakeRepo] | None:
        entry = next(((k, v) for k, v in self.owners.items() if k.lower() == owner.lower()), None)
        repo = entry[1][1].get(name) if entry else None
        if entry is None or repo is None or (repo.private and anonymous):
            return None
        return (entry[0], entry[1][0]), repo

    def _validate(self, operation: str, status: int, body: Any) -> None:
        validator = _validator(operation, status)
        if validator is None:
            self.violations.append(f"{operation}: no {status} response in the OpenAPI description")
            return
        error = jsonschema.exceptions.best_match(validator.iter_errors(body))
        if error is not None:
            self.violations.append(f"{operation} {status}: {error.message}")

    def _fault(self, fault: Fault, environ: dict[str, Any]) -> Response:
        if fault.kind == "drop":
            sock = environ.get("werkzeug.socket")
            if isinstance(sock, socket.socket):
                sock.shutdown(socket.SHUT_RDWR)
            return Response(b"", 500)
        if fault.kind == "slow":
            # Not retryable: a client that waited this long instead of timing out fails.
            return _json({"message": "Bad credentials", "documentation_url": _DOCS}, 401)
        if fault.kind == "graphql-timeout":
            message = (
                "Something went wrong while executing your query. This may be the result of a "
                "timeout, or it could be a GitHub bug. Please include `FAKE:0001` when reporting "
                "this issue."
            )
            return _json({"data": None, "errors": [{"message": message}]}, 200)
        if fault.kind == "graphql-secondary":
            errors = [
                {"type": "RATE_LIMITED", "message": "You have exceeded a secondary rate limit."}
            ]
            headers = self._headers("graphql")
            headers["Retry-After"] = str(fault.retry_after)
            return _json({"errors": errors}, 200, headers)
        if fault.kind == "echo":
            sent = environ.get("HTTP_AUTHORIZATION", "no credential")
            return _json({"message": f"Not Found ({sent})", "documentation_url": _DOCS}, 404)
        if fault.kind == "bare-429":
            return _json({"message": "Too many requests"}, 429)
        if fault.kind == "secondary":
            body = {
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                "before you try again.",
                "documentation_url": _DOCS,
            }
            return _json(body, fault.status, {"Retry-After": str(fault.retry_after)})
        headers = {"Retry-After": str(fault.retry_after)} if fault.kind == "unavailable" else {}
        return _json({"message": "Server Error"}, fault.status, headers)


_FORBIDDEN = {"message": "Must have admin rights to Repository.", "documentation_url": _DOCS}


def _json(body: Any, status: int, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(body), status, content_type="application/json; charset=utf-8")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    response.headers["X-GitHub-Request-Id"] = "FAKE:0001"
    return response
