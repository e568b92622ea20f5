"""The write side of the fake GitHub: git refs, the contents API, pull requests, new repositories.

Requests and responses follow GitHub's REST description (`vendor/rest-writes.json`, cut from
`@octokit/openapi`): every request body is checked against the operation's request schema and
every answer against its response schema, so the connector is held to what GitHub publishes.
Branches other than the default one live here: `branches[(owner, repo)][branch] = {path: bytes}`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from tests.connectors.github.fake_graphql import Owners
from tests.connectors.github.fake_repos import FakeRepo
from tests.connectors.github.fake_rest import (
    API,
    DOCS,
    NOT_FOUND,
    file_json,
    nullable_to_json_schema,
    owner_json,
    repository_json,
)

WRITE_SCHEMAS = Path(__file__).parent / "vendor" / "rest-writes.json"
GET_REF = "GET /repos/{owner}/{repo}/git/ref/{ref}"
CREATE_REF = "POST /repos/{owner}/{repo}/git/refs"
PUT_CONTENTS = "PUT /repos/{owner}/{repo}/contents/{path}"
LIST_PULLS = "GET /repos/{owner}/{repo}/pulls"
CREATE_PULL = "POST /repos/{owner}/{repo}/pulls"
UPDATE_PULL = "PATCH /repos/{owner}/{repo}/pulls/{pull_number}"
CREATE_ORG_REPO = "POST /orgs/{org}/repos"

Answer = tuple[str | None, int, Any]
"""(operation, status, body); operation None when GitHub has no such route."""


@cache
def _operations() -> dict[str, Any]:
    data = json.loads(WRITE_SCHEMAS.read_text(encoding="utf-8"))["operations"]
    converted: dict[str, Any] = nullable_to_json_schema(data)
    return converted


@cache
def _validator(operation: str, part: str) -> Any:
    """A validator per schema, checked once (`jsonschema.validate` re-checks it every call)."""
    described = _operations()[operation]
    schema = described["request"] if part == "request" else described["responses"][part]
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _sha(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def _error(status: int, message: str) -> tuple[int, Any]:
    return status, {"message": message, "documentation_url": DOCS}


@dataclass
class FakeWrites:
    """Branches and pull requests of the fake host, and the traffic they saw."""

    owners: Owners
    branches: dict[tuple[str, str], dict[str, dict[str, bytes]]] = field(default_factory=dict)
    pulls: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    commits: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(owner/repo, branch, path, message) of every file committed."""
    violations: list[str] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)
    """Repositories (`owner/name`) whose writes fail with a server error, as in an outage."""

    def handles(self, method: str, parts: list[str], args: Any) -> bool:
        if method != "GET":
            return True
        rest = parts[3:] if len(parts) > 3 else []
        if rest[:2] == ["git", "ref"] or rest == ["pulls"]:
            return True
        return bool(rest[:1] == ["contents"] and args.get("ref"))

    def answer(self, method: str, parts: list[str], args: Any, body: Any) -> tuple[int, Any]:
        operation, status, answer = self._route(method, parts, args, body)
        if operation is not None:
            self._check(operation, "request", body if method != "GET" else None)
            self._check(operation, str(status), answer)
        return status, answer

    def _route(self, method: str, parts: list[str], args: Any, body: Any) -> Answer:
        if method == "POST" and len(parts) == 3 and parts[0] == "orgs" and parts[2] == "repos":
            return (CREATE_ORG_REPO, *self._create_repository(parts[1], body))
        if len(parts) < 4 or parts[0] != "repos":
            return None, 404, NOT_FOUND
        found = self._repository(parts[1], parts[2])
        if found is None:
            return None, 404, NOT_FOUND
        login, repo = found
        rest = parts[3:]
        if method != "GET" and f"{login}/{repo.name}" in self.failing:
            return None, 500, {"message": "Server Error"}
        if method == "GET" and rest[:2] == ["git", "ref"]:
            return (GET_REF, *self._get_ref(login, repo, "/".join(rest[2:])))
        if method == "POST" and rest == ["git", "refs"]:
            return (CREATE_REF, *self._create_ref(login, repo, body))
        if rest[0] == "contents" and method in ("GET", "PUT"):
            path = "/".join(rest[1:])
            if method == "GET":
                return (None, *self._branch_file(login, repo, path, args.get("ref", "")))
            return (PUT_CONTENTS, *self._put_file(login, repo, path, body))
        if rest == ["pulls"] and method == "GET":
            return (LIST_PULLS, *self._list_pulls(login, repo, args))
        if rest == ["pulls"] and method == "POST":
            return (CREATE_PULL, *self._create_pull(login, repo, body))
        if len(rest) == 2 and rest[0] == "pulls" and method == "PATCH":
            return (UPDATE_PULL, *self._update_pull(login, repo, int(rest[1]), body))
        return None, 404, NOT_FOUND

    def _repository(self, owner: str, name: str) -> tuple[str, FakeRepo] | None:
        entry = next(((k, v) for k, v in self.owners.items() if k.lower() == owner.lower()), None)
        repo = entry[1][1].get(name) if entry else None
        return (entry[0], repo) if entry is not None and repo is not None else None

    def _writable(self, repo: FakeRepo) -> tuple[int, Any] | None:
        if repo.archived:
            return _error(403, "Repository was archived so is read-only.")
        if not repo.push:
            return _error(403, "Resource not accessible by integration")
        return None

    def _branches(self, login: str, repo: FakeRepo) -> dict[str, dict[str, bytes]]:
        return self.branches.setdefault((login, repo.name), {})

    def _head(self, login: str, repo: FakeRepo, branch: str) -> str | None:
        if branch == repo.default_branch and not repo.empty:
            return repo.oid("")
        files = self._branches(login, repo).get(branch)
        return None if files is None else _sha(login, repo.name, branch, sorted(files.items()))

    def _ref_json(self, login: str, repo: FakeRepo, branch: str, sha: str) -> dict[str, Any]:
        base = f"{API}/repos/{login}/{repo.name}/git"
        return {
            "ref": f"refs/heads/{branch}",
            "node_id": "REF_fake",
            "url": f"{base}/refs/heads/{branch}",
            "object": {"type": "commit", "sha": sha, "url": f"{base}/commits/{sha}"},
        }

    def _get_ref(self, login: str, repo: FakeRepo, ref: str) -> tuple[int, Any]:
        branch = ref.removeprefix("heads/")
        sha = self._head(login, repo, branch) if ref.startswith("heads/") else None
        if sha is None:
            return 404, NOT_FOUND
        return 200, self._ref_json(login, repo, branch, sha)

    def _create_ref(self, login: str, repo: FakeRepo, body: Any) -> tuple[int, Any]:
        if (refused := self._writable(repo)) is not None:
            return refused
        ref = str(body.get("ref", ""))
        branch = ref.removeprefix("refs/heads/")
        if not ref.startswith("refs/heads/") or body.get("sha") != repo.oid(""):
            return _error(422, "Reference update failed")
        if self._head(login, repo, branch) is not None:
            return _error(422, "Reference already exists")
        self._branches(login, repo)[branch] = {}
        return 201, self._ref_json(login, repo, branch, str(self._head(login, repo, branch)))

    def _branch_file(self, login: str, repo: FakeRepo, path: str, ref: str) -> tuple[int, Any]:
        files = self._branches(login, repo).get(ref)
        data = (files or {}).get(path)
        if data is None:
            data = repo.content(path) if path in repo.files else None
        if data is None:
            return 404, NOT_FOUND
        return 200, self._content_json(login, repo, path, data)

    def _content_json(self, login: str, repo: FakeRepo, path: str, data: bytes) -> dict[str, Any]:
        return file_json(login, repo.name, "main", path, data, _sha(data))

    def _put_file(self, login: str, repo: FakeRepo, path: str, body: Any) -> tuple[int, Any]:
        if (refused := self._writable(repo)) is not None:
            return refused
        branch = str(body.get("branch") or repo.default_branch)
        files = self._branches(login, repo).get(branch)
        if files is None:
            return 404, {"message": f"Branch {branch} not found", "documentation_url": DOCS}
        if (path in files or path in repo.files) and "sha" not in body:
            return _error(422, '"sha" wasn\'t supplied.')
        data = base64.b64decode(body["content"])
        files[path] = data
        self.commits.append((f"{login}/{repo.name}", branch, path, str(body["message"])))
        commit_sha = str(self._head(login, repo, branch))
        commit = {"sha": commit_sha, "message": body["message"], "url": f"{API}/commits/x"}
        return 201, {"content": self._content_json(login, repo, path, data), "commit": commit}

    def _list_pulls(self, login: str, repo: FakeRepo, args: Any) -> tuple[int, Any]:
        pulls = self.pulls.get((login, repo.name), [])
        head = args.get("head")
        state = args.get("state", "open")
        found = [
            p
            for p in pulls
            if (head is None or f"{login}:{p['head']['ref']}" == head)
            and (state == "all" or p["state"] == state)
        ]
        return 200, found

    def _create_pull(self, login: str, repo: FakeRepo, body: Any) -> tuple[int, Any]:
        if (refused := self._writable(repo)) is not None:
            return refused
        head, base = str(body["head"]), str(body["base"])
        branch = head.split(":", 1)[-1]
        if self._head(login, repo, branch) is None or base != repo.default_branch:
            return _error(422, "Validation Failed")
        pulls = self.pulls.setdefault((login, repo.name), [])
        if any(p["head"]["ref"] == branch and p["state"] == "open" for p in pulls):
            return _error(422, f"A pull request already exists for {login}:{branch}.")
        pull = self._pull_json(login, repo, len(pulls) + 1, body, branch)
        pulls.append(pull)
        return 201, pull

    def _update_pull(self, login: str, repo: FakeRepo, number: int, body: Any) -> tuple[int, Any]:
        if (refused := self._writable(repo)) is not None:
            return refused
        pulls = self.pulls.get((login, repo.name), [])
        if not 0 < number <= len(pulls):
            return 404, NOT_FOUND
        pull = pulls[number - 1]
        pull.update({k: body[k] for k in ("title", "body") if k in body})
        return 200, pull

    def _create_repository(self, org: str, body: Any) -> tuple[int, Any]:
        entry = next(((k, v) for k, v in self.owners.items() if k.lower() == org.lower()), None)
        if entry is None or entry[1][0] != "Organization":
            return 404, NOT_FOUND
        login, (kind, repos) = entry
        name = str(body["name"])
        if name in repos:
            return _error(422, "Repository creation failed.")
        files = {"README.md": f"# {name}\n"} if body.get("auto_init") else {}
        repo = FakeRepo(name, files, private=body.get("visibility") == "private")
        assert isinstance(repos, dict), "the fake creates repositories in a mutable mapping"
        repos[name] = repo
        return 201, repository_json(login, kind, repo, full=True)

    def _pull_json(
        self, login: str, repo: FakeRepo, number: int, body: Any, branch: str
    ) -> dict[str, Any]:
        base = f"{API}/repos/{login}/{repo.name}"
        owner_kind = self.owners[login][0]
        owner = owner_json(login, owner_kind)
        repository = repository_json(login, owner_kind, repo, full=True)
        repository["has_downloads"] = True

        def side(ref: str) -> dict[str, Any]:
            sha = str(self._head(login, repo, ref))
            return {
                "label": f"{login}:{ref}",
                "ref": ref,
                "repo": repository,
                "sha": sha,
                "user": owner,
            }

        html = f"https://github.com/{login}/{repo.name}/pull/{number}"
        return {
            "url": f"{base}/pulls/{number}",
            "id": number,
            "node_id": f"PR_{number}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": f"{base}/issues/{number}",
            "commits_url": f"{base}/pulls/{number}/commits",
            "review_comments_url": f"{base}/pulls/{number}/comments",
            "review_comment_url": f"{base}/pulls/comments{{/number}}",
            "comments_url": f"{base}/issues/{number}/comments",
            "statuses_url": f"{base}/statuses/{self._head(login, repo, branch)}",
            "number": number,
            "state": "open",
            "locked": False,
            "title": body["title"],
            "user": owner,
            "body": body.get("body"),
            "labels": [],
            "milestone": None,
            "created_at": "2024-01-15T12:00:00Z",
            "updated_at": "2024-01-15T12:00:00Z",
            "closed_at": None,
            "merged_at": None,
            "merge_commit_sha": None,
            "assignee": None,
            "head": side(branch),
            "base": side(repo.default_branch),
            "_links": {
                key: {"href": f"{base}/pulls/{number}"}
                for key in (
                    "comments",
                    "commits",
                    "statuses",
                    "html",
                    "issue",
                    "review_comments",
                    "review_comment",
                    "self",
                )
            },
            "author_association": "MEMBER",
            "auto_merge": None,
            "merged": False,
            "mergeable": True,
            "mergeable_state": "clean",
            "merged_by": None,
            "maintainer_can_modify": False,
            "comments": 0,
            "review_comments": 0,
            "commits": 1,
            "additions": 1,
            "deletions": 0,
            "changed_files": 1,
        }

    def _check(self, operation: str, part: str, document: Any) -> None:
        described = _operations()[operation]
        if part == "request":
            schema = described["request"]
            if schema is None or document is None:
                return
        else:
            schema = described["responses"].get(part)
            if schema is None:
                if int(part) >= 400:
                    return  # GitHub's usual error body; the read side checks its shape
                self.violations.append(f"{operation}: no {part} response in the description")
                return
        error = jsonschema.exceptions.best_match(_validator(operation, part).iter_errors(document))
        if error is not None:
            self.violations.append(f"{operation} {part}: {error.message}")
