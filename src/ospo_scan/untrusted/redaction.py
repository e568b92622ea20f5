"""The secrets a scan holds, and their removal from every string that leaves the process.

A host, or a proxy in front of it, may echo the credential it was sent in an error body; that
body then travels into per-repository errors, logs and every report format. So whatever reads a
secret registers its value here, and the report, the log and the error line are redacted by
value before anyone sees them.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any, TypeVar
from urllib.parse import SplitResult, unquote, urlsplit

from ospo_scan.untrusted.display import neutralise

MASK = "***"
_SHORTEST = 4
"""Shorter values would mask ordinary words; no real token is that short."""
LONG_PREFIX = 8
"""A secret's beginning this long is masked as the secret is: text cut short (by a host, a
library or a report) may hold most of a secret without its end."""

_lock = threading.Lock()
_secrets: set[str] = set()

T = TypeVar("T")


def register_secret(value: str | None) -> None:
    """Remember a secret so that `redact` removes it (its URL-encoded form too)."""
    if not value or len(value) < _SHORTEST:
        return
    with _lock:
        _secrets.add(value)
        _secrets.add(unquote(value))


def redact(text: str) -> str:
    """`text` without any registered secret, nor any of its first LONG_PREFIX characters or
    more (what is left of a secret cut short)."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)  # a longer secret may hold a shorter
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for secret in secrets:
        text = _without_prefixes(text, secret)
    return text


def _without_prefixes(text: str, secret: str) -> str:
    start = secret[: min(LONG_PREFIX, len(secret))]
    found = text.find(start)
    if found < 0:
        return text
    kept: list[str] = []
    position = 0
    while found >= 0:
        end = found + len(start)
        while end < len(text) and end - found < len(secret) and text[end] == secret[end - found]:
            end += 1
        kept += [text[position:found], MASK]
        position = end
        found = text.find(start, end)
    kept.append(text[position:])
    return "".join(kept)


def shorten(text: str, limit: int) -> str:
    """Host text cut to `limit` characters for display, redacted before the cut and after it
    (a cut may leave a secret's beginning that no longer reads as the secret)."""
    text = redact(text)
    return text if len(text) <= limit else redact(text[: limit - 1]) + "…"


def redacted(value: T) -> T:
    """`value` (a string, a frozen dataclass, or tuples and dicts of them) with secrets redacted."""
    result: Any = value
    if type(value) is str:
        result = redact(str(value))
    elif isinstance(value, tuple):
        result = tuple(redacted(item) for item in value)
    elif isinstance(value, list):
        result = [redacted(item) for item in value]
    elif isinstance(value, dict):
        result = {redacted(key): redacted(item) for key, item in value.items()}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: redacted(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.init
        }
        result = dataclasses.replace(value, **changes)
    return result  # type: ignore[no-any-return]


def without_credentials(url: str) -> str:
    """`url` with any `user:password@` removed, both registered as secrets."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.username is None and parts.password is None:
        return url
    register_secret(parts.password)
    register_secret(parts.username)
    host = parts.netloc.rsplit("@", 1)[-1]
    return SplitResult(parts.scheme, host, parts.path, parts.query, parts.fragment).geturl()


def has_credentials(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return "@" in parts.netloc


class RedactingFormatter(logging.Formatter):
    """A log formatter whose whole output (tracebacks included) is redacted, and inert."""

    def format(self, record: logging.LogRecord) -> str:
        return neutralise(redact(super().format(record)), keep_line_breaks=True)
