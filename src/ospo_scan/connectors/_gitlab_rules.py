"""Which files rules read, so that only their texts are fetched from GitLab."""

from __future__ import annotations

import posixpath

from ospo_scan.evidence import SEARCH_DIRECTORIES, FileKind, matches_kind
from ospo_scan.licences.files import is_licence_name

_ROOT_FILES_READ = frozenset(
    {
        "package.json",
        "pyproject.toml",
        "setup.cfg",
        "cargo.toml",
        "description",
        "composer.json",
        "pom.xml",
        "publiccode.yml",
        "publiccode.yaml",
        ".ospo-scan.toml",
    }
)
"""Manifests (declared licences), publiccode.yml and the repository's own exemptions."""


def is_read_by_rules(path: str) -> bool:
    """Whether a rule reads this file's text (as opposed to only noting that it exists).

    A file read that is not in this list still works: it is fetched on demand, one request.
    """
    directory, name = posixpath.split(path)
    if directory in SEARCH_DIRECTORIES and any(matches_kind(name, kind) for kind in FileKind):
        return True
    if directory == "LICENSES":
        return True
    lowered = name.lower()
    return directory == "" and (
        is_licence_name(name) or lowered in _ROOT_FILES_READ or lowered.endswith(".gemspec")
    )
