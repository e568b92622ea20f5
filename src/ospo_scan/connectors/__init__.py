"""Connectors: local directories, GitHub and GitLab."""

from __future__ import annotations

from ospo_scan._compat import assert_never
from ospo_scan.connectors.interface import Connector, TargetKind


def connector_for(kind: TargetKind) -> Connector:
    """The connector that reads targets of `kind` (imported lazily: hosts pull in their clients)."""
    match kind:
        case TargetKind.LOCAL:
            from ospo_scan.connectors.local import LocalConnector

            return LocalConnector()
        case TargetKind.GITHUB:
            from ospo_scan.connectors.github import GitHubConnector

            return GitHubConnector()
        case TargetKind.GITLAB:
            from ospo_scan.connectors.gitlab import GitLabConnector

            return GitLabConnector()
        case _:
            assert_never(kind)
