"""scancode-toolkit's full licence index: the slow, thorough fallback.

The index takes seconds and over a gigabyte to load, so it is loaded at most once per process and
only for a text the reference table and licence names leave unexplained (an edited licence, an
uncommon one). Its expressions are translated to SPDX with the keys from scancode's own data.
"""

from __future__ import annotations

import atexit
import gc
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from license_expression import ExpressionError, Licensing

from ospo_scan.licences.igo import IGO_PORTS
from ospo_scan.licences.references import exact_table, notices

MIN_COVERAGE = 80.0
"""Matches covering less of their rule than this are too uncertain to name a licence."""
NOT_A_LICENCE = frozenset(
    {"unknown-license-reference", "unknown", "free-unknown", "unknown-spdx", "generic-cla"}
)
"""scancode keys that say "some licence is mentioned here" without naming one."""

_TOKEN = re.compile(r"[()]|[^\s()]+")
_OPERATORS = frozenset({"and", "or", "with"})
_lock = threading.Lock()
_scancode_licensing = Licensing()


@cache
def _full_index() -> Any:
    with _lock:
        module = licensedcode_cache()
        if not index_cached(module.licensedcode_cache_dir):
            notices.info(
                "building scancode's full licence index; this takes minutes once, "
                "then scancode caches it"
            )
        index = module.get_index()
        gc.freeze()  # keep the collector off the index's millions of objects
    return index


def index_cached(cache_dir: str) -> bool:
    """Whether scancode's licence index is already built in its cache directory."""
    module = licensedcode_cache()
    index = Path(cache_dir) / str(module.LICENSE_INDEX_DIR) / str(module.LICENSE_INDEX_FILENAME)
    return index.is_file() and index.stat().st_size > 0


@cache
def licensedcode_cache() -> Any:
    """scancode's index module; importing it makes a temporary directory, removed at exit
    (and on SIGTERM or SIGHUP by the command line, through `remove_temporary_directories`).

    scancode makes its directory while it is imported, seconds before it could be known here; so
    it makes it inside one of ours, registered before it exists: a signal at any moment of the
    import finds it."""
    import secrets  # here: only loading scancode's full index needs it

    atexit.register(remove_temporary_directories)
    base = os.environ.get("SCANCODE_TEMP") or tempfile.gettempdir()
    ours = Path(base) / f"ospo-scan-{os.getpid()}-{secrets.token_hex(6)}"
    _temporary_directories.append(str(ours))
    ours.mkdir(mode=0o700, parents=True)
    previous = os.environ.get("SCANCODE_TEMP")
    os.environ["SCANCODE_TEMP"] = str(ours)
    try:
        import licensedcode.cache
    finally:
        if previous is None:
            os.environ.pop("SCANCODE_TEMP", None)
        else:
            os.environ["SCANCODE_TEMP"] = previous
    import scancode_config

    if Path(scancode_config.scancode_temp_dir).parent != ours:  # imported before, elsewhere
        _temporary_directories.append(scancode_config.scancode_temp_dir)
    return licensedcode.cache


_temporary_directories: list[str] = []


def remove_temporary_directories() -> None:
    """Remove the temporary directories scancode made in this process; safe in a signal
    handler, and when called again."""
    for directory in tuple(_temporary_directories):
        shutil.rmtree(directory, ignore_errors=True)


def load_full_index() -> None:
    """Load the full index now (seconds and over a gigabyte, once per process), so that a
    deadline on matching does not count the loading."""
    _full_index()


def full_index_loaded() -> bool:
    return _full_index.cache_info().currsize > 0


def scancode_keys(expression: str) -> list[str]:
    try:
        return [str(key) for key in _scancode_licensing.license_keys(expression)]
    except ExpressionError:
        return []


def to_spdx(scancode_expression: str) -> str:
    """A scancode expression in SPDX ids (`LicenseRef-scancode-<key>` where SPDX has none)."""
    spdx_keys = exact_table().spdx_keys
    rendered = []
    for token in _TOKEN.findall(scancode_expression):
        if token.lower() in _OPERATORS:
            rendered.append(token.upper())
        elif token in "()":
            rendered.append(token)
        else:
            rendered.append(
                spdx_keys.get(token) or IGO_PORTS.get(token) or f"LicenseRef-scancode-{token}"
            )
    return " ".join(rendered).replace("( ", "(").replace(" )", ")")


def full_index_expressions(text: str, deadline: float | None = None) -> list[str]:
    """scancode expressions of the licences the full index finds in a text, in text order;
    past `deadline` (a `time.time()` value) scancode stops and gives what it found so far."""
    return [found.expression for found in full_index_matches(text, deadline)]


@dataclass(frozen=True)
class FullIndexMatch:
    """One licence the full index finds in a text."""

    expression: str
    """The scancode expression of the rule matched."""
    is_text: bool
    """The rule is a licence's text (or a large part of it), not a notice, a reference or a
    mention naming the licence."""


def full_index_matches(text: str, deadline: float | None = None) -> list[FullIndexMatch]:
    """The licences the full index finds in a text, in text order; past `deadline` (a
    `time.time()` value) scancode stops and gives what it found so far."""
    index = _full_index()
    if deadline is None:
        matches = index.match(query_string=text)
    else:
        matches = index.match(query_string=text, deadline=deadline)
    found: list[FullIndexMatch] = []
    for match in sorted(matches, key=lambda m: m.qstart):
        rule = match.rule
        if match.coverage() < MIN_COVERAGE or rule.is_license_intro or rule.is_license_clue:
            continue
        keys = set(scancode_keys(rule.license_expression))
        if not keys or keys <= NOT_A_LICENCE:
            continue
        is_text = bool(rule.is_license_text or getattr(rule, "is_from_license", False))
        found.append(FullIndexMatch(str(rule.license_expression), is_text))
    return found
