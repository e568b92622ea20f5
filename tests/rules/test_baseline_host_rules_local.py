"""The Baseline's host-fact rules on real local clones: what a clone cannot show is `unknown`,
settled by scanning the repository on its host; what it can show (its history, its tags, its
security policy) is judged."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.model import Outcome
from ospo_scan.snapshot import HostFact
from tests.conftest import RepoFactory
from tests.gitrepos import git
from tests.scanning import evaluate, result

BASELINE = load_ruleset("osps-baseline", load_plugins=False)

HOST_ONLY = (
    "mfa-required",
    "collaborator-least-privilege",
    "direct-commits-blocked",
    "branch-deletion-blocked",
    "required-status-checks",
    "required-approvals",
    "secret-push-protection",
    "contributor-signoff",
    "public-discussion",
    "public-repository",
)


@pytest.mark.parametrize("rule", HOST_ONLY)
def test_a_host_setting_is_unknown_on_a_local_clone(
    git_repo_factory: RepoFactory, tmp_path: Path, rule: str
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n"})
    found = result(evaluate(repo, BASELINE), rule)
    assert found.outcome is Outcome.UNKNOWN
    assert "scanning the repository on its host" in found.message


def test_the_baseline_asks_hosts_for_the_facts_its_rules_read() -> None:
    assert BASELINE.host_facts == {
        HostFact.BRANCH_RULES,
        HostFact.RELEASES,
        HostFact.VULNERABILITY_REPORTING,
        HostFact.ADVISORIES,
        HostFact.DISCUSSIONS,
        HostFact.SECRET_SCANNING,
        HostFact.MFA,
        HostFact.COLLABORATOR_PERMISSIONS,
        HostFact.SIGNOFF,
        HostFact.WORKFLOW_PERMISSIONS,  # ci-default-permissions
        HostFact.CI_DEFINITIONS,  # the CI rules
        HostFact.CODE_SCANNING,  # ci-static-analysis: GitHub's code scanning default setup
    }
    assert load_ruleset("un-ospo", load_plugins=False).host_facts == frozenset()


def test_a_clone_records_its_changes_in_its_git_history(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n"})
    found = result(evaluate(repo, BASELINE), "public-change-history")
    assert found.outcome is Outcome.PASS
    assert found.evidence[0].path == ".git"


def test_a_directory_without_history_leaves_the_record_of_changes_unknown(tmp_path: Path) -> None:
    (tmp_path / "ospo-entity.toml").write_text('name = "Agency"\n', encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "README.md").write_text("# App\n", encoding="utf-8")
    found = result(evaluate(tmp_path / "app", BASELINE), "public-change-history")
    assert found.outcome is Outcome.UNKNOWN
    assert ".git" in found.message


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["v1.0.0", "v1.1.0"], Outcome.PASS),
        (["v1.0.0", "latest"], Outcome.FAIL),
        ([], Outcome.NOT_APPLICABLE),
    ],
    ids=["versions", "moving-tag", "no-release"],
)
def test_release_versions_read_a_clones_tags(
    git_repo_factory: RepoFactory,
    git_home: Path,
    tmp_path: Path,
    tags: list[str],
    expected: Outcome,
) -> None:
    repo = git_repo_factory(tmp_path / "lib", {"README.md": "# Lib\n"})
    for tag in tags:
        git(repo, "tag", tag, home=git_home)
    found = result(evaluate(repo, BASELINE), "release-versions")
    assert found.outcome is expected
    if expected is Outcome.FAIL:
        assert "latest" in found.message


@pytest.mark.parametrize(
    "rule", ["release-asset-names", "release-notes", "release-signatures", "release-sbom"]
)
def test_the_hosts_releases_are_unknown_on_a_clone(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path, rule: str
) -> None:
    repo = git_repo_factory(tmp_path / "lib", {"README.md": "# Lib\n"})
    git(repo, "tag", "v1.0.0", home=git_home)
    found = result(evaluate(repo, BASELINE), rule)
    assert found.outcome is Outcome.UNKNOWN
    assert "scanning the repository on its host" in found.message


def test_a_private_channel_in_the_policy_is_private_vulnerability_reporting(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    policy = "# Security\n\nReport vulnerabilities privately to security@agency.example.org.\n"
    repo = git_repo_factory(tmp_path / "app", {"SECURITY.md": policy})
    found = result(evaluate(repo, BASELINE), "private-vulnerability-reporting")
    assert found.outcome is Outcome.PASS
    assert "security@agency.example.org" in found.message
    bare = git_repo_factory(tmp_path / "bare", {"README.md": "# App\n"})
    unknown = result(evaluate(bare, BASELINE), "private-vulnerability-reporting")
    assert unknown.outcome is Outcome.UNKNOWN


def test_a_policy_saying_where_advisories_are_published_evidences_publication(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    policy = (
        "# Security\n\nWrite to security@agency.example.org. Fixed vulnerabilities are "
        "published as GitHub security advisories with a CVE.\n"
    )
    repo = git_repo_factory(tmp_path / "app", {"SECURITY.md": policy})
    found = result(evaluate(repo, BASELINE), "vulnerability-publication")
    assert found.outcome is Outcome.PASS
    silent = git_repo_factory(tmp_path / "silent", {"SECURITY.md": "Mail sec@x.example.org.\n"})
    unknown = result(evaluate(silent, BASELINE), "vulnerability-publication")
    assert unknown.outcome is Outcome.UNKNOWN
