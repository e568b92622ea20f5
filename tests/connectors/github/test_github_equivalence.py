"""Repositories scanned on the fake GitHub and from local git clones give the same results.

Rules never know which host they run on: a snapshot built from GitHub's GraphQL answers must lead
every rule to the same outcome, score, evidence and message as the working tree of a clone.
Host-only rules are left out (they are not-applicable on local scans by design).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.model import Outcome, Report
from ospo_scan.scan.scanner import Scanner
from tests.conftest import RepoFactory
from tests.connectors.github.conftest import FakeFactory
from tests.connectors.github.fake_repos import FakeRepo
from tests.gitrepos import FileContent, Symlink
from tests.scanning import comparable_results

MIT = (
    "MIT License\n\nCopyright (c) 2024 United Nations\n\n"
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    'software and associated documentation files (the "Software"), to deal in the Software '
    "without restriction, including without limitation the rights to use, copy, modify, merge, "
    "publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons "
    "to whom the Software is furnished to do so, subject to the following conditions:\n\n"
    "The above copyright notice and this permission notice shall be included in all copies or "
    "substantial portions of the Software.\n\n"
    'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.\n'
)
README = "# Health data toolkit\n\n## Install\n\npip install toolkit\n\n## Usage\n\ntoolkit run\n"

REPOSITORIES: dict[str, dict[str, FileContent]] = {
    ".github": {
        "CODE_OF_CONDUCT.md": "# Code of conduct\n\nWe follow the Contributor Covenant 2.1.\n",
        ".github/SECURITY.md": "# Security\n\nReport vulnerabilities to security@un.example.org.\n",
        "profile/README.md": "# UN example organisation\n",
    },
    "complete": {
        "README.md": README,
        "LICENSE": MIT,
        "CONTRIBUTING.md": "# Contributing\n\nFork, branch, open a pull request.\n" * 3,
        "GOVERNANCE.md": "# Governance\n\nDecisions are made by the maintainers by consensus.\n",
        ".github/CODEOWNERS": "* @un-example/maintainers\n",
        ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n",
        ".github/ISSUE_TEMPLATE/bug.md": "---\nname: Bug\n---\n",
        "CHANGELOG.md": "# Changelog\n\n## 1.0.0\n\n- First release\n",
        "package.json": '{"name": "toolkit", "license": "MIT"}\n',
        "src/toolkit.py": "print('toolkit')\n",
    },
    "stubs": {
        "README": "TODO\n",
        "CONTRIBUTING.md": "\n",
        "SECURITY.md": "# Security\n\nPlease tell us about problems.\n",
        "LICENSE.txt": "All rights reserved.\n",
        "pyproject.toml": '[project]\nname = "stubs"\nlicense = "Apache 2"\n',
    },
    "linked": {
        "README.md": Symlink("docs/README.md"),
        "docs/README.md": README,
        "LICENSE": Symlink("../../../etc/passwd"),
        "COPYING": Symlink("LICENSES/MIT.txt"),
        "LICENSES/MIT.txt": MIT,
        "CHANGELOG.md": Symlink("nowhere.md"),
        "docs/CONTRIBUTING.md": "# Contributing\n\nSee the wiki for how to send a change.\n" * 2,
    },
    "linked-docs": {
        "README.md": README,
        "docs": Symlink("documentation"),
        "documentation/CONTRIBUTING.md": "# Contributing\n\nSend patches by pull request.\n" * 2,
        "documentation/SECURITY.md": Symlink("../policies/security.md"),
        "policies/security.md": "# Security\n\nWrite to cert@un.example.org.\n",
        ".github/ISSUE_TEMPLATE": Symlink("../templates"),
        "templates/bug.md": "---\nname: Bug\n---\n",
        "COPYING": Symlink("docs/legal/../legal/MIT.txt"),
        "documentation/legal/MIT.txt": MIT,
    },
    "odd-bytes": {
        "README.md": "# Café\n\n".encode() + "Données de santé publique.\n".encode("cp1252") * 4,
        "LICENSE": b"\x00\x01\x02 not text",
        "docs/SECURITY.md": "\ufeffSecurity: write to psirt@un.example.org\r\n",
        "CHANGES.rst": "Changes\n=======\n\n" + "* fix\n" * 200_000,
    },
    "bare": {"main.c": "int main(void) { return 0; }\n"},
}


def _fake_repos() -> dict[str, FakeRepo]:
    return {name: FakeRepo(name, files) for name, files in REPOSITORIES.items()}


@pytest.fixture
def local_entity(tmp_path: Path, git_repo_factory: RepoFactory) -> Path:
    entity = tmp_path / "un-org"
    for name, files in REPOSITORIES.items():
        git_repo_factory(entity / name, files)
    return entity


def test_github_and_local_clones_give_the_same_results(
    fake_github: FakeFactory, local_entity: Path
) -> None:
    fake = fake_github({"un-org": ("Organization", _fake_repos())})
    ruleset = load_ruleset("un-ospo", load_plugins=False)
    local = Scanner(ruleset, ScanOptions()).scan([str(local_entity)])
    hosted = Scanner(ruleset, ScanOptions(github_url=fake.api_url)).scan(["github:un-org"])

    local_results = comparable_results(local, "")
    hosted_results = comparable_results(hosted, "un-org/")
    assert set(hosted_results) == set(REPOSITORIES)
    for name in REPOSITORIES:
        assert hosted_results[name] == local_results[name], name
    assert [r.in_scope for r in hosted.repositories] == [r.in_scope for r in local.repositories]
    # The comparison means something: outcomes differ across the repositories.
    outcomes = {result[1] for results in hosted_results.values() for result in results}
    assert {Outcome.PASS, Outcome.PARTIAL, Outcome.FAIL} <= outcomes
    # One page and one batch of texts for the whole organisation, then one round per level of
    # symbolic links (link texts, the trees they lead into, the files or trees they name, and
    # again for the links found there); REST only for files whose GitHub text is not the exact
    # bytes (non-UTF-8) or that are too large for a batch.
    assert fake.graphql_requests == 6
    assert {path.split("/")[5] for _, path, _ in fake.requests if "/v3/" in path} == {"odd-bytes"}


def test_host_only_rules_apply_on_github_only(fake_github: FakeFactory, local_entity: Path) -> None:
    repos = _fake_repos()
    repos["complete"].protected = True
    repos["complete"].description = "Health data toolkit"
    repos["complete"].topics = ("health",)
    fake = fake_github({"un-org": ("Organization", repos)})
    ruleset = load_ruleset("un-ospo", load_plugins=False)
    local = Scanner(ruleset, ScanOptions()).scan([str(local_entity)])
    hosted = Scanner(ruleset, ScanOptions(github_url=fake.api_url)).scan(["github:un-org/complete"])

    def outcomes(report: Report, name: str) -> dict[str, Outcome]:
        repo = next(r for r in report.repositories if r.name == name)
        return {r.rule: r.outcome for r in repo.results}

    on_disk = outcomes(local, "complete")
    on_github = outcomes(hosted, "un-org/complete")
    for rule in ("branch-protection", "description", "newcomer-issues"):
        assert on_disk[rule] is Outcome.NOT_APPLICABLE
    assert on_github["branch-protection"] is Outcome.PASS
    assert on_github["description"] is Outcome.PASS
    assert on_github["newcomer-issues"] is Outcome.PARTIAL  # issues enabled, none labelled
    assert on_github["recent-activity"] is Outcome.FAIL  # pushed in January 2024
    assert on_disk["recent-activity"] is Outcome.FAIL  # committed in January 2024
