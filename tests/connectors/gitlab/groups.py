"""GitLab instances to test against: nested subgroups; archived, forked, empty, private projects."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ospo_scan.connectors.interface import RepoFailure
from ospo_scan.snapshot import EntryKind, Snapshot
from tests.connectors.gitlab.fake_model import LINK_MODE, Blob, FakeInstance, FakeProject

MIT = (
    "MIT License\n\nCopyright (c) 2024 Example\n\nPermission is hereby granted, free of charge...\n"
)


def nested_group() -> FakeInstance:
    """`top` with subgroups three levels deep, plus a neighbour group that must not leak in."""
    instance = FakeInstance()
    instance.add_project(
        FakeProject.from_texts(
            "top/a",
            {
                "README.md": "# A\n\nInstall with pip.\n",
                "LICENSE": MIT,
                "package.json": '{"name": "a", "license": "MIT"}\n',
                "docs/CONTRIBUTING.md": "# Contributing\n\nOpen a merge request.\n",
                ".github/SECURITY.md": "Report to security@example.org\n",
                ".gitlab/issue_templates/bug.md": "Bug\n",
                ".gitlab/merge_request_templates/default.md": "MR\n",
                "LICENSES/MIT.txt": MIT,
                "src/main.py": "print('a')\n",
            },
            description="Project A",
            topics=("open-source", "un"),
            licence_key="mit",
        )
    )
    instance.add_project(FakeProject.from_texts("top/sub1/b", {"README": "b\n"}, archived=True))
    instance.add_project(
        FakeProject.from_texts("top/sub1/sub2/c", {"README.md": "c\n"}, forked_from="top/a")
    )
    instance.add_project(
        FakeProject.from_texts(
            "top/sub1/sub2/sub3/d", {"CHANGELOG.md": "## 1.0\n"}, protected_branches=()
        )
    )
    instance.add_project(FakeProject("top/empty"))
    instance.add_project(
        FakeProject.from_texts("top/sub1/private-p", {"README.md": "p\n"}, visibility="private")
    )
    instance.add_project(
        FakeProject.from_texts("top/internal-i", {"README.md": "i\n"}, visibility="internal")
    )
    instance.add_project(FakeProject.from_texts("other/x", {"README.md": "x\n"}))
    return instance


PUBLIC_TOP = {"top/a", "top/sub1/b", "top/sub1/sub2/c", "top/sub1/sub2/sub3/d", "top/empty"}


def linked_project() -> FakeProject:
    """Symbolic links of every sort, next to the files they point at."""
    project = FakeProject.from_texts(
        "links/p",
        {
            "docs/CONTRIBUTING.md": "real contributing\n",
            "docs/HISTORY.md": "history\n",
            "src/README.md": "readme in src\n",
        },
    )
    links = {
        "CONTRIBUTING.md": "docs/CONTRIBUTING.md",
        "SECURITY.md": "../outside/SECURITY.md",
        "LICENSE": "/etc/passwd",
        "CODE_OF_CONDUCT.md": "missing.md",
        "README.md": "src/README.md",
        "GOVERNANCE.md": "docs",
        "CHANGELOG.md": "CHANGES.md",
        "CHANGES.md": "docs/HISTORY.md",
    }
    for path, target in links.items():
        project.files[path] = Blob(LINK_MODE, target.encode())
    return project


def digest(
    items: dict[str, Snapshot | RepoFailure], *, graphql_only: bool = True
) -> dict[str, Any]:
    """Everything a rule could see of each repository: metadata, entries and every file's bytes.

    Without `graphql_only`, the facts only GraphQL reads (newcomer issues, release tags) are
    left out: a scan through REST alone does not know them (their rules are not-applicable)."""
    seen: dict[str, Any] = {}
    for name, item in sorted(items.items()):
        if isinstance(item, RepoFailure):
            seen[name] = ("failure", item.reason)
            continue
        files = {
            entry.path: (entry.kind, item.read_bytes(entry.path))
            for entries in item.listings.values()
            for entry in entries
            if entry.kind is not EntryKind.DIRECTORY
        }
        metadata = item.metadata
        if not graphql_only:
            host = replace(metadata.host, newcomer_issues=None)
            metadata = replace(metadata, tags=None, host=host)
        seen[name] = (metadata, sorted(item.listings), files)
    return seen
