"""The GitLab write side: one branch and one merge request per project, through python-gitlab.

Every request goes through the python-gitlab client the connector builds (`http.make_client`),
so rate limits are waited out as during a scan. Per project:

1. an archived project, or one where the token has less than Developer access, is skipped;
2. the branch `ospo-scan/fix` is created from the default branch unless it exists;
3. the files missing on that branch are committed to it in one commit (`create` actions);
   a file already there, from an earlier run or added by a person, is left as it is;
4. the open merge request from that branch is updated, or one is opened.

Writes are not retried after a server error (the write may have happened); 429 answers are.
"""

from __future__ import annotations

import os
from typing import Any

import gitlab
import gitlab.exceptions

from ospo_scan.connectors.gitlab.connector import DEFAULT_TOKEN_ENV
from ospo_scan.connectors.gitlab.http import (
    RequestLog,
    answers_as_gitlab,
    encoded,
    explain,
    get_json,
    make_client,
)
from ospo_scan.connectors.gitlab.target import locate
from ospo_scan.connectors.interface import (
    FIX_BRANCH,
    ApplyResult,
    ApplyStatus,
    ScanOptions,
    Target,
    answer_limits,
)
from ospo_scan.errors import OspoScanError, UsageError

DEVELOPER_ACCESS = 30
"""GitLab's Developer role: the least access that may push a branch and open a merge request."""
_READ_RETRIES = 4


class GitLabWriter:
    """Proposes files as merge requests on GitLab.com or a self-managed instance."""

    def __init__(self, client: gitlab.Gitlab, token_name: str) -> None:
        self.client = client
        self.token_name = token_name

    @classmethod
    def for_options(cls, options: ScanOptions, target: Target) -> GitLabWriter:
        token_name = options.token_env or DEFAULT_TOKEN_ENV
        token = os.environ.get(token_name) or None
        if token is None:
            raise UsageError(
                "--open-pr needs a GitLab token that may push and open merge requests",
                hint=f"set {token_name} to a token with the api scope",
            )
        log = RequestLog()
        limits = answer_limits(options)
        location = locate(
            target, options, lambda root: answers_as_gitlab(root, token, log, limits=limits)
        )
        client = make_client(location.root, token, options.max_wait, log, limits=limits)
        return cls(client, token_name)

    def close(self) -> None:
        self.client.session.close()

    def propose(
        self, repository: str, files: dict[str, str], title: str, body: str, *, create: bool
    ) -> ApplyResult:
        """Commit `files` to the fix branch of the project and open or update its request."""
        try:
            return self._propose(repository, files, title, body)
        except OspoScanError:
            raise
        except Exception as exc:
            raise explain(exc, what=f"GitLab {repository}", token_name=self.token_name) from exc

    def _propose(
        self, repository: str, files: dict[str, str], title: str, body: str
    ) -> ApplyResult:
        base = f"/projects/{encoded(repository)}"
        project = self._get(base)
        if project is None:
            return ApplyResult(repository, ApplyStatus.FAILED, "project not found")
        if project.get("archived"):
            return ApplyResult(repository, ApplyStatus.SKIPPED, "archived: read-only")
        if _access_level(project) < DEVELOPER_ACCESS:
            reason = "the token has no push access to this project (Developer role needed)"
            return ApplyResult(repository, ApplyStatus.SKIPPED, reason)
        default = str(project["default_branch"])
        if self._get(f"{base}/repository/branches/{encoded(FIX_BRANCH)}") is None:
            self._write(
                "post", f"{base}/repository/branches", {"branch": FIX_BRANCH, "ref": default}
            )
        missing = [
            path
            for path in sorted(files)
            if self._get(f"{base}/repository/files/{encoded(path)}", {"ref": FIX_BRANCH}) is None
        ]
        if missing:
            actions = [
                {"action": "create", "file_path": path, "content": files[path]} for path in missing
            ]
            commit = {
                "branch": FIX_BRANCH,
                "commit_message": f"Add {', '.join(missing)} (ospo-scan fix)",
                "actions": actions,
            }
            self._write("post", f"{base}/repository/commits", commit)
        found = self.client.http_list(
            f"{base}/merge_requests",
            query_data={"source_branch": FIX_BRANCH, "state": "opened"},
            get_all=False,
            max_retries=_READ_RETRIES,
        )
        request = {"title": title, "description": body}
        if isinstance(found, list) and found:
            iid = int(found[0]["iid"])
            merge = self._write("put", f"{base}/merge_requests/{iid}", request)
            status = ApplyStatus.UPDATED
        else:
            opened = {**request, "source_branch": FIX_BRANCH, "target_branch": default}
            merge = self._write("post", f"{base}/merge_requests", opened)
            status = ApplyStatus.OPENED
        detail = f"{status.value} merge request !{merge['iid']}"
        if missing:
            detail += f"; committed {', '.join(missing)} to {FIX_BRANCH}"
        else:
            detail += f"; {FIX_BRANCH} already holds every file"
        return ApplyResult(repository, status, detail, tuple(missing), str(merge["web_url"]))

    def _get(self, path: str, query: dict[str, Any] | None = None) -> dict[str, Any] | None:
        return get_json(self.client, path, query or {}, _READ_RETRIES)

    def _write(self, verb: str, path: str, data: dict[str, Any]) -> dict[str, Any]:
        send = self.client.http_post if verb == "post" else self.client.http_put
        result = send(path, post_data=data, retry_transient_errors=False)
        if not isinstance(result, dict):
            raise gitlab.exceptions.GitlabParsingError(error_message="GitLab did not answer JSON")
        return result


def _access_level(project: dict[str, Any]) -> int:
    """The token's highest access level to the project (its own or through its group)."""
    permissions = project.get("permissions")
    if not isinstance(permissions, dict):
        return 0
    levels = [
        access.get("access_level", 0)
        for access in (permissions.get("project_access"), permissions.get("group_access"))
        if isinstance(access, dict)
    ]
    return max((level for level in levels if isinstance(level, int)), default=0)
