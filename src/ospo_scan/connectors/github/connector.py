"""The GitHub connector: an organisation (or user, or one repository) in a handful of requests.

With a token, one GraphQL query lists up to 100 repositories with their metadata and the trees
of every directory rules look at, and batched queries fetch only the texts rules read
(`scan`); without one, public repositories are read through the REST API
(`rest`). Either way the result is the same `Snapshot` the local connector builds, so
rules never know which host they run on.
"""

from __future__ import annotations

import os
import time
import urllib.parse
from collections.abc import Callable

from ospo_scan.connectors.github.client import GitHubClient, RetryPolicy
from ospo_scan.connectors.github.fetch import BatchLimits
from ospo_scan.connectors.github.rest import RestScan
from ospo_scan.connectors.github.scan import PRIVACY, GraphQLScan
from ospo_scan.connectors.interface import (
    Connector,
    EntitySource,
    ScanOptions,
    Target,
    answer_limits,
)
from ospo_scan.errors import TargetRejected, UsageError
from ospo_scan.untrusted.redaction import register_secret

DEFAULT_API_URL = "https://api.github.com"
TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")


class GitHubConnector(Connector):
    """Reads GitHub or GitHub Enterprise Server repositories (GraphQL; REST without a token)."""

    def __init__(
        self,
        *,
        retry: RetryPolicy | None = None,
        page_size: int = 100,
        limits: BatchLimits | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._retry = retry
        self._page_size = page_size
        self._limits = limits or BatchLimits()
        self._sleep = sleep
        self.client: GitHubClient | None = None
        """The session of the last `open`, whose `usage` says what the scan cost."""

    def open(self, target: Target, options: ScanOptions) -> EntitySource:
        if options.visibility not in PRIVACY:
            raise UsageError(
                f"unknown visibility {options.visibility!r}; use public, private or all"
            )
        owner, _, repository = target.path.strip("/").partition("/")
        if not owner or "/" in repository:
            raise UsageError(f"not a GitHub organisation or repository: {target.path!r}")
        api_url = api_root(options.github_url or target.base_url)
        token, token_name = host_token(options)
        client = GitHubClient(
            api_url,
            token,
            token_name,
            max_wait=options.max_wait,
            limits=answer_limits(options),
            retry=self._retry,
            sleep=self._sleep,
        )
        self.client = client
        scan: GraphQLScan | RestScan
        if token is None:
            scan = RestScan(client, owner, options)
        else:
            scan = GraphQLScan(client, owner, options, self._page_size, self._limits)
        if repository:
            return scan.one_repository(repository)
        return scan.whole_owner()


def api_root(url: str | None) -> str:
    """The REST API root for a `--github-url` or a target's web address."""
    if not url:
        return DEFAULT_API_URL
    parsed = urllib.parse.urlparse(url.rstrip("/"))
    if parsed.hostname in ("github.com", "www.github.com", "api.github.com"):
        return DEFAULT_API_URL
    if parsed.path.endswith("/api/v3") or parsed.path.endswith("/api"):
        return url.rstrip("/")
    return url.rstrip("/") + "/api/v3"


def host_token(options: ScanOptions) -> tuple[str | None, str]:
    """The token and the name of the variable it came from (no token: public REST scans)."""
    names = (options.token_env,) if options.token_env else TOKEN_VARIABLES
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            register_secret(value)
            return value, name
    if options.token_env:
        raise TargetRejected(
            f"no GitHub token: {options.token_env} (named by --token-env) is not set",
            hint="set it, or leave out --token-env to use GITHUB_TOKEN or GH_TOKEN",
        )
    return None, TOKEN_VARIABLES[0]
