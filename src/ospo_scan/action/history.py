"""The Action's memory: every audit's JSON report kept on a branch, the store rebuilt from them.

A branch (default `ospo-scan-history`) of the repository running the workflow, or of the one the
`history-repository` input names, holds one gzipped report per audit under a directory per set
of targets. Before the scan, `restore` fetches that directory and records every report into a
fresh history store; after the scan, `save` adds the new report and pushes.

Why a branch: it lasts as long as the repository (a cache entry unused for seven days is evicted,
an artifact expires), each audit adds one file, so two audits running at once add two different
files and the one that pushes second rebases and pushes again without conflict. A failure to
fetch or push never fails the audit; it is a warning, and that week is not remembered.

What is on the branch is untrusted (anyone who can push to it can put anything there), and it
grows by one report a week. So `restore` reads only the newest reports, as many as the trends
chart and the diff use, and of those only regular files, each read and decompressed up to a
bound; a report that cannot be read, decompressed, parsed or recorded is skipped with a warning,
and a store that cannot be built leaves the audit without history, never without its report.

The token reaches git through `GIT_CONFIG_*` environment variables, never a command line or URL.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import io
import json
import os
import re
import sqlite3
import subprocess
import tempfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.errors import OspoScanError
from ospo_scan.formats.json import format_json
from ospo_scan.history.store import open_store
from ospo_scan.history.trends import MAX_POINTS
from ospo_scan.report.loader import parse_report
from ospo_scan.untrusted.bounded_read import read_regular_file

DEFAULT_BRANCH = "ospo-scan-history"
PUSH_ATTEMPTS = 5
RESTORED_REPORTS = MAX_POINTS
"""The newest reports restored: the trends chart's points (the diff needs only the last)."""
MAX_REPORT_BYTES = 64 * 1024 * 1024
"""The most a kept report may take, gzipped or not: a report of thousands of repositories is a
few megabytes."""
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class HistoryPlace:
    """Where the audits of one set of targets are remembered."""

    remote: str
    """The git remote: an https URL of a repository, or a path (tests, self-hosted mirrors)."""
    branch: str
    """The branch holding the reports."""
    directory: str
    """The directory of this set of targets on the branch."""
    checkout: Path
    """The local working copy of the branch."""
    store: Path
    """The history store rebuilt from the branch for this run."""

    @classmethod
    def from_environment(cls, env: Mapping[str, str], targets: tuple[str, ...]) -> HistoryPlace:
        temp = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir())
        repository = env.get("OSPO_SCAN_HISTORY_REPOSITORY", "").strip() or env.get(
            "GITHUB_REPOSITORY", ""
        )
        if not repository or "://" in repository or repository.startswith(("/", ".")):
            remote = repository
        else:
            server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
            remote = f"{server}/{repository}.git"
        slug = _SLUG.sub("-", " ".join(targets)).strip("-.") or "default"
        return cls(
            remote=remote,
            branch=env.get("OSPO_SCAN_HISTORY_BRANCH", "").strip() or DEFAULT_BRANCH,
            directory=f"reports/{slug[:100]}",
            checkout=temp / "ospo-scan-history-branch",
            store=temp / "ospo-scan-history.sqlite3",
        )


class GitFailed(Exception):
    """A git command failed; the message is git's own last line, token-free."""


