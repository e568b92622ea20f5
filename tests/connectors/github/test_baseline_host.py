"""The Baseline's host facts read from the fake GitHub by the real connector, and the rules that
judge them: an administrator's token sees every setting, a reader's token leaves what it may not
see `unknown` (never `fail`), a scan without a token does what REST allows, and a `un-ospo` scan
asks GitHub for nothing new."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.github.host_reader import ADMIN_TOKEN
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.model import EvidenceSource, Outcome, RepoReport, RuleResult
from ospo_scan.scan.scanner import Scanner
from ospo_scan.snapshot import HostFact, HostFacts, Snapshot
from tests.connectors.github.conftest import FakeFactory, open_github
from tests.connectors.github.fake_github import FakeGitHub
from tests.connectors.github.fake_repos import FakeRelease, FakeRepo, FakeRule

ORG = "un-org"
SECURITY = "# Security\n\nReport to security@un.example.org.\n"
SIGNED = FakeRelease(
    "v1.2.0",
    "## Changes\n\n- Faster imports.\n- Fixes a path traversal (security).\n",
    (
        "tool-1.2.0-linux-amd64.tar.gz",
        "tool-1.2.0-linux-amd64.tar.gz.sigstore.json",
        "tool-1.2.0.spdx.json",
    ),
)
UNSIGNED = FakeRelease(
    "v0.9.0",
    "**Full Changelog**: https://github.com/un-org/sloppy/compare/v0.8.0...v0.9.0",
    ("tool-linux-amd64.tar.gz", "checksums.txt"),
)


def _good() -> FakeRepo:
    return FakeRepo(
        "good",
        {"README.md": "# Good\n", "SECURITY.md": SECURITY},
        protected=True,
        approvals=1,
        checks=("ci/test",),
        rules=(
            FakeRule("DELETION", ruleset="org-default", organisation=True),
            FakeRule("REQUIRED_STATUS_CHECKS", ruleset="org-default", checks=("dco",)),
        ),
        releases=(SIGNED,),
        discussions=True,
        vulnerability_reporting=True,
        advisories=2,
        secret_scanning=True,
        push_protection=True,
    )


def _sloppy() -> FakeRepo:
    return FakeRepo(
        "sloppy",
        {"README.md": "# Sloppy\n"},
        issues_enabled=False,
        releases=(UNSIGNED,),
        secret_scanning=True,
    )


CONTROLS = {
    "mfa-required": "OSPS-AC-01.01",
    "collaborator-least-privilege": "OSPS-AC-02.01",
    "direct-commits-blocked": "OSPS-AC-03.01",
    "branch-deletion-blocked": "OSPS-AC-03.02",
    "public-discussion": "OSPS-GV-02.01",
    "public-repository": "OSPS-QA-01.01",
    "public-change-history": "OSPS-QA-01.02",
    "required-status-checks": "OSPS-QA-03.01",
    "required-approvals": "OSPS-QA-07.01",
    "private-vulnerability-reporting": "OSPS-VM-03.01",
    "vulnerability-publication": "OSPS-VM-04.01",
    "release-versions": "OSPS-BR-02.01",
    "release-asset-names": "OSPS-BR-02.02",
    "release-notes": "OSPS-BR-04.01",
    "release-signatures": "OSPS-BR-06.01",
    "release-sbom": "OSPS-QA-02.02",
    "secret-push-protection": "OSPS-BR-07.01",
    "contributor-signoff": "OSPS-LE-01.01",
}
OWNER_ONLY = ("mfa-required", "collaborator-least-privilege", "secret-push-protection")


def _fake(fake_github: FakeFactory, *, admin: bool, **repos: FakeRepo) -> FakeGitHub:
    fake = fake_github({ORG: ("Organization", repos or {"good": _good(), "sloppy": _sloppy()})})
    if admin:
        fake.graphql.viewer_permission = "ADMIN"
        fake.graphql.owner_of.add(ORG)
        fake.graphql.two_factor[ORG] = True
        fake.org_workflow[ORG] = "read"
    return fake


def _scan(fake: FakeGitHub, ruleset: str = "osps-baseline") -> dict[str, RepoReport]:
    rules = load_ruleset(ruleset, load_plugins=False)
    report = Scanner(rules, ScanOptions(github_url=fake.api_url)).scan([f"github:{ORG}"])
    return {r.name: r for r in report.repositories}


def _result(report: RepoReport, rule: str) -> RuleResult:
    return next(r for r in report.results if r.rule == rule)


def test_every_rule_maps_to_its_control() -> None:
    baseline = load_ruleset("osps-baseline", load_plugins=False)
    for rule, control in CONTROLS.items():
        config = baseline.rule(rule)
        assert config is not None, rule
        assert [ref.item for ref in config.evidences] == [control], rule
    security = baseline.rule("security-policy")
    assert security is not None
    assert [ref.item for ref in security.evidences] == ["OSPS-VM-02.01"]
    assert baseline.rule("branch-protection") is None


def test_an_owners_token_sees_every_setting(fake_github: FakeFactory) -> None:
    fake = _fake(fake_github, admin=True)
    reports = _scan(fake)
    good, sloppy = reports[f"{ORG}/good"], reports[f"{ORG}/sloppy"]
    for rule in CONTROLS:
        assert _result(good, rule).outcome is Outcome.PASS, (rule, _result(good, rule).message)
    failing = set(CONTROLS) - {
        "mfa-required",  # the organisation's, shared by both
        "collaborator-least-privilege",
        "public-repository",
        "public-change-history",
        "release-versions",
    }
    for rule in failing:
        assert _result(sloppy, rule).outcome is Outcome.FAIL, (rule, _result(sloppy, rule).message)
    history = _result(good, "public-change-history")
    assert history.evidence[0].source is EvidenceSource.PLATFORM
    rules = _result(good, "branch-deletion-blocked").evidence[0].detail or ""
    assert "organisation ruleset org-default" in rules
    assert "checksums.txt unsigned" in _result(sloppy, "release-signatures").message


def test_a_readers_token_leaves_what_it_cannot_see_unknown(fake_github: FakeFactory) -> None:
    fake = _fake(fake_github, admin=False)
    reports = _scan(fake)
    for report in reports.values():
        for rule in OWNER_ONLY:
            found = _result(report, rule)
            assert found.outcome is Outcome.UNKNOWN, (rule, found.message)
            assert "What would settle it: a token" in found.message
    good = reports[f"{ORG}/good"]
    for rule in set(CONTROLS) - set(OWNER_ONLY):
        assert _result(good, rule).outcome is Outcome.PASS, rule
    requested = {path for _, path, _ in fake.requests}
    assert f"/api/v3/orgs/{ORG}" not in requested  # an owner's settings are not asked for
    assert not any("permissions/workflow" in path for path in requested)


def test_without_a_token_what_rest_shows_is_judged(
    fake_github: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = _fake(fake_github, admin=True)
    monkeypatch.delenv("GITHUB_TOKEN")
    good = _scan(fake)[f"{ORG}/good"]
    for rule in ("public-discussion", "private-vulnerability-reporting"):
        assert _result(good, rule).outcome is Outcome.PASS, rule
    assert _result(good, "vulnerability-publication").outcome is Outcome.PASS
    for rule in (*OWNER_ONLY, "direct-commits-blocked", "release-notes", "contributor-signoff"):
        found = _result(good, rule)
        assert found.outcome is Outcome.UNKNOWN, (rule, found.message)
        assert "GITHUB_TOKEN" in found.message


def test_release_controls_do_not_apply_before_a_release(fake_github: FakeFactory) -> None:
    fake = _fake(fake_github, admin=True, fresh=FakeRepo("fresh", {"README.md": "# Fresh\n"}))
    fresh = _scan(fake)[f"{ORG}/fresh"]
    for rule in ("release-versions", "release-asset-names", "release-notes", "release-sbom"):
        assert _result(fresh, rule).outcome is Outcome.NOT_APPLICABLE, rule


def test_release_notes_may_be_the_changelogs_entry(fake_github: FakeFactory) -> None:
    bare = replace(UNSIGNED, notes="")
    changelog = "# Changelog\n\n## 0.9.0\n\n- Imports data from CSV files.\n"
    repo = FakeRepo("lib", {"CHANGELOG.md": changelog}, releases=(bare,))
    fake = _fake(fake_github, admin=True, lib=repo)
    assert _result(_scan(fake)[f"{ORG}/lib"], "release-notes").outcome is Outcome.PASS


def test_an_un_ospo_scan_asks_github_for_nothing_new(fake_github: FakeFactory) -> None:
    fake = _fake(fake_github, admin=True)
    _scan(fake, "un-ospo")
    assert fake.graphql.operations == ["ospoOwnerPage", "ospoObjects"]
    assert "ospoFacts" not in fake.graphql.fragments
    assert [path for _, path, _ in fake.requests] == ["/api/graphql", "/api/graphql"]


def test_what_the_baseline_costs_beyond_today(fake_github: FakeFactory) -> None:
    repos = {f"r{i:02d}": replace(_good(), name=f"r{i:02d}") for i in range(12)}
    today = _fake(fake_github, admin=False, **repos)
    _scan(today, "un-ospo")
    baseline = _fake(fake_github, admin=False, **repos)
    _scan(baseline)
    extra = len(baseline.requests) - len(today.requests)
    # One GraphQL query for the facts of the first page, then three REST requests a repository:
    # private vulnerability reporting, published advisories and code scanning's default setup.
    # Beside the host facts, one recursive tree a repository: the binary-artefact controls look
    # at every file's name.
    trees = [path for _, path, _ in baseline.requests if "/git/trees/" in path]
    assert len(trees) == len(repos)
    assert not [path for _, path, _ in today.requests if "/git/trees/" in path]
    setups = [path for _, path, _ in baseline.requests if path.endswith("/default-setup")]
    assert len(setups) == len(repos)
    assert extra == 1 + 3 * len(repos) + len(trees)
    assert baseline.graphql.operations.count("ospoHostFacts") == 1


def _facts(fake: FakeGitHub, wanted: HostFact) -> dict[str, HostFacts]:
    source = open_github(fake, ORG)
    source.ask_for(frozenset({wanted}))
    return {s.name: s.metadata.host for s in source.repositories if isinstance(s, Snapshot)}


def test_workflow_permissions_cost_one_request_when_the_organisation_binds_them(
    fake_github: FakeFactory,
) -> None:
    owner = _fake(fake_github, admin=True)
    found = _facts(owner, HostFact.WORKFLOW_PERMISSIONS)
    assert {f.default_workflow_permissions for f in found.values()} == {"read"}
    paths = [path for _, path, _ in owner.requests]
    assert paths.count(f"/api/v3/orgs/{ORG}/actions/permissions/workflow") == 1
    assert not any(path.startswith("/api/v3/repos/") for path in paths)


def test_workflow_permissions_of_each_repository_need_its_admin(fake_github: FakeFactory) -> None:
    admin = _fake(fake_github, admin=False)
    admin.graphql.viewer_permission = "ADMIN"  # administers the repositories, owns no organisation
    found = _facts(admin, HostFact.WORKFLOW_PERMISSIONS)
    assert {f.default_workflow_permissions for f in found.values()} == {"write"}
    reader = _fake(fake_github, admin=False)
    withheld = _facts(reader, HostFact.WORKFLOW_PERMISSIONS)
    for facts in withheld.values():
        assert facts.default_workflow_permissions is None
        assert facts.withheld[HostFact.WORKFLOW_PERMISSIONS] == ADMIN_TOKEN
    assert not any("permissions/workflow" in path for _, path, _ in reader.requests)


def test_an_owners_token_adds_three_requests_for_the_organisation(fake_github: FakeFactory) -> None:
    repos = {f"r{i:02d}": replace(_good(), name=f"r{i:02d}") for i in range(12)}
    today = _fake(fake_github, admin=True, **repos)
    _scan(today, "un-ospo")
    baseline = _fake(fake_github, admin=True, **repos)
    _scan(baseline)
    extra = len(baseline.requests) - len(today.requests)
    # Besides the reader's costs (the facts, and a tree a repository for the binary-artefact
    # controls): the base permission (GET /orgs/{org}), every repository's security settings
    # in one listing (GET /orgs/{org}/repos) and the CI token's default permissions
    # (GET /orgs/{org}/actions/permissions/workflow).
    assert extra == 1 + 3 * len(repos) + len(repos) + 3


def test_one_repository_is_read_with_its_facts(fake_github: FakeFactory) -> None:
    fake = _fake(fake_github, admin=True)
    rules = load_ruleset("osps-baseline", load_plugins=False)
    report = Scanner(rules, ScanOptions(github_url=fake.api_url)).scan([f"github:{ORG}/good"])
    (good,) = report.repositories
    for rule in CONTROLS:
        assert _result(good, rule).outcome is Outcome.PASS, (rule, _result(good, rule).message)
    assert fake.graphql.operations.count("ospoHostFacts") == 1
