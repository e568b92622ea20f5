"""The write side of the fake GitLab: branches, commits with actions, merge requests.

Shaped as GitLab's REST v4 documentation describes them (Branches API, Commits API `POST
/projects/:id/repository/commits` with `actions`, Repository files API, Merge requests API):
required parameters are enforced with GitLab's `400 ... is missing` answers, an existing branch
or file is refused as GitLab refuses it, and pushing needs Developer access (403 otherwise).
Branches other than the default one live here: `branches[project][branch] = {path: bytes}`.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from tests.connectors.gitlab.fake_model import FakeInstance, FakeProject

Answer = tuple[int, Any]


def _sha(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def _missing(body: Any, *keys: str) -> Answer | None:
    absent = [k for k in keys if not isinstance(body, dict) or not body.get(k)]
    return (400, {"error": f"{', '.join(absent)} is missing"}) if absent else None


@dataclass
class FakeGitLabWrites:
    """Branches, commits and merge requests of the fake instance."""

    instance: FakeInstance
    base_url: str = ""
    branches: dict[str, dict[str, dict[str, bytes]]] = field(default_factory=dict)
    commits: list[tuple[str, str, tuple[str, ...], str]] = field(default_factory=list)
    """(project, branch, files, message) of every commit."""
    merge_requests: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def handles(self, method: str, parts: list[str]) -> bool:
        if parts[:1] != ["projects"] or len(parts) < 3:
            return False
        if method != "GET":
            return True
        return (
            parts[2:4] == ["repository", "branches"]
            or parts[2] == "merge_requests"
            or (parts[2:4] == ["repository", "files"] and parts[-1] != "raw")
        )

    def answer(self, method: str, parts: list[str], query: dict[str, str], body: Any) -> Answer:
        project = self.instance.find_project(unquote(parts[1]))
        if project is None:
            return 404, {"message": "404 Project Not Found"}
        rest = parts[2:]
        if rest[:2] == ["repository", "branches"]:
            if method == "GET" and len(rest) == 3:
                return self._get_branch(project, unquote(rest[2]))
            if method == "POST" and len(rest) == 2:
                return self._create_branch(project, body)
        if rest[:2] == ["repository", "files"] and method == "GET" and len(rest) == 3:
            return self._get_file(project, unquote(rest[2]), query.get("ref", ""))
        if rest == ["repository", "commits"] and method == "POST":
            return self._commit(project, body)
        if rest == ["merge_requests"] and method == "GET":
            return self._list_merge_requests(project, query)
        if rest == ["merge_requests"] and method == "POST":
            return self._create_merge_request(project, body)
        if len(rest) == 2 and rest[0] == "merge_requests" and method == "PUT":
            return self._update_merge_request(project, int(rest[1]), body)
        return 404, {"error": "404 Not Found"}

    def _refused(self, project: FakeProject) -> Answer | None:
        if project.archived:
            return 403, {"message": "403 Forbidden - Project is archived"}
        if not project.push:
            return 403, {"message": "403 Forbidden"}
        return None

    def _of(self, project: FakeProject) -> dict[str, dict[str, bytes]]:
        return self.branches.setdefault(project.full_path, {})

    def _head(self, project: FakeProject, branch: str) -> str | None:
        if branch == project.default_branch:
            return project.head  # the same head GraphQL's `lastCommit` gives
        files = self._of(project).get(branch)
        return None if files is None else _sha(project.full_path, branch, sorted(files.items()))

    def _branch_json(self, project: FakeProject, branch: str) -> dict[str, Any]:
        sha = self._head(project, branch)
        return {
            "name": branch,
            "merged": False,
            "protected": branch in project.protected_branches,
            "default": branch == project.default_branch,
            "developers_can_push": False,
            "developers_can_merge": False,
            "can_push": project.push,
            "web_url": f"{self.base_url}/{project.full_path}/-/tree/{branch}",
            "commit": {"id": sha, "short_id": str(sha)[:8], "title": "Initial commit"},
        }

    def _get_branch(self, project: FakeProject, branch: str) -> Answer:
        if self._head(project, branch) is None:
            return 404, {"message": "404 Branch Not Found"}
        return 200, self._branch_json(project, branch)

    def _create_branch(self, project: FakeProject, body: Any) -> Answer:
        if (refused := self._refused(project) or _missing(body, "branch", "ref")) is not None:
            return refused
        if self._head(project, body["branch"]) is not None:
            return 400, {"message": "Branch already exists"}
        if body["ref"] != project.default_branch:
            return 400, {"message": "Invalid reference name: " + str(body["ref"])}
        self._of(project)[body["branch"]] = {}
        return 201, self._branch_json(project, body["branch"])

    def _get_file(self, project: FakeProject, path: str, ref: str) -> Answer:
        data = self._of(project).get(ref, {}).get(path)
        if data is None and path in project.files and self._head(project, ref) is not None:
            data = project.files[path].data
        if data is None:
            return 404, {"message": "404 File Not Found"}
        return 200, {
            "file_name": path.rsplit("/", 1)[-1],
            "file_path": path,
            "size": len(data),
            "encoding": "base64",
            "content": base64.b64encode(data).decode("ascii"),
            "ref": ref,
            "blob_id": _sha(data),
            "commit_id": self._head(project, ref),
            "last_commit_id": self._head(project, ref),
        }

    def _commit(self, project: FakeProject, body: Any) -> Answer:
        required = _missing(body, "branch", "commit_message", "actions")
        if (refused := self._refused(project) or required) is not None:
            return refused
        files = self._of(project).get(body["branch"])
        if files is None:
            return 400, {"message": "You can only create or edit files when you are on a branch"}
        for action in body["actions"]:
            path = action.get("file_path")
            if action.get("action") != "create" or not path:
                return 400, {"message": "actions are invalid"}
            if path in files or path in project.files:
                return 400, {"message": "A file with this name already exists"}
        for action in body["actions"]:
            files[action["file_path"]] = str(action.get("content", "")).encode("utf-8")
        paths = tuple(a["file_path"] for a in body["actions"])
        self.commits.append((project.full_path, body["branch"], paths, body["commit_message"]))
        sha = self._head(project, body["branch"])
        return 201, {"id": sha, "short_id": str(sha)[:8], "title": body["commit_message"]}

    def _list_merge_requests(self, project: FakeProject, query: dict[str, str]) -> Answer:
        found = [
            mr
            for mr in self.merge_requests.get(project.full_path, [])
            if query.get("source_branch") in (None, mr["source_branch"])
            and query.get("state", "all") in ("all", mr["state"])
        ]
        return 200, found

    def _create_merge_request(self, project: FakeProject, body: Any) -> Answer:
        required = _missing(body, "source_branch", "target_branch", "title")
        if (refused := self._refused(project) or required) is not None:
            return refused
        requests = self.merge_requests.setdefault(project.full_path, [])
        source = body["source_branch"]
        if any(mr["source_branch"] == source and mr["state"] == "opened" for mr in requests):
            message = f"Another open merge request already exists for this source branch: !{1}"
            return 409, {"message": [message]}
        iid = len(requests) + 1
        merge = {
            "id": 1000 + iid,
            "iid": iid,
            "project_id": project.id,
            "title": body["title"],
            "description": body.get("description"),
            "state": "opened",
            "source_branch": source,
            "target_branch": body["target_branch"],
            "web_url": f"{self.base_url}/{project.full_path}/-/merge_requests/{iid}",
        }
        requests.append(merge)
        return 201, merge

    def _update_merge_request(self, project: FakeProject, iid: int, body: Any) -> Answer:
        if (refused := self._refused(project)) is not None:
            return refused
        requests = self.merge_requests.get(project.full_path, [])
        if not 0 < iid <= len(requests):
            return 404, {"message": "404 Not found"}
        requests[iid - 1].update({k: body[k] for k in ("title", "description") if k in body})
        return 200, requests[iid - 1]
