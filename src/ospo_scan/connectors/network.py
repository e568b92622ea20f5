"""What went wrong on the way to a host, for connectors deciding whether to try again."""

from __future__ import annotations

import requests

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a connection: a host that drops connection attempts is given up soon."""


def connection_refused(exc: BaseException) -> bool:
    """Whether a connection was refused (nothing listens), anywhere in the exception's causes."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, ConnectionRefusedError) or "Connection refused" in str(seen):
            return True
        seen = (
            seen.__cause__
            or seen.__context__
            or (seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
        )
    return False


def connection_problem(exc: BaseException) -> str:
    if connection_refused(exc):
        return "connection refused"
    if isinstance(exc, requests.ConnectTimeout):
        return "no connection within the timeout"
    if isinstance(exc, requests.ReadTimeout):
        return "no answer within the timeout"
    return type(exc).__name__