def _git(place: HistoryPlace, env: Mapping[str, str], *arguments: str) -> str:
    environment = {
        "PATH": env.get("PATH", os.defpath),
        "HOME": env.get("RUNNER_TEMP") or tempfile.gettempdir(),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": "ospo-scan",
        "GIT_AUTHOR_EMAIL": "ospo-scan@users.noreply.github.com",
        "GIT_COMMITTER_NAME": "ospo-scan",
        "GIT_COMMITTER_EMAIL": "ospo-scan@users.noreply.github.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    token = env.get("OSPO_SCAN_HISTORY_TOKEN", "").strip() or env.get("GITHUB_TOKEN", "")
    if token and place.remote.startswith("https://"):
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        environment.update(
            {
                "GIT_CONFIG_COUNT": "1",
                "GIT_CONFIG_KEY_0": "http.extraheader",
                "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}",
            }
        )
    completed = subprocess.run(
        ["git", *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        lines = (completed.stderr or completed.stdout).strip().splitlines()
        message = lines[-1] if lines else f"git {arguments[0]} failed"
        raise GitFailed(message.replace(token, "***") if token else message)
    return completed.stdout


@dataclass(frozen=True)
class Restored:
    """What `restore` did."""

    usable: bool
    """The store holds the restored history (False: the audit runs without history)."""
    note: str
    """One line saying what happened."""
    skipped: tuple[str, ...] = ()
    """`name: why` of each kept report that could not be restored."""


def restore(place: HistoryPlace, env: Mapping[str, str]) -> Restored:
    """Fetch the branch and rebuild the store from its newest reports."""
    if not place.remote:
        return Restored(False, "no repository to keep the history in (set history-repository)")
    checkout = str(place.checkout)
    try:
        place.checkout.mkdir(parents=True, exist_ok=True)
        _git(place, env, "init", "--quiet", checkout)
        if "origin" in _git(place, env, "-C", checkout, "remote").split():
            _git(place, env, "-C", checkout, "remote", "remove", "origin")
        _git(place, env, "-C", checkout, "remote", "add", "origin", place.remote)
        heads = _git(place, env, "-C", checkout, "ls-remote", "--heads", "origin", place.branch)
        if heads.strip():
            _git(place, env, "-C", checkout, "fetch", "--quiet", "origin", place.branch)
            _git(
                place, env, "-C", checkout, "checkout", "--quiet", "-B", place.branch, "FETCH_HEAD"
            )
        else:
            _git(place, env, "-C", checkout, "checkout", "--quiet", "--orphan", place.branch)
    except (GitFailed, OSError) as exc:
        return Restored(False, f"the history branch {place.branch} could not be fetched: {exc}")
    try:
        return _rebuild(place)
    except (OSError, sqlite3.Error, OspoScanError) as exc:
        return Restored(False, f"the history store could not be built: {exc}")


def _rebuild(place: HistoryPlace) -> Restored:
    directory = place.checkout / place.directory
    if not _stays_inside(place):
        return Restored(False, f"{place.directory} on branch {place.branch} leaves the checkout")
    kept = sorted(directory.glob("*.json.gz")) if directory.is_dir() else []
    newest = kept[-RESTORED_REPORTS:]
    skipped: list[str] = []
    with open_store(place.store) as store:
        for path in newest:
            try:
                text = _report_text(path)
                store.record_scan(parse_report(text, origin=path.name), text, format_json)
            except _UNREADABLE as exc:
                skipped.append(f"{path.name}: {_why(exc)}")
    restored = len(newest) - len(skipped)
    note = f"{restored} earlier audits restored from branch {place.branch}"
    if len(kept) > len(newest):
        note += f" (the newest {len(newest)} of {len(kept)})"
    return Restored(True, note, tuple(skipped))


_UNREADABLE = (
    OSError,
    EOFError,
    zlib.error,
    UnicodeDecodeError,
    ValueError,
    RecursionError,
    OspoScanError,
    sqlite3.Error,
)
"""What a kept report that cannot be restored raises: unreadable, not gzip, not a report (JSON
nested too deep for the parser included), or not recordable."""


def _stays_inside(place: HistoryPlace) -> bool:
    """The targets' directory on the branch is no link out of the checkout."""
    checkout = place.checkout.resolve()
    return (place.checkout / place.directory).resolve().is_relative_to(checkout)


def _report_text(path: Path) -> str:
    """A kept report's JSON text: a regular file (never through a link), bounded both gzipped
    and decompressed."""
    data = read_regular_file(path, MAX_REPORT_BYTES + 1)
    if len(data) > MAX_REPORT_BYTES:
        raise ValueError(f"larger than {MAX_REPORT_BYTES // 2**20} MiB")
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
        text = unzipped.read(MAX_REPORT_BYTES + 1)
    if len(text) > MAX_REPORT_BYTES:
        raise ValueError(f"larger than {MAX_REPORT_BYTES // 2**20} MiB once decompressed")
    return text.decode("utf-8")


def _why(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    if isinstance(exc, OspoScanError):
        return exc.one_line()
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def save(place: HistoryPlace, env: Mapping[str, str], report: Path, name: str) -> str:
    """Add the audit's report to the branch and push it, rebasing on a concurrent audit."""
    if not _stays_inside(place):
        raise GitFailed(f"{place.directory} on branch {place.branch} leaves the checkout")
    target = place.checkout / place.directory / f"{name}.json.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(gzip.compress(report.read_bytes(), mtime=0))
    checkout = str(place.checkout)
    _git(place, env, "-C", checkout, "add", "--", str(target.relative_to(place.checkout)))
    _git(place, env, "-C", checkout, "commit", "--quiet", "-m", f"ospo-scan audit {name}")
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        try:
            _git(place, env, "-C", checkout, "push", "--quiet", "origin", f"HEAD:{place.branch}")
            return f"audit {name} saved to branch {place.branch}"
        except GitFailed:
            if attempt == PUSH_ATTEMPTS:
                raise
            # another audit pushed first: its report is another file, so the rebase is clean
            _git(place, env, "-C", checkout, "pull", "--quiet", "--rebase", "origin", place.branch)
    raise AssertionError("unreachable")


def audit_name(report: Path, run_id: str) -> str:
    """The name an audit's report is kept under: its start time, then the workflow run's id (two
    runs starting in the same second keep two files)."""
    started = ""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        started = str(json.loads(report.read_text(encoding="utf-8"))["scan"]["started"])
    name = re.sub(r"[^0-9A-Za-z.-]", "-", started or "undated")
    run = re.sub(r"[^0-9A-Za-z.-]", "-", run_id.strip())
    return f"{name}-{run}" if run else name
