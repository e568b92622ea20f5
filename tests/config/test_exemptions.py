"""Exemptions from `.ospo-scan.toml` and the entity file (SPEC §4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.errors import ConfigError
from ospo_scan.model import Outcome
from ospo_scan.scan.scanner import Scanner
from tests.conftest import RepoFactory
from tests.scanning import report_json

TODAY = dt.date(2026, 11, 27)


def _scan(path: Path) -> dict[str, object]:
    scanner = Scanner(load_ruleset(load_plugins=False), ScanOptions(), today=TODAY)
    return report_json(scanner.scan([str(path)]))


def _outcomes(report: dict[str, object], repo: str) -> dict[str, str]:
    repos = report["repositories"]
    assert isinstance(repos, list)
    entry = next(r for r in repos if r["name"] == repo)
    return {r["rule"]: r["outcome"] for r in entry["results"]}


def test_valid_expired_and_reasonless_exemptions(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    entity = tmp_path / "entity"
    git_repo_factory(
        entity / "valid",
        {
            ".ospo-scan.toml": """
[[exemptions]]
rule = "governance"
reason = "A single-maintainer utility; governance is the division's."
expires = 2027-06-30
"""
        },
    )
    git_repo_factory(
        entity / "expired",
        {
            ".ospo-scan.toml": """
[[exemptions]]
rule = "governance"
reason = "Temporary."
expires = 2025-01-01
"""
        },
    )
    git_repo_factory(
        entity / "no-reason",
        {
            ".ospo-scan.toml": """
[[exemptions]]
rule = "governance"
"""
        },
    )
    git_repo_factory(entity / "broken", {".ospo-scan.toml": "[[exemptions]\n"})
    report = _scan(entity)
    assert _outcomes(report, "valid")["governance"] == Outcome.EXEMPT.value
    # An exemption that cannot be honoured leaves the rule's own outcome (and score) alone
    # and is reported as a warning on the repository.
    assert _outcomes(report, "expired")["governance"] == Outcome.FAIL.value
    assert _outcomes(report, "no-reason")["governance"] == Outcome.FAIL.value
    assert _outcomes(report, "broken")["governance"] == Outcome.FAIL.value
    summary = report["summary"]
    assert isinstance(summary, dict)
    assert summary["errors"] == 0
    repos = {r["name"]: r for r in report["repositories"]}  # type: ignore[attr-defined]
    assert any("exemptions were ignored" in w for w in repos["broken"]["warnings"])
    assert repos["expired"]["score"] == repos["no-reason"]["score"] == repos["broken"]["score"]
    assert any(
        "exemption for governance" in w and "expired on 2025-01-01" in w
        for w in repos["expired"]["warnings"]
    )
    assert any("has no reason" in w for w in repos["no-reason"]["warnings"])


def test_entity_file_exemptions_apply_to_matching_repositories(tmp_path: Path) -> None:
    entity = tmp_path / "entity"
    (entity / "data-a").mkdir(parents=True)
    (entity / "tool").mkdir()
    (entity / "ospo-entity.toml").write_text("""
name = "Agency"

