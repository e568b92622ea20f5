"""Answers from hosts, bounded in time and size, as a `requests` transport adapter.

A read timeout bounds the wait for each part of an answer, so a host that sends one byte every
two seconds is never timed out, and `requests` reads a body whole, so a 3 GB answer exhausts
memory. `BoundedAdapter` gives every answer a deadline, headers and body together (and every
scan one, after which no answer is awaited), and reads bodies in pieces up to a size bound.
Past its deadline an answer is `AnswerTooSlow`, a read timeout: the host counts as silent.

The deadline is kept by a watchdog thread that shuts the connection's socket down, the one way
to end a read that keeps receiving a byte now and then.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

import requests
import requests.adapters
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ospo_scan.untrusted.answer_limits import MIB, AnswerLimits

_PIECE = 64 * 1024


class AnswerTooSlow(requests.exceptions.ReadTimeout):
    """The answer did not arrive whole within its deadline, or the scan's deadline passed."""


class AnswerTooLarge(requests.exceptions.RequestException):
    """The answer's body is larger than the bound."""


class _Watchdog:
    """Shuts down the sockets of one request when its deadline passes."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._lock = threading.Lock()
        self._connections: list[HTTPConnection] = []
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._timer.cancel()

    def enlist(self, connection: HTTPConnection) -> None:
        with self._lock:
            self._connections.append(connection)
            fired = self.fired
        if fired:
            _shut(connection)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            connections = list(self._connections)
        for connection in connections:
            _shut(connection)


def _shut(connection: HTTPConnection) -> None:
    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


_current = threading.local()


def _enlist(connection: HTTPConnection) -> None:
    watchdog: _Watchdog | None = getattr(_current, "watchdog", None)
    if watchdog is not None:
        watchdog.enlist(connection)


class _Connection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _enlist(self)
        super().request(*args, **kwargs)


class _TLSConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _enlist(self)
        super().request(*args, **kwargs)


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


_POOLS = {"http": _Pool, "https": _TLSPool}


class BoundedAdapter(requests.adapters.HTTPAdapter):
    """A transport adapter whose every answer keeps to `limits`."""

    def __init__(self, limits: AnswerLimits, **kwargs: Any) -> None:
        self.limits = limits
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if hasattr(manager, "pool_classes_by_scheme") and not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = _POOLS  # an HTTP proxy: the same connections
        return manager

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, stream: bool = False, **kwargs: Any
    ) -> requests.Response:
        seconds = self.limits.seconds_left()
        if seconds <= 0:
            raise AnswerTooSlow("the scan's deadline for this host has passed", request=request)
        watchdog = _Watchdog(seconds)
        _current.watchdog = watchdog
        watchdog.start()
        try:
            response = super().send(request, stream=True, **kwargs)
            if stream:
                _cancel_on_close(response, watchdog)
            else:
                response._content = _body(response, self.limits.max_bytes)
                response._content_consumed = True
        except requests.RequestException as exc:
            watchdog.cancel()
            if watchdog.fired and not isinstance(exc, AnswerTooLarge):
                raise AnswerTooSlow(_too_slow(seconds), request=request) from exc
            raise
        finally:
            _current.watchdog = None
            if not stream:
                watchdog.cancel()
        if watchdog.fired:
            raise AnswerTooSlow(_too_slow(seconds), request=request)
        return response


def _too_slow(seconds: float) -> str:
    return f"the answer did not arrive whole within {seconds:.0f} s"


def _cancel_on_close(response: requests.Response, watchdog: _Watchdog) -> None:
    """A streamed body is read by the caller: its deadline holds until the response closes."""
    close = response.close

    def closing() -> None:
        watchdog.cancel()
        close()

    response.close = closing  # type: ignore[method-assign]


def _body(response: requests.Response, max_bytes: int) -> bytes:
    """The whole body, read in pieces; AnswerTooLarge as soon as it passes `max_bytes`."""
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        response.close()
        raise AnswerTooLarge(_too_large(max_bytes), response=response)
    pieces: list[bytes] = []
    size = 0
    try:
        for piece in response.raw.stream(_PIECE, decode_content=True):
            size += len(piece)
            if size > max_bytes:
                raise AnswerTooLarge(_too_large(max_bytes), response=response)
            pieces.append(piece)
    except requests.RequestException:
        response.close()
        raise
    except Exception as exc:  # urllib3's own errors, as requests would have wrapped them
        response.close()
        raise requests.exceptions.ConnectionError(exc, response=response) from exc
    return b"".join(pieces)


def _too_large(max_bytes: int) -> str:
    return f"the answer is larger than {max_bytes / MIB:g} MiB"
