"""GitHub over PyGithub's requester: GraphQL and REST calls that survive rate limits and faults.

Every call goes through `GitHubClient.graphql` or `GitHubClient.rest_get`, which

- wait out a secondary rate limit (`Retry-After`) and a spent primary budget (the
  `x-ratelimit-*` headers, GraphQL `rateLimit` and `RATE_LIMITED` errors), as long as the total
  wait stays within `max_wait`; beyond it they raise `RateLimitExhausted`;
- retry server errors (5xx) and dropped or timed-out connections with exponential backoff, from
  one budget per scan that `max_wait` bounds (rate-limit waits, backoffs and the time failed
  attempts took, together); a refused connection is tried twice, a host that accepts and stays
  silent is given up after `silent_attempts` timeouts, and once a host is given up for not
  answering, later requests fail at once instead of each waiting again;
- count requests and GraphQL points, so a scan can say what it cost.

PyGithub's own retrying and request spacing are switched off: they would wait without bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import github
import requests

from ospo_scan.connectors.github.errors import (
    TRANSIENT_STATUSES,
    GitHubRequestError,
    RateLimitExhausted,
    is_primary_limit,
    is_secondary_limit,
    message_of,
    request_error,
    seconds,
    transient_failure,
)
from ospo_scan.connectors.github.queries import for_older_servers
from ospo_scan.connectors.interface import (
    CONNECT_TIMEOUT,
    connection_problem,
    connection_refused,
)
from ospo_scan.untrusted.answer_limits import AnswerLimits
from ospo_scan.untrusted.answers import AnswerTooLarge, BoundedAdapter

_GRAPHQL = "graphql"
_CORE = "core"


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try before a request is given up."""

    attempts: int = 6
    """Tries per request for server errors and dropped connections."""
    backoff: float = 1.0
    """First backoff in seconds; doubled at each retry."""
    max_backoff: float = 30.0
    """Longest single backoff."""
    timeout: int = 60
    """Seconds to wait for one response (between two bytes of it)."""
    connect_timeout: float = CONNECT_TIMEOUT
    """Seconds to wait for a connection."""
    refused_attempts: int = 2
    """Tries of a request whose connection is refused: nothing listens there."""
    silent_attempts: int = 2
    """Tries of a request when the host accepts but does not answer in `timeout`."""


@dataclass
class Usage:
    """What a scan cost."""

    requests: int = 0
    """HTTP requests sent, retries included."""
    graphql_points: int = 0
    """GraphQL rate-limit points spent (from `rateLimit.cost`)."""
    waited: float = 0.0
    """Seconds spent waiting for rate limits."""
    retrying: float = 0.0
    """Seconds spent on attempts that failed to connect or to get an answer, and backing off."""
    retries: int = 0
    """Requests repeated after a fault."""
    scopes: frozenset[str] | None = None
    """OAuth scopes of a classic token (None for other tokens)."""
    budgets: dict[str, RateBudget] = field(default_factory=dict)
    """The last known budget of each rate-limit resource (`graphql`, `core`)."""


@dataclass
class RateBudget:
    """One rate-limit resource as GitHub last reported it."""

    remaining: int | None = None
    reset_at: float | None = None
    """Epoch seconds of the next reset."""


@dataclass(frozen=True)
class GraphQLResult:
    """A GraphQL answer: its data and any errors (GitHub answers partially when it can)."""

    data: dict[str, Any]
    errors: tuple[dict[str, Any], ...]

    def errors_under(self, *path: str | int) -> list[str]:
        """Messages of the errors whose path starts with `path`."""
        found = []
        for error in self.errors:
            error_path = tuple(error.get("path") or ())
            if error_path[: len(path)] == path:
                found.append(str(error.get("message", "unknown error")))
        return found


