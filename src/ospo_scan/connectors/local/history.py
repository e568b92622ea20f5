"""The default branch's recent history, read from `.git/objects` without running git.

The walk follows first parents from the head commit and stops at the first commit older than the
activity window, at the root, or after `MAX_HISTORY_COMMITS` commits within the window. A commit
that cannot be read (a shallow clone's boundary, a borrowed object, a bound) ends the walk and
marks what was read as incomplete, so a rule never mistakes "could not see" for "nobody".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ospo_scan.connectors.local.objects import ObjectStore
from ospo_scan.snapshot import (
    ACTIVITY_WINDOW_DAYS,
    MAX_HISTORY_COMMITS,
    RecentCommits,
    is_automation,
)
from ospo_scan.untrusted.linear_regex import linear

_SIGNATURE = linear(r"^(?P<name>.*?)\s*<(?P<email>[^<>]*)>\s+(?P<time>\d{1,12})\s+[+-]\d{4}\s*$")


@dataclass(frozen=True)
class Commit:
    """What the walk needs of one commit."""

    first_parent: str | None
    """The first parent's id; None for a root commit."""
    author_name: str
    author_email: str
    committed_at: datetime | None
    """The committer's timestamp; None when the header is missing or malformed."""


@dataclass(frozen=True)
class History:
    """What the history walk found."""

    last_commit_at: datetime | None
    """When the head commit was committed."""
    recent: RecentCommits | None
    """The window's commits; None when not even the head commit could be read."""


def parse_commit(content: bytes) -> Commit:
    """The headers of a commit object (the message is not read)."""
    parent: str | None = None
    author = ("", "")
    committed: datetime | None = None
    for line in content.split(b"\n\n", 1)[0].split(b"\n"):
        key, _, value = line.partition(b" ")
        text = value.decode("utf-8", errors="replace")
        if key == b"parent" and parent is None:
            parent = text.strip()
        elif key == b"author" and (match := _SIGNATURE.match(text)):
            author = (match.group("name"), match.group("email"))
        elif key == b"committer" and (match := _SIGNATURE.match(text)):
            try:
                committed = datetime.fromtimestamp(int(match.group("time")), timezone.utc)
            except (ValueError, OverflowError, OSError):
                committed = None  # a date no calendar holds: malformed
    return Commit(parent, author[0], author[1], committed)


def read_history(common_dir: Path, head: str, now: datetime) -> History:
    """Walk the default branch's first-parent history back over the activity window."""
    since = now - timedelta(days=ACTIVITY_WINDOW_DAYS)
    people: dict[str, None] = {}
    commits = 0
    last_commit_at: datetime | None = None
    complete = False
    object_id: str | None = head
    with ObjectStore(common_dir) as store:
        while object_id is not None:
            found = store.read(object_id)
            if found is None or found[0] != "commit":
                break
            commit = parse_commit(found[1])
            if commits == 0 and last_commit_at is None:
                last_commit_at = commit.committed_at
                if last_commit_at is None:
                    break
            if commit.committed_at is None:
                break
            if commit.committed_at < since:
                complete = True
                break
            if commits == MAX_HISTORY_COMMITS:
                break
            commits += 1
            identity = commit.author_email.strip().lower()
            if identity and not is_automation(commit.author_name, identity):
                people.setdefault(identity)
            object_id = commit.first_parent
            complete = object_id is None
    if last_commit_at is None:
        return History(None, None)
    recent = RecentCommits(since, commits, tuple(people), complete)
    return History(last_commit_at, recent)
