"""The CI rules on GitHub: workflows are listed in the page query and read in the batched object
queries, not one request per file, and zizmor audits them as on a local clone."""

from __future__ import annotations

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.model import Outcome, Report
from ospo_scan.scan.scanner import Scanner
from tests.connectors.github.conftest import FakeFactory
from tests.connectors.github.fake_github import FakeGitHub
from tests.connectors.github.fake_repos import FakeRepo
from tests.rules import ci_fixtures


def _scan(fake: FakeGitHub, ruleset_id: str = "osps-baseline") -> Report:
    ruleset = load_ruleset(ruleset_id, load_plugins=False)
    return Scanner(ruleset, ScanOptions(github_url=fake.api_url)).scan(["github:un-org"])


def _outcomes(report: Report, rule: str) -> dict[str, Outcome]:
    return {
        repo.name.removeprefix("un-org/"): next(r for r in repo.results if r.rule == rule).outcome
        for repo in report.repositories
    }


def test_workflows_are_read_in_the_batched_queries_and_audited(fake_github: FakeFactory) -> None:
    repos = {
        "good": FakeRepo("good", ci_fixtures.GOOD_GITHUB),
        "bad": FakeRepo("bad", ci_fixtures.BAD_GITHUB),
    }
    fake = fake_github({"un-org": ("Organization", repos)})
    report = _scan(fake)
    assert _outcomes(report, "ci-untrusted-input") == {"good": Outcome.PASS, "bad": Outcome.FAIL}
    assert _outcomes(report, "ci-tests") == {"good": Outcome.PASS, "bad": Outcome.PARTIAL}
    assert _outcomes(report, "ci-job-permissions") == {"good": Outcome.PASS, "bad": Outcome.FAIL}
    workflow_reads = [p for _, p, _ in fake.requests if "workflows" in p]
    assert workflow_reads == []  # no REST read of a workflow: they came with the GraphQL objects

    without = {
        name: FakeRepo(name, {k: v for k, v in repo.files.items() if ".github/workflows" not in k})
        for name, repo in repos.items()
    }
    bare = fake_github({"un-org": ("Organization", without)})
    _scan(bare)
    assert fake.graphql_requests == bare.graphql_requests
    assert len(fake.requests) == len(bare.requests)


def test_a_scan_whose_rules_read_no_ci_reads_no_workflow(fake_github: FakeFactory) -> None:
    repos = {"good": FakeRepo("good", ci_fixtures.GOOD_GITHUB)}
    baseline = fake_github({"un-org": ("Organization", repos)})
    _scan(baseline)
    default = fake_github({"un-org": ("Organization", repos)})
    _scan(default, "un-ospo")
    workflows = [o for o in baseline.graphql.objects if o.startswith("good:.github/workflows/")]
    assert workflows  # the Baseline's CI rules read them, in the batched queries
    assert not [o for o in default.graphql.objects if o in workflows]
    assert default.graphql_requests <= baseline.graphql_requests


def test_codeql_default_setup_is_read_from_the_host(fake_github: FakeFactory) -> None:
    """Code scanning's default setup is a repository setting, not a workflow: with no SAST job,
    the host's answer decides; where the token may not read it, the rule is unknown, naming the
    permission, never a fail."""
    plain = ci_fixtures.RELYING_GITHUB  # tests on pull requests, no security analysis
    repos = {
        "on": FakeRepo("on", plain, code_scanning="configured"),
        "off": FakeRepo("off", plain, code_scanning="not-configured"),
        "hidden": FakeRepo("hidden", plain, code_scanning=None),
    }
    fake = fake_github({"un-org": ("Organization", repos)})
    report = _scan(fake)
    results = {
        repo.name.removeprefix("un-org/"): next(
            r for r in repo.results if r.rule == "ci-static-analysis"
        )
        for repo in report.repositories
    }
    assert {name: r.outcome for name, r in results.items()} == {
        "on": Outcome.PASS,
        "off": Outcome.FAIL,
        "hidden": Outcome.UNKNOWN,
    }
    assert "default setup (CodeQL)" in results["on"].message
    assert [(e.path, e.source.value) for e in results["on"].evidence] == [
        ("code scanning default setup", "host")
    ]
    assert "default setup is off" in results["off"].message
    assert "code scanning alerts, read" in results["hidden"].message
    asked = [p for _, p, _ in fake.requests if p.endswith("/code-scanning/default-setup")]
    assert len(asked) == len(repos)