class GitHubClient:
    """One authenticated session with GitHub (or GitHub Enterprise Server)."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        token_name: str = "GITHUB_TOKEN",
        *,
        max_wait: float,
        limits: AnswerLimits | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.retry = retry or RetryPolicy()
        auth = github.Auth.Token(token) if token else None
        self._github = github.Github(
            auth=auth,
            base_url=base_url,
            timeout=self.retry.timeout,
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        self._requester = self._github.requester
        if hasattr(self._requester, "_Requester__timeout"):
            # PyGithub takes one int for both; requests takes (connect, read), so a host that
            # drops connection attempts is given up in seconds rather than a minute.
            self._requester._Requester__timeout = (self.retry.connect_timeout, self.retry.timeout)
        _bound_answers(self._requester, limits or AnswerLimits())
        self._token_name = token_name
        self.older_schema = False
        """The server lacks newer schema fields; queries leave them out."""
        self._max_wait = max_wait
        self._sleep = sleep
        self.usage = Usage()
        self._given_up: str | None = None
        """Why the host was given up for not answering; later requests fail at once."""

    def close(self) -> None:
        self._github.close()

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> GraphQLResult:
        """Run a query; partial data comes with its errors; rate-limited answers are retried."""
        failures = 0
        while True:
            body = {
                "query": for_older_servers(query) if self.older_schema else query,
                "variables": variables or {},
            }
            headers, payload = self._send("POST", self._requester.graphql_url, body)
            if not isinstance(payload, dict):
                raise GitHubRequestError("GitHub's GraphQL API answered with something not JSON")
            errors = tuple(e for e in payload.get("errors") or () if isinstance(e, dict))
            if any(e.get("type") == "RATE_LIMITED" for e in errors):
                self._wait_after_limited(headers)
                continue
            if not self.older_schema and any(_undefined_field(e) for e in errors):
                self.older_schema = True  # an older GitHub Enterprise Server: ask again
                continue
            if transient_failure(payload, errors):
                delay = self._backoff(failures)
                if delay is None:
                    raise GitHubRequestError(f"GitHub failed: {errors[0].get('message')}")
                failures += 1
                self.usage.retries += 1
                self._sleep(delay)
                continue
            data = payload.get("data") or {}
            cost = (data.get("rateLimit") or {}) if isinstance(data, dict) else {}
            self._note_graphql_budget(cost)
            return GraphQLResult(data if isinstance(data, dict) else {}, errors)

    def rest_get(self, path: str, parameters: dict[str, Any] | None = None) -> Any:
        """A REST GET (path relative to the API root), JSON decoded."""
        return self._send("GET", path, None, parameters)[1]

    def rest_write(self, verb: str, path: str, body: dict[str, Any]) -> Any:
        """A REST POST, PUT or PATCH, JSON decoded. Rate limits are waited out as for reads, but
        a server error or a dropped connection is not retried: the write may have happened."""
        return self._send(verb, path, body, idempotent=False)[1]

    def _send(
        self,
        verb: str,
        url: str,
        body: Any,
        parameters: dict[str, Any] | None = None,
        *,
        idempotent: bool = True,
    ) -> tuple[dict[str, Any], Any]:
        resource = _GRAPHQL if url == self._requester.graphql_url else _CORE
        attempt = 0
        while True:
            if self._given_up is not None:
                raise GitHubRequestError(self._given_up, hint=_UNREACHABLE_HINT)
            self._wait_if_spent(resource)
            self.usage.requests += 1
            started = time.monotonic()
            try:
                headers, payload = self._requester.requestJsonAndCheck(
                    verb, url, parameters=parameters, input=body
                )
            except github.GithubException as exc:
                self._note_headers(exc.headers or {}, resource)
                delay = self._delay_for(exc, attempt, resource, idempotent=idempotent)
                if delay is None:
                    raise request_error(exc, self._token_name) from exc
            except AnswerTooLarge as exc:
                raise GitHubRequestError(
                    f"GitHub's answer to {verb} {_path(url)}: {exc}",
                    hint="--max-answer-mb bounds an answer's size",
                ) from exc
            except (requests.ConnectionError, requests.Timeout) as exc:
                self.usage.retrying += time.monotonic() - started
                delay = self._connection_retry(exc, attempt) if idempotent else None
                if delay is None:
                    problem = connection_problem(exc)
                    self._given_up = f"could not reach GitHub ({problem}, {attempt + 1} attempts)"
                    raise GitHubRequestError(self._given_up, hint=_UNREACHABLE_HINT) from exc
            else:
                self._note_headers(headers, resource)
                return headers, payload
            attempt += 1
            self.usage.retries += 1
            self._sleep(delay)

    def _delay_for(
        self, exc: github.GithubException, attempt: int, resource: str, *, idempotent: bool
    ) -> float | None:
        """How long to wait before retrying a failed request, or None to give up."""
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        if exc.status in (403, 429):
            if "retry-after" in headers:
                return self._budgeted(seconds(headers["retry-after"]), "secondary rate limit")
            if headers.get("x-ratelimit-remaining") == "0":
                return self._budgeted(self._until_reset(resource), "API rate limit exceeded")
            message = message_of(exc)
            if is_primary_limit(message):
                return self._budgeted(self._until_reset(resource), "API rate limit exceeded")
            if exc.status == 429 or is_secondary_limit(message):
                # GitHub's advice when it says nothing more: wait at least a minute.
                return self._budgeted(60.0, "secondary rate limit")
            return None
        if exc.status in TRANSIENT_STATUSES and idempotent:
            delay = self._backoff(attempt)
            if delay is not None and "retry-after" in headers:  # a 503 saying when to come back
                return self._budgeted(seconds(headers["retry-after"]), "service unavailable")
            return delay
        return None

    def _connection_retry(self, exc: Exception, attempt: int) -> float | None:
        """The backoff before trying a connection again, or None to give the host up."""
        attempts = self.retry.attempts
        if connection_refused(exc):
            attempts = min(attempts, self.retry.refused_attempts)
        elif isinstance(exc, requests.Timeout):
            attempts = min(attempts, self.retry.silent_attempts)
        return self._backoff(attempt, attempts)

    def _backoff(self, attempt: int, attempts: int | None = None) -> float | None:
        """The wait before the next attempt; None when the attempts or the budget are spent."""
        if attempt + 1 >= (attempts or self.retry.attempts):
            return None
        delay = min(self.retry.backoff * (2.0**attempt), self.retry.max_backoff)
        if self.usage.waited + self.usage.retrying + delay > self._max_wait:
            return None  # the scan's one retry budget is spent
        self.usage.retrying += delay
        return delay

    def _budgeted(self, seconds: float, what: str) -> float:
        seconds = max(seconds, 0.0)
        if self.usage.waited + seconds > self._max_wait:
            raise RateLimitExhausted(
                f"GitHub {what}: it lifts in {seconds:.0f} s, beyond the {self._max_wait:.0f} s "
                "the scan may wait",
                hint="raise --max-wait, or scan again after the reset",
            )
        self.usage.waited += seconds
        return seconds

    def _wait_after_limited(self, headers: dict[str, Any]) -> None:
        """A RATE_LIMITED answer: the primary budget is spent, or a secondary limit was hit."""
        lowered = {k.lower(): v for k, v in headers.items()}
        if "retry-after" in lowered:
            self._sleep(self._budgeted(seconds(lowered["retry-after"]), "secondary rate limit"))
        elif self._budget(_GRAPHQL).remaining == 0:
            self._wait_for_reset(_GRAPHQL, "GraphQL rate limit exceeded")
        else:  # budget left: a secondary limit; GitHub advises waiting at least a minute
            self._sleep(self._budgeted(60.0, "secondary rate limit"))

    def _budget(self, resource: str) -> RateBudget:
        return self.usage.budgets.setdefault(resource, RateBudget())

    def _wait_if_spent(self, resource: str) -> None:
        budget = self._budget(resource)
        if budget.remaining == 0 and budget.reset_at is not None:
            self._wait_for_reset(resource, "API rate limit spent")

    def _wait_for_reset(self, resource: str, what: str) -> None:
        self._sleep(self._budgeted(self._until_reset(resource), what))
        self._budget(resource).remaining = None

    def _until_reset(self, resource: str) -> float:
        reset_at = self._budget(resource).reset_at
        if reset_at is None:
            return 60.0
        return reset_at - time.time() + 0.5

    def _note_headers(self, headers: dict[str, Any], resource: str) -> None:
        lowered = {k.lower(): v for k, v in headers.items()}
        budget = self._budget(str(lowered.get("x-ratelimit-resource") or resource))
        try:
            if "x-ratelimit-remaining" in lowered:
                budget.remaining = int(lowered["x-ratelimit-remaining"])
            if "x-ratelimit-reset" in lowered:
                budget.reset_at = float(lowered["x-ratelimit-reset"])
        except ValueError:
            pass  # a malformed header is ignored; GitHub's GraphQL rateLimit still counts
        if "x-oauth-scopes" in lowered:
            scopes = {s.strip() for s in str(lowered["x-oauth-scopes"]).split(",")}
            self.usage.scopes = frozenset(s for s in scopes if s)

    def _note_graphql_budget(self, rate_limit: dict[str, Any]) -> None:
        if isinstance(rate_limit.get("cost"), int):
            self.usage.graphql_points += rate_limit["cost"]
        budget = self._budget(_GRAPHQL)
        if isinstance(rate_limit.get("remaining"), int):
            budget.remaining = rate_limit["remaining"]
        reset_at = rate_limit.get("resetAt")
        if isinstance(reset_at, str):
            try:
                parsed = datetime.fromisoformat(reset_at.replace("Z", "+00:00"))
            except ValueError:
                return
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=timezone.utc)
            budget.reset_at = parsed.timestamp()


_UNREACHABLE_HINT = (
    "check the network, --github-url, or a proxy between; --max-wait bounds retries, "
    "--answer-deadline and --scan-deadline the time given to answers"
)


def _bound_answers(requester: Any, limits: AnswerLimits) -> None:
    """Every answer PyGithub's connection reads keeps to `limits`: its session gets the
    bounded transport (PyGithub reads each body whole, and waits for it without end)."""
    create = getattr(requester, "_Requester__createConnection", None)
    if create is None:
        return
    connection = create()
    pool = getattr(connection, "pool_size", requests.adapters.DEFAULT_POOLSIZE)
    adapter = BoundedAdapter(limits, pool_connections=pool, pool_maxsize=pool)
    connection.session.mount(f"{connection.protocol}://", adapter)


def _path(url: str) -> str:
    """A request's path, without the host and query (which may carry more than a reader needs)."""
    return url.split("://", 1)[-1].partition("/")[2].partition("?")[0] or url


def _undefined_field(error: dict[str, Any]) -> bool:
    """GitHub's answer to a field its schema lacks (older GitHub Enterprise Server versions)."""
    extensions = error.get("extensions")
    code = extensions.get("code") if isinstance(extensions, dict) else None
    return code == "undefinedField" or "doesn't exist on type" in str(error.get("message", ""))
