"""The GitLab HTTP client: python-gitlab set up for scans, rate limits honoured, errors explained.

One `gitlab.Gitlab` client (one `requests` session) carries every request, REST and GraphQL,
so python-gitlab's retry policy applies to both: 429 is retried after `Retry-After` (or
`RateLimit-Reset`), transient 5xx with backoff. A response hook on the session adds what
python-gitlab lacks: a bound on how long a rate limit may make the scan wait, a pause when
`RateLimit-Remaining` reaches zero, and a request count.

A dead host is given up quickly, for the whole scan: a refused connection twice, a host that
accepts and stays silent after two timeouts, or when waiting and retrying together pass the
`max_wait` budget; later requests then fail at once.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import gitlab
import gitlab.exceptions
import requests

from ospo_scan.connectors.interface import CONNECT_TIMEOUT, connection_problem, connection_refused
from ospo_scan.errors import ConnectorError, TargetRejected
from ospo_scan.untrusted.answer_limits import AnswerLimits
from ospo_scan.untrusted.answers import AnswerTooLarge, AnswerTooSlow, BoundedAdapter
from ospo_scan.untrusted.redaction import shorten

MAX_RETRIES = 8
"""Retries of one request after 429 or a transient 5xx before it counts as failed."""
TIMEOUT = (CONNECT_TIMEOUT, 60.0)
"""Seconds to wait for a connection, and for each part of an answer."""
GIVE_UP_AFTER = 2
"""Refusals or timeouts in a row after which the host is given up for the scan."""


class HostUnreachable(ConnectorError):
    """The host was given up for not answering; no further request is sent to it."""


class RateLimitTooLong(Exception):
    """The host asked the scan to wait longer than the options allow."""

    def __init__(self, wait: float, max_wait: float) -> None:
        super().__init__(
            f"GitLab asked to wait {wait:.0f} s, more than the allowed {max_wait:.0f} s"
        )
        self.wait = wait
        self.max_wait = max_wait


class RequestLog:
    """Counts the HTTP responses received (retries included), safe across threads.

    It also holds the scan's one retry budget: seconds spent waiting for rate limits and on
    attempts that failed, bounded by `max_wait`, and whether the host has been given up.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self.rate_limited = 0
        self.paused = 0
        """Times the budget ran out (`RateLimit-Remaining: 0`) and the scan waited for the reset."""
        self.spent = 0.0
        """Seconds spent waiting for rate limits and on failed attempts."""
        self.given_up: str | None = None
        """Why the host was given up, once it has been."""
        self._failures_in_a_row = 0

    def check_reachable(self) -> None:
        if self.given_up is not None:
            raise HostUnreachable(self.given_up, hint=_UNREACHABLE_HINT)

    def answered(self) -> None:
        with self._lock:
            self._failures_in_a_row = 0

    def failed(self, exc: Exception, seconds: float, max_wait: float) -> None:
        """Count a failed attempt; give the host up when it is refusing, silent or too slow."""
        with self._lock:
            self.spent += seconds
            hopeless = connection_refused(exc) or isinstance(exc, requests.Timeout)
            self._failures_in_a_row = self._failures_in_a_row + 1 if hopeless else 0
            if self._failures_in_a_row >= GIVE_UP_AFTER or self.spent > max_wait:
                self.given_up = f"GitLab cannot be reached ({connection_problem(exc)})"
        if self.given_up is not None:
            raise HostUnreachable(self.given_up, hint=_UNREACHABLE_HINT) from exc

    def spend(self, seconds: float, max_wait: float) -> None:
        """Count a wait the host asked for; refuse it when the scan's budget would be passed."""
        with self._lock:
            if self.spent + seconds > max_wait:
                raise RateLimitTooLong(self.spent + seconds, max_wait)
            self.spent += seconds

    def record(self, status: int) -> None:
        with self._lock:
            self.count += 1
            if status == 429:
                self.rate_limited += 1

    def record_pause(self) -> None:
        with self._lock:
            self.paused += 1


def _seconds_to_wait(headers: Mapping[str, str]) -> float | None:
    retry_after = headers.get("Retry-After")
    if retry_after is not None and retry_after.strip().isdigit():
        return float(retry_after)
    reset = headers.get("RateLimit-Reset")
    if reset is not None and reset.strip().isdigit():
        return max(0.0, float(reset) - time.time())
    return None


