"""license, license-approved and license-consistent on real git repositories."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ospo_scan.config import Ruleset, load_ruleset
from ospo_scan.model import Evidence, EvidenceSource, Outcome, RuleResult
from ospo_scan.scan.evaluation import evaluate_repository
from ospo_scan.snapshot import HostFacts, RepoMetadata
from tests.conftest import RepoFactory
from tests.licences.texts import MIT_TITLED, scancode_text
from tests.scanning import default_ruleset, local_snapshot, result

APACHE = scancode_text("apache-2.0")


def results(
    factory: RepoFactory,
    path: Path,
    files: dict[str, str],
    ruleset: Ruleset | None = None,
) -> dict[str, RuleResult]:
    report = evaluate_repository(local_snapshot(factory(path, files)), ruleset or default_ruleset())
    return {r.rule: r for r in report.results if r.rule.startswith("license")}


def test_identified_licence_file_passes_all_three(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    found = results(
        git_repo_factory,
        tmp_path / "r",
        {"LICENSE": APACHE, "package.json": '{"name": "a", "license": "Apache-2.0"}'},
    )
    assert {rule: r.outcome for rule, r in found.items()} == {
        "license": Outcome.PASS,
        "license-approved": Outcome.PASS,
        "license-consistent": Outcome.PASS,
    }
    assert found["license"].message == "Licensed under Apache-2.0."
    assert found["license"].evidence == (
        Evidence("LICENSE", EvidenceSource.REPOSITORY, "Apache-2.0"),
    )
    assert found["license-approved"].message == "Apache-2.0 is on the approved list (osi + dpg)."
    assert found["license-consistent"].message == (
        "package.json agrees with the licence files (Apache-2.0)."
    )


def test_no_licence_at_all(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    found = results(git_repo_factory, tmp_path / "r", {"README.md": "# Tool\n"})
    assert found["license"].outcome is Outcome.FAIL
    assert found["license-approved"].outcome is Outcome.NOT_APPLICABLE
    assert found["license-consistent"].outcome is Outcome.NOT_APPLICABLE
    assert found["license-consistent"].message == "No manifest declares a licence."


def test_licence_declared_only_in_a_manifest_is_partial(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    found = results(
        git_repo_factory,
        tmp_path / "r",
        {"pyproject.toml": '[project]\nname = "a"\nlicense = "MIT"\n'},
    )
    assert found["license"].outcome is Outcome.PARTIAL
    assert found["license"].message == (
        "Licence MIT is only declared in pyproject.toml, not carried as a licence file."
    )
    assert found["license-approved"].outcome is Outcome.PASS
    # One manifest and no licence file: nothing to compare it with.
    assert found["license-consistent"].outcome is Outcome.NOT_APPLICABLE


def test_two_manifests_without_a_licence_file_are_compared(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    agreeing = results(
        git_repo_factory,
        tmp_path / "agree",
        {
            "pyproject.toml": '[project]\nname = "a"\nlicense = "MIT"\n',
            "package.json": '{"name": "a", "license": "MIT"}',
        },
    )
    assert agreeing["license-consistent"].outcome is Outcome.PASS
    differing = results(
        git_repo_factory,
        tmp_path / "differ",
        {
            "pyproject.toml": '[project]\nname = "a"\nlicense = "MIT"\n',
            "package.json": '{"name": "a", "license": "Apache-2.0"}',
        },
    )
    assert differing["license-consistent"].outcome is Outcome.FAIL


def test_unidentified_licence_text(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    found = results(
        git_repo_factory,
        tmp_path / "r",
        {"LICENSE": "All of this belongs to us. Ask before you look at it.\n"},
    )
    assert found["license"].outcome is Outcome.PARTIAL
    assert found["license-approved"].outcome is Outcome.PARTIAL
    assert found["license-approved"].message.startswith(
        "The licence text in LICENSE could not be identified"
    )


def test_licence_not_on_the_list_fails(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    found = results(git_repo_factory, tmp_path / "r", {"LICENSE": scancode_text("cc-by-nc-4.0")})
    assert found["license"].outcome is Outcome.PASS
    assert found["license-approved"].outcome is Outcome.FAIL
    assert found["license-approved"].message == (
        "CC-BY-NC-4.0 is not on the approved list (osi + dpg)."
    )


def test_dpg_content_licence_is_approved(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    summary = "This dataset is licensed under CC BY 3.0 IGO.\n"
    found = results(git_repo_factory, tmp_path / "r", {"LICENSE.md": summary})
    assert found["license"].outcome is Outcome.PASS
    assert found["license-approved"].outcome is Outcome.PASS


def test_default_licence_makes_other_approved_ones_partial(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    path = tmp_path / "agency.toml"
    path.write_text(
        'id = "agency"\nversion = "1"\nextends = "un-ospo"\n\n[licences]\ndefault = "Apache-2.0"\n',
        encoding="utf-8",
    )
    agency = load_ruleset(str(path), load_plugins=False)
    mit = results(git_repo_factory, tmp_path / "mit", {"LICENSE": MIT_TITLED}, agency)
    apache = results(git_repo_factory, tmp_path / "apache", {"LICENSE": APACHE}, agency)
    assert mit["license-approved"].outcome is Outcome.PARTIAL
    assert mit["license-approved"].message == (
        "MIT is approved (osi + dpg) but the entity's default licence is Apache-2.0."
    )
    assert apache["license-approved"].outcome is Outcome.PASS


def test_invalid_manifest_value_is_partial_with_suggestion(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    found = results(
        git_repo_factory,
        tmp_path / "r",
        {"LICENSE": APACHE, "package.json": '{"name": "a", "license": "Apache-2"}'},
    )
    assert found["license-consistent"].outcome is Outcome.PARTIAL
    assert found["license-consistent"].message == (
        "package.json declares 'Apache-2', not valid SPDX (did you mean Apache-2.0?)."
    )


def test_manifest_contradicting_the_licence_file_fails(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    found = results(
        git_repo_factory,
        tmp_path / "r",
        {"LICENSE": APACHE, "Cargo.toml": '[package]\nname = "a"\nlicense = "MIT"\n'},
    )
    assert found["license-consistent"].outcome is Outcome.FAIL
    assert found["license-consistent"].message == (
        "Cargo.toml declares MIT but the licence files carry Apache-2.0."
    )


def test_only_or_later_differences_are_consistent(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    found = results(
        git_repo_factory,
        tmp_path / "r",
        {
            "COPYING": scancode_text("gpl-3.0"),
            "setup.cfg": "[metadata]\nname = a\nlicense = GPL-3.0-or-later\n",
        },
    )
    assert found["license-consistent"].outcome is Outcome.PASS


def test_report_licence_block(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    repo = git_repo_factory(
        tmp_path / "r",
        {
            "LICENSE-MIT": MIT_TITLED,
            "LICENSE-APACHE": APACHE,
            "Cargo.toml": '[package]\nname = "a"\nlicense = "MIT OR Apache-2.0"\n',
        },
    )
    report = evaluate_repository(local_snapshot(repo), default_ruleset())
    assert report.licence is not None
    assert report.licence.expression == "Apache-2.0 OR MIT"
    assert report.licence.files == ("LICENSE-APACHE", "LICENSE-MIT")
    assert report.licence.approved is True
    assert [d.expression for d in report.licence.declared] == ["MIT OR Apache-2.0"]
    assert result(report, "license-consistent").outcome is Outcome.PASS


def test_host_detection_is_evidence_of_the_license_rule(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    snapshot = local_snapshot(git_repo_factory(tmp_path / "r", {"LICENSE": APACHE}))
    hosted = dataclasses.replace(
        snapshot, metadata=RepoMetadata(host=HostFacts(licence_spdx="MIT"))
    )
    report = evaluate_repository(hosted, default_ruleset())
    licence = result(report, "license")
    assert licence.outcome is Outcome.PASS
    assert licence.evidence[-1] == Evidence(
        "license",
        EvidenceSource.HOST,
        "the host detects MIT, the licence files read here carry Apache-2.0",
    )


def test_npm_unlicensed_package_is_proprietary(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    found = results(
        git_repo_factory,
        tmp_path / "r",
        {"package.json": '{"name": "internal-tool", "license": "UNLICENSED"}'},
    )
    # UNLICENSED declares that no licence is granted: not a licence only declared elsewhere.
    assert found["license"].outcome is Outcome.FAIL
    assert "grants no rights" in found["license"].message
    assert found["license-approved"].outcome is Outcome.FAIL
    assert found["license-approved"].message == (
        "UNLICENSED grants no rights to others: proprietary."
    )


def test_an_empty_licence_file_leaves_nothing_to_approve(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    found = results(git_repo_factory, tmp_path / "r", {"LICENSE": "\n"})
    assert found["license"].outcome is Outcome.FAIL
    assert found["license-approved"].outcome is Outcome.NOT_APPLICABLE
