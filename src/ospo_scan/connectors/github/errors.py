"""How GitHub says no: the connector's request errors and how GitHub's answers are read."""

from __future__ import annotations

import re
from typing import Any

import github

from ospo_scan.errors import ConnectorError, TargetRejected

TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})
"""Server errors worth retrying."""


class RateLimitExhausted(ConnectorError):
    """The rate limit resets later than the scan may wait."""


class GitHubRequestError(ConnectorError):
    """A request failed for good (after retries, or with a status that retrying cannot fix)."""

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


def target_error(exc: GitHubRequestError) -> ConnectorError:
    """A request error as the target's failure: a rejected token is the user's configuration."""
    kind = TargetRejected if exc.status == 401 else ConnectorError
    return kind(exc.message, hint=exc.hint)


def seconds(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 60.0


def message_of(exc: github.GithubException) -> str:
    if exc.message:
        return exc.message
    if isinstance(exc.data, dict):
        return str(exc.data.get("message") or "")
    return ""


def request_error(exc: github.GithubException, token_name: str) -> GitHubRequestError:
    """A PyGithub exception as a one-line error; the token is never part of it."""
    message = message_of(exc)
    text = f"GitHub answered {exc.status}" + (f": {message}" if message else "")
    if exc.status == 401:
        reason = message or "Bad credentials"
        return GitHubRequestError(
            f"GitHub rejected the token in {token_name} ({exc.status} {reason})",
            status=401,
            hint=f"check that {token_name} holds a current token for this GitHub instance",
        )
    if exc.status in (403, 429):
        return GitHubRequestError(
            text, status=exc.status, hint="the token may lack a scope or SSO authorisation"
        )
    return GitHubRequestError(text, status=exc.status)


def is_secondary_limit(message: str) -> bool:
    return bool(github.Requester.Requester.isSecondaryRateLimitError(message))


def is_primary_limit(message: str) -> bool:
    return bool(github.Requester.Requester.isPrimaryRateLimitError(message))


_TRANSIENT_GRAPHQL = re.compile(r"something went wrong|timed? ?out|try again", re.IGNORECASE)


def transient_failure(payload: dict[str, Any], errors: tuple[dict[str, Any], ...]) -> bool:
    """GitHub's "Something went wrong while executing your query" (a timeout): no data at all."""
    if payload.get("data") or not errors:
        return False
    return all(
        not e.get("path") and _TRANSIENT_GRAPHQL.search(str(e.get("message", ""))) for e in errors
    )
