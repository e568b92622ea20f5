"""A repository's files counted by type from its recursive git tree: one REST request, made only
when a rule asks (the licence rules, for a repository under content licences only)."""

from __future__ import annotations

import urllib.parse
from typing import Any

from ospo_scan.connectors.github.client import GitHubClient
from ospo_scan.connectors.github.errors import GitHubRequestError, RateLimitExhausted
from ospo_scan.connectors.interface import FileTally
from ospo_scan.snapshot import FileCounter, FileTypes


def tree_file_types(tree: Any) -> FileTypes | None:
    """Files per extension in a `git/trees/{sha}?recursive=1` answer; None for anything else."""
    if not isinstance(tree, dict) or not isinstance(tree.get("tree"), list):
        return None
    tally = FileTally()
    for entry in tree["tree"]:
        tally.add_listed(entry)
    return tally.file_types(complete=not tree.get("truncated"))


def tree_counter(client: GitHubClient, full_name: str, branch: str | None) -> FileCounter:
    """Counts the repository's files when called, with one request for its recursive tree."""

    def count() -> FileTypes | None:
        if not branch:
            return None
        ref = urllib.parse.quote(branch, safe="")
        try:
            tree = client.rest_get(f"/repos/{full_name}/git/trees/{ref}", {"recursive": "1"})
        except (GitHubRequestError, RateLimitExhausted):  # the licence is judged without it
            return None
        return tree_file_types(tree)

    return count
