"""An instance whose `/api/graphql` answers 404: the whole scan reads through REST, same results."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.config import load_ruleset
from ospo_scan.connectors.gitlab.rest import NOTE
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.model import RepoReport
from ospo_scan.scan.scanner import Scanner
from ospo_scan.snapshot import Snapshot
from tests.connectors.gitlab.conftest import TOKEN, FakeFactory, open_gitlab, read_all
from tests.connectors.gitlab.fake_model import FakeInstance, FakeProject
from tests.connectors.gitlab.groups import MIT, digest, linked_project, nested_group

COMPLIANT = {
    "README.md": "# Tool\n\nInstall it with pip install tool, then run tool --help.\n" * 3,
    "LICENSE": MIT,
    "CONTRIBUTING.md": "# Contributing\n\nOpen a merge request with tests; we review weekly.\n" * 3,
    "CODE_OF_CONDUCT.md": "# Code of conduct\n\nWe follow the Contributor Covenant 2.1.\n",
    "SECURITY.md": "Report vulnerabilities privately to security@example.org.\n",
    "GOVERNANCE.md": "# Governance\n\nThe maintainers decide by consensus.\n",
    "CHANGELOG.md": "## 1.0\n\nFirst release.\n",
    ".github/CODEOWNERS": "* @agency/ospo\n",
    ".github/dependabot.yml": "version: 2\nupdates: []\n",
    "package.json": '{"name": "tool", "license": "MIT"}\n',
    "pyproject.toml": '[project]\nname = "tool"\nlicense = "MIT"\n',
    "publiccode.yml": "publiccodeYmlVersion: '0.4'\nname: tool\n",
    "docs/index.md": "# Documentation\n",
    "src/tool.py": "print('tool')\n",
}


def instance() -> FakeInstance:
    group = nested_group()
    group.add_project(FakeProject.from_texts("top/compliant", COMPLIANT))
    group.add_project(linked_project())
    return group


@pytest.mark.parametrize("token", [None, TOKEN])
@pytest.mark.parametrize("path", ["top", "links"])
def test_rest_gives_what_graphql_gives(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch, token: str | None, path: str
) -> None:
    if token:
        monkeypatch.setenv("GITLAB_TOKEN", token)
    else:
        monkeypatch.delenv("GITLAB_TOKEN", raising=False)
    with_graphql = open_gitlab(fake_gitlab(instance()), path)
    expected = digest(read_all(with_graphql), graphql_only=False)
    blocked = fake_gitlab(instance(), graphql=False)
    without = open_gitlab(blocked, path)
    without_items = read_all(without)
    assert digest(without_items) == expected  # nothing of what REST reads is lost
    assert all(
        item.metadata.host.newcomer_issues is None
        for item in without_items.values()
        if isinstance(item, Snapshot)
    )
    assert NOTE not in with_graphql.notes
    assert NOTE in without.notes
    graphql_answers = [s for _, p, s in blocked.requests if p.endswith("/api/graphql")]
    assert graphql_answers == [404]  # asked once for the whole scan, never again


def _per_project(requests: list[tuple[str, str, int]]) -> Counter[str]:
    counted: Counter[str] = Counter()
    for _, path, _ in requests:
        parts = path.split("/")
        if "projects" in parts and len(parts) > parts.index("projects") + 2:
            counted[unquote(parts[parts.index("projects") + 1])] += 1
    return counted


def test_a_rest_scan_stays_within_16_requests_per_project(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    blocked = fake_gitlab(instance(), graphql=False)
    ruleset = load_ruleset("un-ospo", load_plugins=False)
    report = Scanner(ruleset, ScanOptions(gitlab_url=blocked.url)).scan(["gitlab:top"])

    reports: dict[str, RepoReport] = {r.name: r for r in report.repositories}
    assert reports["top/compliant"].status.value == "ok"
    assert reports["top/compliant"].score is not None
    assert reports["top/compliant"].score > 80
    counted = _per_project(blocked.requests)
    assert counted["top/compliant"] > 5  # really read through REST
    # One request per listed directory and per file the rules read; the dependency-update
    # configuration is read too (a fix template's marker makes it partial), hence 16.
    assert max(counted.values()) <= 16, counted


def test_the_report_says_graphql_was_unavailable(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITLAB_TOKEN", raising=False)
    blocked = fake_gitlab(instance(), graphql=False)
    result = CliRunner().invoke(
        main, ["scan", "gitlab:top", "--gitlab-url", blocked.url, "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert NOTE in report["entity"]["notes"]
    assert all(r["status"] == "ok" for r in report["repositories"])
