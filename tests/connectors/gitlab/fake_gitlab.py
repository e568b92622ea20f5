"""A fake GitLab on 127.0.0.1: REST v4 and GraphQL, shaped as GitLab documents them.

REST: `GET /version`, `/groups/:id`, `/groups/:id/projects` (offset pagination with `Link`,
`X-Next-Page`, `X-Total`...), `/projects/:id` (`license=true`), raw files. GraphQL: see
`fake_graphql`. Served under an optional path prefix, with optional latency, `RateLimit-*`
headers on every answer, and injected faults (429 with `Retry-After`, 5xx bursts).
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.connectors.gitlab.fake_graphql import GitLabGraphQL
from tests.connectors.gitlab.fake_model import FakeGroup, FakeInstance, FakeProject
from tests.connectors.gitlab.fake_settings import instance_settings, premium
from tests.connectors.gitlab.fake_writes import FakeGitLabWrites


@dataclass
class Fault:
    """The next `count` requests whose path contains `match` get `status` (with headers)."""

    match: str
    status: int
    count: int
    headers: dict[str, str] = field(default_factory=dict)
    echo: bool = False
    """Whether the error body repeats the credential the request carried, as some proxies do."""
    padding: int = 0
    """Characters of the error message before the echoed credential."""


class FakeGitLab:
    """The server; use as a context manager. `url` is the instance root, prefix included."""

    def __init__(
        self,
        instance: FakeInstance,
        *,
        prefix: str = "",
        tokens: tuple[str, ...] = ("glpat-valid-token",),
        reporter_tokens: tuple[str, ...] = (),
        admin_tokens: tuple[str, ...] = (),
        latency: float = 0.0,
        threads: bool = True,
        complexity_limits: tuple[int, int] = (200, 250),
        tell_limit: bool = True,
        branch_rules: bool = True,
        graphql: bool = True,
    ) -> None:
        self.instance = instance
        self.graphql = graphql
        """Whether `/api/graphql` answers; without it, a proxy in front answers 404."""
        self.prefix = prefix.rstrip("/")
        self.tokens = tokens + reporter_tokens + admin_tokens
        self.admin_tokens = admin_tokens
        """Tokens of an administrator of the instance (a maintainer everywhere too)."""
        self.reporter_tokens = reporter_tokens
        """Tokens of a user with the Reporter role on every project (the others: Maintainer)."""
        self.latency = latency
        self.api = GitLabGraphQL(
            instance, limits=complexity_limits, tell_limit=tell_limit, branch_rules=branch_rules
        )
        """The GraphQL API: GitLab's schema, limits and complexity."""
        self.complexity_scores = self.api.scores
        self.faults: list[Fault] = []
        self.exhausted = 0
        """How many of the next answers say the rate-limit budget is spent until the next second."""
        self.requests: list[tuple[str, str, int]] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self.writes = FakeGitLabWrites(instance)
        """Branches, commits and merge requests (the REST write endpoints)."""
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=threads)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}{self.prefix}"

    def __enter__(self) -> FakeGitLab:
        self.writes.base_url = self.url
        self._thread.start()
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        """Stop the server; without an exception under way, fail when GitLab's schema rejected
        any query the server was sent."""
        self._server.shutdown()
        self._server.server_close()
        if exc_type is None:
            rejected = self.api.rejected
            assert not rejected, f"GitLab's schema rejects queries the connector sent: {rejected}"

    def inject(
        self,
        match: str,
        status: int,
        count: int,
        *,
        echo: bool = False,
        padding: int = 0,
        **headers: str,
    ) -> None:
        named = {k.replace("_", "-"): v for k, v in headers.items()}
        self.faults.append(Fault(match, status, count, named, echo, padding))

    def count(self, needle: str = "") -> int:
        return sum(1 for _, path, _ in self.requests if needle in path)

    # -- WSGI ------------------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            if self.latency:
                time.sleep(self.latency)
            request = Request(environ)
            raw_path = urlsplit(
                environ.get("REQUEST_URI") or environ.get("RAW_URI") or request.path
            ).path
            response = self._answer(request, raw_path)
            with self._lock:
                spent = self.exhausted > 0
                self.exhausted -= 1 if spent else 0
            response.headers.update(
                {
                    "RateLimit-Limit": "2000",
                    "RateLimit-Remaining": "0" if spent else "1500",
                    "RateLimit-Reset": str(int(time.time()) + (1 if spent else 60)),
                }
            )
            with self._lock:
                self.requests.append((request.method, raw_path, response.status_code))
            return response(environ, start_response)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _fault(self, path: str, request: Request) -> Response | None:
        with self._lock:
            for fault in self.faults:
                if fault.count > 0 and fault.match in path:
                    fault.count -= 1
                    body = {"message": f"{fault.status} injected"}
                    if fault.echo:
                        sent = request.headers.get("PRIVATE-TOKEN", "no token")
                        if fault.padding:
                            body["message"] = "x" * fault.padding
                        body["message"] += f" for token {sent}"
                    return _json(body, fault.status, fault.headers)
        return None

    def _answer(self, request: Request, raw_path: str) -> Response:
        if not raw_path.startswith(self.prefix + "/"):
            return Response("<html>not here</html>", 404, content_type="text/html")
        path = raw_path[len(self.prefix) :]
        if not path.startswith("/api/"):
            return Response("<html>GitLab web page</html>", 200, content_type="text/html")
        fault = self._fault(path, request)
        if fault is not None:
            return fault
        token = _token(request)
        if token and token not in self.tokens:
            return _json({"message": "401 Unauthorized"}, 401)
        authenticated = bool(token)
        maintainer = authenticated and token not in self.reporter_tokens
        if path == "/api/graphql" and not self.graphql:
            return Response(
                "<html><body>404 Not Found</body></html>", 404, content_type="text/html"
            )
        if path == "/api/graphql" and request.method == "POST":
            status, answer = self.api.answer(
                request.get_json(force=True), authenticated, maintainer
            )
            return _json(answer, status)
        parts = path[len("/api/v4/") :].strip("/").split("/")
        if path.startswith("/api/v4/") and self.writes.handles(request.method, parts):
            readable = request.method == "GET" and self._public_default_branch(parts)
            if not authenticated and not readable:
                return _json({"message": "401 Unauthorized"}, 401)
            query = {k: v[-1] for k, v in parse_qs(urlsplit(request.url).query).items()}
            body = request.get_json(silent=True)
            status, answer = self.writes.answer(request.method, parts, query, body)
            return _json(answer, status)
        if not path.startswith("/api/v4/") or request.method != "GET":
            return _json({"error": "404 Not Found"}, 404)
        return self._rest(request, path[len("/api/v4") :], authenticated, maintainer)

    def _rest(
        self, request: Request, path: str, authenticated: bool, maintainer: bool = False
    ) -> Response:
        parts = path.strip("/").split("/")
        query = {k: v[-1] for k, v in parse_qs(urlsplit(request.url).query).items()}
        if parts == ["application", "settings"]:
            admin = _token(request) in self.admin_tokens
            return _json(*instance_settings(self.instance, authenticated, admin))
        if parts == ["version"]:
            if not authenticated:
                return _json({"message": "401 Unauthorized"}, 401)
            return _json({"version": "17.5.1-ee", "revision": "fake"})
        if parts[0] == "groups" and len(parts) >= 2:
            group = self.instance.find_group(unquote(parts[1]))
            if group is None or (group.visibility != "public" and not authenticated):
                return _json({"message": "404 Group Not Found"}, 404)
            if len(parts) == 2:
                return _json(self._group_json(group))
            if parts[2:] == ["projects"]:
                return self._group_projects(request, group, query, authenticated, maintainer)
        if parts[0] == "projects" and len(parts) >= 2:
            project = self.instance.find_project(unquote(parts[1]))
            if project is None or (project.visibility != "public" and not authenticated):
                return _json({"message": "404 Project Not Found"}, 404)
            if parts[2:] in (["push_rule"], ["approval_rules"]):
                return _json(*premium(self.instance, project, parts[2], authenticated, maintainer))
            if len(parts) == 2:
                licence = query.get("license", "").lower() == "true"
                found = self._project_json(project, with_licence=licence, maintainer=maintainer)
                if authenticated:
                    level = 40 if project.push else 20  # Maintainer, or Reporter
                    access = {"access_level": level, "notification_level": 3}
                    found["permissions"] = {"project_access": access, "group_access": None}
                return _json(found)
            if parts[2:] == ["repository", "tree"]:
                return self._tree(request, project, query)
            if parts[2:4] == ["repository", "files"] and parts[-1] == "raw":
                blob = project.blob(unquote("/".join(parts[4:-1])))
                if blob is None:
                    return _json({"message": "404 File Not Found"}, 404)
                if blob.lfs is not None and query.get("lfs", "").lower() == "true":
                    return Response(blob.lfs, 200, content_type="application/octet-stream")
                return Response(blob.data, 200, content_type="text/plain")
        return _json({"error": "404 Not Found"}, 404)

    def _public_default_branch(self, parts: list[str]) -> bool:
        """`GET .../repository/branches/:default` of a public project: anyone may read it."""
        if len(parts) != 5 or parts[2:4] != ["repository", "branches"]:
            return False
        project = self.instance.find_project(unquote(parts[1]))
        return (
            project is not None
            and project.visibility == "public"
            and unquote(parts[4]) == project.default_branch
        )

    def _tree(self, request: Request, project: FakeProject, query: dict[str, str]) -> Response:
        """`GET /projects/:id/repository/tree`: one directory's trees, blobs and submodules, or
        with `recursive=true` everything beneath it."""
        if not project.repository_readable:
            return _json({"message": "403 Forbidden"}, 403)
        directory = query.get("path", "").strip("/")
        blobs, trees, submodules = project.children(directory)
        if project.empty or (directory and not (blobs or trees or submodules)):
            return _json({"message": "404 Tree Not Found"}, 404)
        if query.get("recursive", "").lower() == "true":
            blobs, trees, submodules = project.descendants(directory)
        entries: list[dict[str, Any]] = [
            {"id": "0" * 40, "name": _name(p), "type": "tree", "path": p, "mode": "040000"}
            for p in trees
        ]
        entries += [
            {"id": "0" * 40, "name": _name(p), "type": "blob", "path": p, "mode": b.mode}
            for p, b in blobs
        ]
        entries += [
            {"id": "0" * 40, "name": _name(p), "type": "commit", "path": p, "mode": "160000"}
            for p in submodules
        ]
        return self._paged(request, entries, query)

    def _group_projects(
        self,
        request: Request,
        group: FakeGroup,
        query: dict[str, str],
        authenticated: bool,
        maintainer: bool = False,
    ) -> Response:
        projects = self.instance.group_projects(group)
        if query.get("include_subgroups", "").lower() != "true":
            projects = [p for p in projects if p.namespace == group.full_path]
        if not authenticated:
            projects = [p for p in projects if p.visibility == "public"]
        if "visibility" in query:
            projects = [p for p in projects if p.visibility == query["visibility"]]
        found = [self._project_json(p, maintainer=maintainer) for p in projects]
        return self._paged(request, found, query)

    def _paged(self, request: Request, items: list[Any], query: dict[str, str]) -> Response:
        """One page of `items`, with GitLab's offset pagination headers."""
        projects = items
        per_page = min(int(query.get("per_page", "20")), 100)
        page = int(query.get("page", "1"))
        pages = max(1, math.ceil(len(projects) / per_page))
        chunk = projects[(page - 1) * per_page : page * per_page]
        # As GitLab: the links repeat the path as sent (a project's `group%2Fname` stays encoded)
        environ = request.environ
        sent = environ.get("REQUEST_URI") or environ.get("RAW_URI") or request.path
        base = request.host_url.rstrip("/") + urlsplit(sent).path

        def link(number: int) -> str:
            return base + "?" + urlencode({**query, "page": number, "per_page": per_page})

        links = [f'<{link(1)}>; rel="first"', f'<{link(pages)}>; rel="last"']
        headers = {
            "X-Total": str(len(projects)),
            "X-Total-Pages": str(pages),
            "X-Per-Page": str(per_page),
            "X-Page": str(page),
            "X-Next-Page": str(page + 1) if page < pages else "",
            "X-Prev-Page": str(page - 1) if page > 1 else "",
        }
        if page < pages:
            links.insert(0, f'<{link(page + 1)}>; rel="next"')
        if page > 1:
            links.insert(0, f'<{link(page - 1)}>; rel="prev"')
        headers["Link"] = ", ".join(links)
        return _json(chunk, 200, headers)

    def _group_json(self, group: FakeGroup) -> dict[str, Any]:
        return {
            "id": group.id,
            "name": group.full_path.rsplit("/", 1)[-1],
            "path": group.full_path.rsplit("/", 1)[-1],
            "full_path": group.full_path,
            "full_name": group.full_path.replace("/", " / "),
            "visibility": group.visibility,
            "require_two_factor_authentication": group.require_two_factor,
            "web_url": f"{self.url}/groups/{group.full_path}",
            "parent_id": None,
        }

    def _project_json(
        self, project: FakeProject, *, with_licence: bool = False, maintainer: bool = False
    ) -> dict[str, Any]:
        """The project as `API::Entities::Project` shows it; some settings to maintainers only."""
        data: dict[str, Any] = {
            "id": project.id,
            "name": project.full_path.rsplit("/", 1)[-1],
            "path": project.full_path.rsplit("/", 1)[-1],
            "path_with_namespace": project.full_path,
            "name_with_namespace": project.full_path.replace("/", " / "),
            "description": project.description,
            "default_branch": None if project.empty else project.default_branch,
            "visibility": project.visibility,
            "archived": project.archived,
            "empty_repo": project.empty,
            "topics": list(project.topics),
            "tag_list": list(project.topics),
            "last_activity_at": project.last_activity_at,
            "web_url": f"{self.url}/{project.full_path}",
            "http_url_to_repo": f"{self.url}/{project.full_path}.git",
            "namespace": {"full_path": project.namespace, "kind": "group"},
            "repository_access_level": "enabled" if project.repository_readable else "disabled",
            "issues_access_level": project.issues_access_level,
            "issues_enabled": project.issues_access_level != "disabled",
            "only_allow_merge_if_pipeline_succeeds": project.pipelines_must_succeed,
        }
        if self.instance.tier in ("premium", "ultimate"):
            data["approvals_before_merge"] = 0  # EE shows it with Premium's approvals
        if maintainer:
            data["ci_job_token_scope_enabled"] = False
            data["ci_push_repository_for_job_token_allowed"] = project.job_token_push
            if self.instance.tier == "ultimate":
                data["secret_push_protection_enabled"] = project.secret_push_protection
        if project.forked_from:
            upstream = self.instance.projects.get(project.forked_from)
            data["forked_from_project"] = {
                "id": upstream.id if upstream else 1,
                "path_with_namespace": project.forked_from,
                "web_url": f"{self.url}/{project.forked_from}",
            }
        if with_licence:
            key = project.licence_key
            data["license_url"] = (
                f"{self.url}/{quote(project.full_path)}/-/blob/main/LICENSE" if key else None
            )
            data["license"] = {"key": key, "name": key, "nickname": None} if key else None
        return data


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status, headers=headers, content_type="application/json")


def _token(request: Request) -> str:
    header = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return request.headers.get("PRIVATE-TOKEN") or header


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]
