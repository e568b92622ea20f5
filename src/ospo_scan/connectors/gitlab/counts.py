"""A project's files counted by type from its recursive repository tree, made only when a rule
asks (the binary-artefact controls; the licence rules, for a project under content licences).

GitLab lists a tree a hundred entries a page, directories included, so the count costs one
request per hundred entries, and stops after `MAX_LISTED_ENTRIES`: a larger tree is judged on
the entries met first, and said to be incomplete.
"""

from __future__ import annotations

import gitlab
import gitlab.exceptions
import requests

from ospo_scan.connectors.gitlab.http import RateLimitTooLong, encoded
from ospo_scan.connectors.interface import FileTally
from ospo_scan.snapshot import FileCounter, FileTypes, counts_towards_types

MAX_LISTED_ENTRIES = 5_000
"""Tree entries (files and directories) listed per project: at most 50 requests."""
_PER_PAGE = 100
_LINK_MODE = "120000"


def tree_counter(
    client: gitlab.Gitlab,
    project: str,
    ref: str | None,
    max_retries: int,
    limit: int = MAX_LISTED_ENTRIES,
) -> FileCounter:
    """Counts the project's files when called (None when GitLab would not list its tree)."""

    def count() -> FileTypes | None:
        if not ref:
            return None
        tally = FileTally()
        query = {"recursive": "true", "ref": ref, "per_page": _PER_PAGE}
        try:
            entries = client.http_list(
                f"/projects/{encoded(project)}/repository/tree",
                query_data=query,
                iterator=True,
                max_retries=max_retries,
            )
            for listed, entry in enumerate(entries, start=1):
                if _counted_file(entry):
                    tally.add(str(entry["path"]))
                if listed >= limit:
                    return tally.file_types(complete=False)
        except (gitlab.exceptions.GitlabError, requests.RequestException, RateLimitTooLong):
            return None  # the rules say the tree could not be counted
        return tally.file_types()

    return count


def _counted_file(entry: object) -> bool:
    """A file of the project's own (not a directory, submodule or link, not under a hidden or
    dependency directory)."""
    if not isinstance(entry, dict) or entry.get("type") != "blob":
        return False
    path = entry.get("path")
    return isinstance(path, str) and entry.get("mode") != _LINK_MODE and counts_towards_types(path)
