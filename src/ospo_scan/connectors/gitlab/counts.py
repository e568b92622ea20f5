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
from ospo_scan.snapshot import FileCounter, FileTypes

MAX_LISTED_ENTRIES = 5_000
"""Tree entries (files and directories) listed per project: at most 50 requests."""
_PER_PAGE = 100


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
                tally.add_listed(entry)
                if listed >= limit:
                    return tally.file_types(complete=False)
        except (gitlab.exceptions.GitlabError, requests.RequestException, RateLimitTooLong):
            return None  # the rules say the tree could not be counted
        return tally.file_types()

    return count
