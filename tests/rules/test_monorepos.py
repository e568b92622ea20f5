"""Monorepos keep licences and changelogs per package: npm/yarn/pnpm, lerna, Cargo and uv
workspaces, scanned from real git repositories."""

from __future__ import annotations

import json
from pathlib import Path

from ospo_scan.fix.licence_text import licence_text
from ospo_scan.model import Outcome
from ospo_scan.rules.workspaces import MAX_PACKAGES
from ospo_scan.scan.evaluation import evaluate_repository
from ospo_scan.snapshot import EntryKind, FileEntry, Snapshot
from tests.conftest import RepoFactory
from tests.scanning import default_ruleset, evaluate, result

README = "# Toolkit\n\nShared components for the agency's web forms. Install with npm install.\n"
MIT = licence_text("MIT", "Agency for Digital Services", 2025)
APACHE = licence_text("Apache-2.0", "Agency for Digital Services", 2025)
RELEASED = "# Changelog\n\n## 1.4.0\n\n### Minor Changes\n\n- Date fields accept ISO weeks.\n"


def _npm_package(name: str, *, licence: str | None = MIT, changelog: bool = True) -> dict[str, str]:
    files = {f"packages/{name}/package.json": json.dumps({"name": f"@agency/{name}"})}
    if licence is not None:
        files[f"packages/{name}/LICENSE"] = licence
    if changelog:
        files[f"packages/{name}/CHANGELOG.md"] = RELEASED
    return files


def _npm_workspace(root: dict[str, object], *packages: dict[str, str]) -> dict[str, str]:
    files = {
        "README.md": README,
        "package.json": json.dumps({"private": True, "workspaces": ["packages/*"], **root}),
        ".changeset/config.json": '{"changelog": "@changesets/cli/changelog"}',
    }
    for package in packages:
        files.update(package)
    return files


def test_a_licence_in_every_package_and_none_at_the_root_is_partial_naming_them(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "toolkit",
        _npm_workspace({}, _npm_package("forms"), _npm_package("dates")),
    )
    report = evaluate(repo)

    licence = result(report, "license")
    approved = result(report, "license-approved")
    changelog = result(report, "changelog")

    assert licence.outcome is Outcome.PARTIAL
    assert licence.message == (
        "No licence file at the root; every package of package.json (packages/*) carries its "
        "own (packages/dates/LICENSE (MIT), packages/forms/LICENSE (MIT)). Add the licence at "
        "the root, or declare it in the root manifest."
    )
    assert approved.outcome is Outcome.PASS
    assert approved.message == "MIT is on the approved list (osi + dpg)."
    assert changelog.outcome is Outcome.PASS
    assert changelog.message == (
        "No changelog at the root; every package of package.json (packages/*) keeps its own "
        "(packages/dates/CHANGELOG.md, packages/forms/CHANGELOG.md)."
    )


def test_every_package_licensed_and_the_root_manifest_agreeing_passes(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "toolkit",
        _npm_workspace({"license": "MIT"}, _npm_package("forms"), _npm_package("dates")),
    )

    licence = result(evaluate(repo), "license")

    assert licence.outcome is Outcome.PASS
    assert licence.message.endswith("and the root's package.json declares MIT too.")


def test_a_package_without_a_licence_is_named(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    files = {
        "README.md": README,
        "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - libs/core\n",
        "apps/portal/package.json": '{"name": "portal"}',
        "apps/portal/LICENSE": APACHE,
        "apps/portal/CHANGELOG.md": RELEASED,
        "libs/core/package.json": '{"name": "core"}',
    }
    repo = git_repo_factory(tmp_path / "toolkit", files)
    report = evaluate(repo)

    licence = result(report, "license")
    changelog = result(report, "changelog")

    assert licence.outcome is Outcome.FAIL
    assert licence.message == (
        "No licence file at the root; 1 of the 2 packages of pnpm-workspace.yaml (apps/*, "
        "libs/core) carry one (apps/portal/LICENSE (Apache-2.0)), but libs/core carries none."
    )
    assert changelog.outcome is Outcome.PARTIAL
    assert changelog.message == (
        "No changelog at the root; 1 of the 2 packages of pnpm-workspace.yaml (apps/*, "
        "libs/core) keep one (apps/portal/CHANGELOG.md)."
    )


def test_cargo_and_uv_workspaces_are_read(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    cargo = git_repo_factory(
        tmp_path / "engine",
        {
            "README.md": README,
            "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n',
            "crates/parser/Cargo.toml": '[package]\nname = "parser"\n',
            "crates/parser/LICENSE-APACHE": APACHE,
        },
    )
    uv = git_repo_factory(
        tmp_path / "pipelines",
        {
            "README.md": README,
            "pyproject.toml": '[tool.uv.workspace]\nmembers = ["packages/ingest"]\n',
            "packages/ingest/pyproject.toml": '[project]\nname = "ingest"\n',
            "packages/ingest/LICENSE": MIT,
            "packages/ingest/NEWS.md": "# ingest 0.3.0\n\n* Reads CSV exports.\n",
        },
    )

    assert result(evaluate(cargo), "license").outcome is Outcome.PARTIAL
    assert "crates/parser/LICENSE-APACHE (Apache-2.0)" in result(evaluate(cargo), "license").message
    assert result(evaluate(uv), "license").outcome is Outcome.PARTIAL
    assert result(evaluate(uv), "changelog").outcome is Outcome.PASS


def test_at_most_max_packages_are_listed(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    packages = [_npm_package(f"p{index:03}", changelog=False) for index in range(MAX_PACKAGES + 2)]
    repo = git_repo_factory(tmp_path / "toolkit", _npm_workspace({}, *packages))

    licence = result(evaluate(repo), "license")

    assert licence.outcome is Outcome.PARTIAL
    assert f"(the first {MAX_PACKAGES} packages judged)" in licence.message
    assert "and 45 more" in licence.message


def test_a_scan_that_does_not_list_the_packages_says_so() -> None:
    """A GitLab scan lists the root only: it sees the workspace, not the packages' files."""
    root = (
        FileEntry("README.md", EntryKind.FILE),
        FileEntry("package.json", EntryKind.FILE),
        FileEntry("packages", EntryKind.DIRECTORY),
    )
    texts = {
        "README.md": README.encode(),
        "package.json": b'{"private": true, "workspaces": ["packages/*"]}',
    }
    snapshot = Snapshot(
        name="toolkit",
        url="https://gitlab.com/agency/toolkit",
        listings={"": root},
        reader=lambda path, limit: texts.get(path, b"")[:limit] if path in texts else None,
    )
    report = evaluate_repository(snapshot, default_ruleset())

    licence = result(report, "license")
    changelog = result(report, "changelog")

    assert licence.outcome is Outcome.FAIL
    assert licence.message == (
        "No licence file found; package.json (packages/*) declares a workspace whose package "
        "directories this scan does not list (GitLab scans list only the root and a few fixed "
        "folders); scan a clone to judge each package's files."
    )
    assert changelog.outcome is Outcome.FAIL
    assert "does not list" in changelog.message