class _RateLimitHook:
    """A `requests` response hook: bounded waits and request counting."""

    def __init__(self, max_wait: float, log: RequestLog) -> None:
        self.max_wait = max_wait
        self.log = log

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.log.record(response.status_code)
        status = response.status_code
        if status >= 500:
            # python-gitlab would wait for RateLimit-Reset (the end of the rate-limit window)
            # before retrying a server error; without it, it backs off exponentially.
            response.headers.pop("RateLimit-Reset", None)
        wait = _seconds_to_wait(response.headers)
        if status == 429 or status >= 500:
            # python-gitlab sleeps for Retry-After without a bound; refuse waits that are too long.
            if wait is not None and wait > self.max_wait:
                response.close()
                raise RateLimitTooLong(wait, self.max_wait)
            if wait is not None:
                try:
                    self.log.spend(wait, self.max_wait)
                except RateLimitTooLong:
                    response.close()
                    raise
            return
        remaining = response.headers.get("RateLimit-Remaining")
        if remaining is not None and remaining.strip() == "0" and wait:
            # The budget is spent: wait for the reset rather than provoke a 429.
            self.log.record_pause()
            pause = min(wait, self.max_wait)
            self.log.spend(pause, self.max_wait)
            time.sleep(pause)


class _Session(requests.Session):
    """A session that keeps the scan's retry budget, and never sends the token to another host.

    requests strips only `Authorization` when a redirect leaves the host; python-gitlab sends the
    token as `PRIVATE-TOKEN`, which would otherwise follow a 302 to any host.
    """

    def __init__(self, max_wait: float, log: RequestLog) -> None:
        super().__init__()
        self.max_wait = max_wait
        self.log = log

    def send(self, request: Any, **kwargs: Any) -> Any:
        self.log.check_reachable()
        started = time.monotonic()
        try:
            response = super().send(request, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as exc:
            self.log.failed(exc, time.monotonic() - started, self.max_wait)
            raise
        self.log.answered()
        return response

    def rebuild_auth(self, prepared_request: Any, response: Any) -> None:
        super().rebuild_auth(prepared_request, response)
        if self.should_strip_auth(response.request.url, prepared_request.url):
            for header in _TOKEN_HEADERS:
                prepared_request.headers.pop(header, None)


_TOKEN_HEADERS = ("PRIVATE-TOKEN", "JOB-TOKEN", "Authorization")


def make_client(
    root_url: str,
    token: str | None,
    max_wait: float,
    log: RequestLog,
    timeout: tuple[float, float] = TIMEOUT,
    limits: AnswerLimits | None = None,
) -> gitlab.Gitlab:
    """A python-gitlab client for the instance at `root_url` (web root, path prefix included);
    every answer keeps to `limits` (a deadline and a size)."""
    session = _Session(max_wait, log)
    for scheme in ("http://", "https://"):
        session.mount(scheme, BoundedAdapter(limits or AnswerLimits()))
    session.hooks["response"].append(_RateLimitHook(max_wait, log))
    return gitlab.Gitlab(
        root_url,
        private_token=token,
        session=session,
        timeout=timeout,  # type: ignore[arg-type]  # requests takes (connect, read) as well
        retry_transient_errors=True,
        keep_base_url=True,
        per_page=100,
    )


_UNREACHABLE_HINT = (
    "check the URL, the network or a proxy between; --max-wait bounds retries, "
    "--answer-deadline and --scan-deadline the time given to answers"
)


def encoded(path: str) -> str:
    """A group, project or file path as GitLab wants it in a URL: every `/` encoded."""
    return quote(path, safe="")


def graphql(
    client: gitlab.Gitlab, query: str, variables: dict[str, Any], max_retries: int = MAX_RETRIES
) -> dict[str, Any]:
    """POST a GraphQL request through the client; returns the whole response (data and errors)."""
    result = client.http_post(
        f"{client.url}/api/graphql",
        post_data={"query": query, "variables": variables},
        max_retries=max_retries,
    )
    if not isinstance(result, dict):
        raise gitlab.exceptions.GitlabParsingError(error_message="GraphQL did not answer JSON")
    return result


def read_raw(
    client: gitlab.Gitlab,
    project: str,
    path: str,
    ref: str | None,
    limit: int,
    max_retries: int = MAX_RETRIES,
) -> bytes | None:
    """At most `limit` bytes of a file through the raw-file API, streamed; None when absent.

    A file in Git LFS is read as its content, not its pointer (`lfs=true`, GitLab 15.4 and
    later; older instances ignore the parameter)."""
    query: dict[str, Any] = {"lfs": "true"}
    if ref:
        query["ref"] = ref
    try:
        response = client.http_get(
            f"/projects/{encoded(project)}/repository/files/{encoded(path)}/raw",
            query_data=query,
            streamed=True,
            raw=True,
            max_retries=max_retries,
        )
    except gitlab.exceptions.GitlabHttpError as exc:
        if exc.response_code == 404:
            return None
        raise
    assert isinstance(response, requests.Response)
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(chunk_size=64 * 1024):
            chunks.append(chunk)
            size += len(chunk)
            if size >= limit:
                break
    finally:
        response.close()
    return b"".join(chunks)[:limit]


def explain(exc: BaseException, *, what: str, token_name: str | None) -> ConnectorError:
    """One clear line for a failure talking to GitLab (never the token itself)."""
    if isinstance(exc, ConnectorError):
        return exc
    if isinstance(exc, RateLimitTooLong):
        return ConnectorError(
            f"{what}: {exc}", hint="retry later, or allow a longer wait for rate limits"
        )
    if isinstance(exc, AnswerTooSlow):
        return ConnectorError(f"{what}: GitLab is silent: {exc}", hint=_UNREACHABLE_HINT)
    if isinstance(exc, AnswerTooLarge):
        return ConnectorError(f"{what}: {exc}", hint="--max-answer-mb bounds an answer's size")
    if isinstance(exc, gitlab.exceptions.GitlabAuthenticationError) or (
        isinstance(exc, gitlab.exceptions.GitlabError) and exc.response_code == 401
    ):
        if token_name:
            return TargetRejected(
                f"{what}: GitLab rejected the token in {token_name} (401 Unauthorized)",
                hint=f"check that {token_name} holds a valid, unexpired token with read_api scope",
            )
        return TargetRejected(
            f"{what}: GitLab requires authentication (401 Unauthorized)",
            hint="set GITLAB_TOKEN to a token with read_api scope",
        )
    if isinstance(exc, gitlab.exceptions.GitlabError):
        code = exc.response_code
        if code == 403:
            return ConnectorError(
                f"{what}: access forbidden (403)",
                hint="the token lacks permission or read_api scope",
            )
        detail = f"HTTP {code}" if code else "unexpected answer"
        return ConnectorError(f"{what}: GitLab answered {detail}: {_short(exc.error_message)}")
    if isinstance(exc, requests.exceptions.RequestException):
        return ConnectorError(
            f"{what}: cannot reach GitLab ({type(exc).__name__})",
            hint="check the URL and the network connection",
        )
    return ConnectorError(f"{what}: {type(exc).__name__}: {_short(str(exc))}")


def _short(message: object, limit: int = 160) -> str:
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    return shorten(" ".join(str(message).split()), limit)


def get_json(
    client: gitlab.Gitlab, path: str, query: dict[str, Any], max_retries: int
) -> dict[str, Any] | None:
    """A REST object, or None when GitLab answers 404; raises when the answer is not GitLab's."""
    try:
        result = client.http_get(path, query_data=query, max_retries=max_retries)
    except gitlab.exceptions.GitlabHttpError as exc:
        if exc.response_code == 404 and _is_gitlab_json(exc.response_body):
            return None
        if exc.response_code == 404:
            raise _not_gitlab(client.url) from exc
        raise
    if not isinstance(result, dict):
        raise _not_gitlab(client.url)
    return result


def _is_gitlab_json(body: bytes | None) -> bool:
    try:
        decoded = json.loads(body or b"")
    except ValueError:
        return False
    return isinstance(decoded, dict) and ("message" in decoded or "error" in decoded)


def _not_gitlab(root: str) -> ConnectorError:
    return ConnectorError(
        f"{root} does not answer as a GitLab instance (no GitLab API at {root}/api/v4)",
        hint="check the URL, or give the instance root with --gitlab-url",
    )


def answers_as_gitlab(
    root: str,
    token: str | None,
    log: RequestLog,
    timeout: tuple[float, float] = TIMEOUT,
    limits: AnswerLimits | None = None,
) -> bool:
    """Whether a GitLab API answers under `root` (`/version` answers JSON, 401 without a token)."""
    client = make_client(root, token, 30.0, log, timeout, limits)
    try:
        result = client.http_get("/version", max_retries=2)
    except gitlab.exceptions.GitlabError as exc:
        return exc.response_code == 401 and _is_gitlab_json(exc.response_body)
    except (requests.RequestException, RateLimitTooLong):
        return False
    finally:
        client.session.close()
    return isinstance(result, dict) and "version" in result
