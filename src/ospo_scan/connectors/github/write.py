"""The GitHub write side: one branch and one pull request per repository, through PyGithub.

Every request goes through the connector's `GitHubClient` (PyGithub's requester), so rate limits
are waited out exactly as during a scan. Per repository:

1. the organisation's `.github` repository is created first when the plan asks for it;
2. an archived repository, or one the token cannot push to, is skipped with the reason;
3. the branch `ospo-scan/fix` is created from the default branch unless it exists;
4. each file missing on that branch is committed to it (the contents API); a file already there,
   from an earlier run or added by a person, is left as it is;
5. the open pull request from that branch is updated, or one is opened.

Running again therefore updates the same branch and request instead of opening another.
"""

from __future__ import annotations

import base64
import urllib.parse
from typing import Any

from ospo_scan.connectors.github.client import GitHubClient
from ospo_scan.connectors.github.connector import api_root, host_token
from ospo_scan.connectors.github.errors import GitHubRequestError
from ospo_scan.connectors.interface import (
    FIX_BRANCH,
    ApplyResult,
    ApplyStatus,
    ScanOptions,
    Target,
    answer_limits,
)
from ospo_scan.errors import UsageError

DEFAULTS_DESCRIPTION = "Default community health files for the organisation's repositories."


class GitHubWriter:
    """Proposes files as pull requests on GitHub or GitHub Enterprise Server."""

    def __init__(self, client: GitHubClient) -> None:
        self.client = client

    @classmethod
    def for_options(cls, options: ScanOptions, target: Target) -> GitHubWriter:
        token, token_name = host_token(options)
        if token is None:
            raise UsageError(
                "--open-pr needs a GitHub token that may push and open pull requests",
                hint="set GITHUB_TOKEN (or name another variable with --token-env)",
            )
        client = GitHubClient(
            api_root(options.github_url or target.base_url),
            token,
            token_name,
            max_wait=options.max_wait,
            limits=answer_limits(options),
        )
        return cls(client)

    def close(self) -> None:
        self.client.close()

    def propose(
        self, repository: str, files: dict[str, str], title: str, body: str, *, create: bool
    ) -> ApplyResult:
        """Commit `files` to the fix branch of `owner/name` and open or update its request."""
        owner, _, name = repository.partition("/")
        base = f"/repos/{_quoted(owner)}/{_quoted(name)}"
        if create:
            self._create_repository(owner, name)
        info = self.client.rest_get(base)
        if info.get("archived"):
            return ApplyResult(repository, ApplyStatus.SKIPPED, "archived: read-only")
        if not (info.get("permissions") or {}).get("push"):
            reason = "the token has no push access to this repository"
            return ApplyResult(repository, ApplyStatus.SKIPPED, reason)
        default = str(info["default_branch"])
        if self._get(f"{base}/git/ref/heads/{_quoted(FIX_BRANCH, safe='/')}") is None:
            head = self.client.rest_get(f"{base}/git/ref/heads/{_quoted(default, safe='/')}")
            sha = head["object"]["sha"]
            self.client.rest_write(
                "POST", f"{base}/git/refs", {"ref": f"refs/heads/{FIX_BRANCH}", "sha": sha}
            )
        committed = [path for path in sorted(files) if self._commit(base, path, files[path])]
        pulls = self.client.rest_get(
            f"{base}/pulls", {"head": f"{owner}:{FIX_BRANCH}", "state": "open"}
        )
        request = {"title": title, "body": body}
        if isinstance(pulls, list) and pulls:
            number = int(pulls[0]["number"])
            pull = self.client.rest_write("PATCH", f"{base}/pulls/{number}", request)
            status = ApplyStatus.UPDATED
        else:
            opened = {**request, "head": FIX_BRANCH, "base": default}
            pull = self.client.rest_write("POST", f"{base}/pulls", opened)
            status = ApplyStatus.OPENED
        detail = f"{status.value} pull request #{pull['number']}"
        if committed:
            detail += f"; committed {', '.join(committed)} to {FIX_BRANCH}"
        else:
            detail += f"; {FIX_BRANCH} already holds every file"
        return ApplyResult(repository, status, detail, tuple(committed), str(pull["html_url"]))

    def _create_repository(self, owner: str, name: str) -> None:
        """The organisation's `.github` repository, public and initialised (kept if it exists)."""
        if self._get(f"/repos/{_quoted(owner)}/{_quoted(name)}") is not None:
            return
        settings = {
            "name": name,
            "description": DEFAULTS_DESCRIPTION,
            "visibility": "public",
            "auto_init": True,
        }
        try:
            self.client.rest_write("POST", f"/orgs/{_quoted(owner)}/repos", settings)
        except GitHubRequestError as exc:
            if exc.status not in (403, 404):
                raise
            raise GitHubRequestError(
                f"cannot create {owner}/{name}: {exc.message}",
                status=exc.status,
                hint=f"create {owner}/{name} by hand (a personal account needs it too), "
                "or run again with --per-repository",
            ) from exc

    def _commit(self, base: str, path: str, content: str) -> bool:
        """Commit one file to the fix branch; False when the branch already has it."""
        url = f"{base}/contents/{_quoted(path, safe='/')}"
        if self._get(url, {"ref": FIX_BRANCH}) is not None:
            return False
        self.client.rest_write(
            "PUT",
            url,
            {
                "message": f"Add {path} (ospo-scan fix)",
                "content": base64.b64encode(content.encode("utf-8")).decode("ascii"),
                "branch": FIX_BRANCH,
            },
        )
        return True

    def _get(self, path: str, parameters: dict[str, Any] | None = None) -> Any:
        """A GET whose 404 means "not there" (None) rather than an error."""
        try:
            return self.client.rest_get(path, parameters)
        except GitHubRequestError as exc:
            if exc.status == 404:
                return None
            raise


def _quoted(part: str, safe: str = "") -> str:
    return urllib.parse.quote(part, safe=safe)