[[exemptions]]
rule = "changelog"
reason = "Datasets are versioned by release date."
repositories = ["data-*"]
""")
    report = _scan(entity)
    assert _outcomes(report, "data-a")["changelog"] == Outcome.EXEMPT.value
    assert _outcomes(report, "tool")["changelog"] == Outcome.FAIL.value


def test_an_exemption_does_not_hide_a_pass(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    repo = git_repo_factory(
        tmp_path / "repo",
        {
            "CHANGELOG.md": "## 1.0\n",
            ".ospo-scan.toml": '[[exemptions]]\nrule = "changelog"\nreason = "n/a"\n',
        },
    )
    assert _outcomes(_scan(repo), "repo")["changelog"] == Outcome.PASS.value


def test_an_unknown_rule_in_a_repository_exemption_is_a_warning(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "repo",
        {
            ".ospo-scan.toml": '# ours\n\n[[exemptions]]\nrule = "governence"\nreason = "later"\n',
        },
    )
    report = _scan(repo)
    repositories = report["repositories"]
    assert isinstance(repositories, list)
    (entry,) = repositories
    assert _outcomes(report, "repo")["governance"] == Outcome.FAIL.value
    assert (
        ".ospo-scan.toml:3: exemption names an unknown rule id 'governence' "
        "(did you mean 'governance'?); it was ignored"
    ) in entry["warnings"]


def test_an_unknown_rule_in_the_entity_file_is_a_configuration_error(tmp_path: Path) -> None:
    entity = tmp_path / "entity"
    (entity / "tool").mkdir(parents=True)
    (entity / "ospo-entity.toml").write_text(
        'name = "Agency"\n\n[[exemptions]]\nrule = "changelog"\nreason = "ok"\n\n'
        '[[exemptions]]\nrule = "governence"\nreason = "later"\n'
    )
    scanner = Scanner(load_ruleset(load_plugins=False), ScanOptions(), today=TODAY)
    with pytest.raises(ConfigError) as caught:
        scanner.scan([str(entity)])
    assert caught.value.one_line() == (
        f"{entity / 'ospo-entity.toml'}:7: exemptions.rule: exemption names an unknown rule id "
        "'governence' (did you mean 'governance'?)"
    )
    assert caught.value.exit_code == 2


def test_an_exemption_for_a_rule_the_ruleset_disables_is_not_an_error(tmp_path: Path) -> None:
    ruleset = tmp_path / "lean.toml"
    ruleset.write_text('id = "lean"\nextends = "un-ospo"\n[rules.changelog]\nenabled = false\n')
    entity = tmp_path / "entity"
    (entity / "tool").mkdir(parents=True)
    (entity / "ospo-entity.toml").write_text('[[exemptions]]\nrule = "changelog"\nreason = "x"\n')
    scanner = Scanner(load_ruleset(str(ruleset), load_plugins=False), ScanOptions(), today=TODAY)
    report = report_json(scanner.scan([str(entity)]))
    assert "changelog" not in _outcomes(report, "tool")


FIVE_EXEMPTIONS = """# Exemptions agreed with the OSPO in 2026
[[exemptions]]
rule = "changelog"
reason = "released through the data catalogue"

[[exemptions]]
rule = "governance"
reason = "governed by the steering group charter"
expires = "2027-06-30"

[[exemptions]]
rule = "code-of-conduct"
reason = "the entity's conduct policy applies"

[[exemptions]]
rule = "dependency-updates"
reason = "no dependencies"

[[exemptions]]
rule = "security-policy"
reason = "reported through the entity's VDP"
expires = "end of June"
"""


def test_a_bad_value_is_reported_at_its_own_line_in_the_entity_file(tmp_path: Path) -> None:
    entity = tmp_path / "entity"
    (entity / "tool").mkdir(parents=True)
    (entity / "ospo-entity.toml").write_text('name = "Agency"\n' + FIVE_EXEMPTIONS)
    scanner = Scanner(load_ruleset(load_plugins=False), ScanOptions(), today=TODAY)

    with pytest.raises(ConfigError) as caught:
        scanner.scan([str(entity)])

    assert caught.value.one_line() == (
        f"{entity / 'ospo-entity.toml'}:23: exemptions.expires: expires must be a date like "
        "2027-06-30"
    )


def test_one_bad_exemption_in_a_repository_keeps_the_valid_ones_beside_it(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "repo", {".ospo-scan.toml": FIVE_EXEMPTIONS})

    report = _scan(repo)

    outcomes = _outcomes(report, "repo")
    for rule in ("changelog", "governance", "code-of-conduct", "dependency-updates"):
        assert outcomes[rule] == Outcome.EXEMPT.value, rule
    assert outcomes["security-policy"] == Outcome.FAIL.value
    repositories = report["repositories"]
    assert isinstance(repositories, list)
    assert repositories[0]["warnings"] == [
        ".ospo-scan.toml:22: exemptions.expires: expires must be a date like 2027-06-30; "
        "that exemption was ignored"
    ]
