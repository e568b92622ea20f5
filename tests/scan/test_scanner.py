"""The scanner keeps what it scanned when a connector fails part-way through an entity."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ospo_scan.config import load_ruleset
from ospo_scan.config.ruleset import RuleConfig
from ospo_scan.connectors.interface import EntitySource, RepoFailure, TargetKind
from ospo_scan.errors import ConnectorError
from ospo_scan.model import Finding, Outcome, RepoStatus
from ospo_scan.rules.interface import Rule, RuleContext
from ospo_scan.scan.scanner import Scanner
from ospo_scan.snapshot import HostFact, Snapshot
from tests.conftest import RepoFactory
from tests.scanning import local_snapshots


def test_a_connector_failing_mid_listing_keeps_the_scanned_repositories(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    git_repo_factory(tmp_path / "org" / "first", {"README.md": "# first\n"})
    snapshots = local_snapshots(tmp_path / "org")

    def failing() -> Iterator[Snapshot | RepoFailure]:
        yield from snapshots
        raise ConnectorError("GitHub stopped answering", hint="try again later")

    source = EntitySource("org", TargetKind.GITHUB, failing(), url="https://github.com/org")
    ruleset = load_ruleset(load_plugins=False)
    reports = list(Scanner(ruleset)._scan_source(source, ruleset))
    assert [r.name for r in reports] == ["first", "org/*"]
    assert reports[0].status is RepoStatus.OK
    assert reports[1].status is RepoStatus.ERROR
    assert "GitHub stopped answering" in (reports[1].error or "")


def test_visibility_private_includes_internal_projects() -> None:
    from ospo_scan.scan.scanner import ScopePolicy
    from ospo_scan.snapshot import RepoMetadata

    private = ScopePolicy(visibility="private")
    public = ScopePolicy(visibility="public")
    every = ScopePolicy(visibility="all")
    for visibility, in_private, in_public in [
        ("public", False, True),
        ("private", True, False),
        ("internal", True, False),
    ]:
        metadata = RepoMetadata(visibility=visibility)
        assert private.selected("group/p", metadata) is in_private
        assert public.selected("group/p", metadata) is in_public
        assert every.selected("group/p", metadata)


class _ReleaseReader(Rule):
    id = "reads-releases"
    category = "maintenance"
    description = "Reads the host's releases."
    help_url = "https://example.org/releases"
    remediation = "Publish a release."
    host_facts = frozenset({HostFact.RELEASES})

    def check(self, context: RuleContext) -> Finding:
        return Finding(Outcome.PASS, "read")


def test_the_source_is_told_the_host_facts_of_the_rulesets_rules_before_it_is_read() -> None:
    asked: list[frozenset[HostFact]] = []
    read: list[str] = []

    def repositories() -> Iterator[Snapshot | RepoFailure]:
        read.append(f"read after {len(asked)} request(s)")
        yield Snapshot("org/one", "https://example.org/org/one")

    source = EntitySource("org", TargetKind.GITHUB, repositories(), ask_for=asked.append)
    bundled = load_ruleset(load_plugins=False)
    assert bundled.host_facts == frozenset()  # today's rules read no fact beyond every scan's
    list(Scanner(bundled)._scan_source(source, bundled))
    ruleset = replace(bundled, rules=(*bundled.rules, RuleConfig(_ReleaseReader(), 1.0)))
    source = replace(source, repositories=repositories())
    list(Scanner(ruleset)._scan_source(source, ruleset))
    assert asked == [frozenset(), frozenset({HostFact.RELEASES})]
    assert read == ["read after 1 request(s)", "read after 2 request(s)"]
