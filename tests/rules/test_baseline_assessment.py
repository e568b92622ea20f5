"""The OSPS Baseline's security assessment and vulnerability management documents (OSPS-SA-*,
OSPS-VM-01.01, VM-05.01, VM-05.02, VM-06.01) on real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.model import Outcome
from tests.conftest import RepoFactory
from tests.rules.baseline import assert_outcome, check, check_after_losing, release

README = (
    "# Tool\n\nA tool that converts the agency's CSV exports into JSON documents for the "
    "reporting pipeline, written and kept by the data team.\n"
)
ARCHITECTURE = (
    "# Architecture\n\nThe command-line client reads CSV exports from the data warehouse, "
    "validates each row against the schema, and writes JSON documents to the reporting bucket. "
    "The release workflow builds and signs the archives; only maintainers can start it.\n"
)
API = (
    README + "\n## API reference\n\n`convert(path, schema)` returns the JSON document; "
    "`validate(row)` raises `RowError` on a bad row.\n"
)
ASSESSMENT = (
    "# Security self-assessment\n\nThe tool's most likely problems are malformed CSV input "
    "crafted to exhaust memory and a stolen bucket credential. The input is read in bounded "
    "chunks; the credential is scoped to one bucket and rotated.\n"
)
THREAT_MODEL = (
    "# Threat model\n\nAssets: the reporting bucket and its credential. Attack surface: the "
    "CSV parser, the command-line options and the release workflow. Threats: a crafted CSV "
    "file, a poisoned dependency, a forged release.\n"
)
DISCLOSURE = (
    "# Security\n\nReport vulnerabilities to security@agency.example. We acknowledge every "
    "report within 3 business days and agree a disclosure date with the reporter.\n"
)
SCA = (
    "# Security\n\nReport vulnerabilities to security@agency.example.\n\n## Vulnerable "
    "dependencies\n\nCritical and high vulnerabilities in dependencies must be fixed within "
    "14 days, others by the next release.\nDependencies must carry a licence on the OSI list; "
    "the licence check blocks any other.\n"
)
SCA_RELEASE = (
    "# Contributing\n\nOpen a pull request against main.\n\nNo release ships with known "
    "vulnerabilities in its dependencies: the release manager runs the audit first.\n"
)
SAST = (
    "# Contributing\n\nOpen a pull request against main. CodeQL alerts of high or critical "
    "severity block the merge until they are fixed or dismissed with a reason.\n"
)

PASSING: dict[str, tuple[dict[str, str], str]] = {
    "design-documentation": ({"ARCHITECTURE.md": ARCHITECTURE}, "a document on the subject"),
    "interface-documentation": ({"README.md": API}, "section '## API reference'"),
    "security-assessment": ({"docs/security-assessment.md": ASSESSMENT}, "a document on"),
    "threat-model": ({"THREAT_MODEL.md": THREAT_MODEL}, "a document on the subject"),
    "disclosure-timeframe": ({"SECURITY.md": DISCLOSURE}, "within 3 business days"),
    "sca-remediation-policy": ({"SECURITY.md": SCA}, "section '## Vulnerable dependencies'"),
    "sca-release-policy": ({"CONTRIBUTING.md": SCA_RELEASE}, "No release ships"),
    "sast-remediation-policy": ({"CONTRIBUTING.md": SAST}, "CodeQL alerts of high"),
}
AFTER_RELEASE = ["design-documentation", "interface-documentation", "security-assessment"]
AFTER_RELEASE += ["threat-model"]
PERSON_JUDGES = AFTER_RELEASE


@pytest.mark.parametrize("rule", PASSING)
def test_passes_on_a_document_that_shows_the_subject(
    rule: str, tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    files, shown = PASSING[rule]
    repo = release(git_repo_factory(tmp_path / "tool", {"README.md": README, **files}), git_home)
    (path,) = files
    finding = check(repo, rule)
    assert_outcome(finding, Outcome.PASS, path, shown)
    assert finding.evidence[0].path == path
    if rule in PERSON_JUDGES:
        assert "is for a person to judge" in finding.message
        assert "adequacy is for a person to judge" in str(finding.evidence[0].detail)


@pytest.mark.parametrize("rule", PASSING)
def test_fails_without_it(
    rule: str, tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = release(git_repo_factory(tmp_path / "tool", {"README.md": README}), git_home)
    assert_outcome(check(repo, rule), Outcome.FAIL, "Nothing documents")


@pytest.mark.parametrize("rule", AFTER_RELEASE)
def test_not_applicable_before_the_first_release(
    rule: str, tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    files, _ = PASSING[rule]
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, **files})
    assert_outcome(check(repo, rule), Outcome.NOT_APPLICABLE, "no release")


@pytest.mark.parametrize("rule", PASSING)
def test_unknown_when_the_document_could_not_be_read(
    rule: str, tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    files, _ = PASSING[rule]
    (path,) = files
    repo = release(git_repo_factory(tmp_path / "tool", {"README.md": README, **files}), git_home)
    finding = check_after_losing(repo, rule, path)
    assert_outcome(finding, Outcome.UNKNOWN, f"{path} could not be read", "What would settle it")


def test_a_threat_model_in_pdf_is_for_a_person_to_read(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    files: dict[str, str | bytes] = {"README.md": README, "docs/threat-model.pdf": b"%PDF-1\x00"}
    repo = release(git_repo_factory(tmp_path / "tool", files), git_home)
    finding = check(repo, "threat-model")
    assert_outcome(finding, Outcome.UNKNOWN, "docs/threat-model.pdf", "a person reading")


def test_a_design_directory_under_docs_is_for_a_person_to_read(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    files = {"README.md": README, "docs/design/overview.md": ARCHITECTURE}
    repo = release(git_repo_factory(tmp_path / "tool", files), git_home)
    finding = check(repo, "design-documentation")
    assert_outcome(finding, Outcome.UNKNOWN, "docs/design/", "does not read directories")
    code = release(
        git_repo_factory(tmp_path / "code", {"README.md": README, "design/x.py": ""}), git_home
    )
    assert_outcome(check(code, "design-documentation"), Outcome.FAIL)


def test_an_openapi_description_documents_the_interfaces(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    openapi = (
        "openapi: 3.1.0\ninfo:\n  title: Conversion service\n  version: 1.0.0\npaths:\n"
        "  /convert:\n    post:\n      summary: Convert an uploaded CSV export into a JSON "
        "document, validating each row against the published schema first\n"
    )
    files = {"README.md": README, "docs/openapi.yaml": openapi}
    repo = release(git_repo_factory(tmp_path / "tool", files), git_home)
    assert_outcome(check(repo, "interface-documentation"), Outcome.PASS, "docs/openapi.yaml")


def test_a_security_policy_without_a_response_time_is_partial(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    policy = "# Security\n\nReport vulnerabilities privately to security@agency.example.\n"
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, "SECURITY.md": policy})
    assert_outcome(
        check(repo, "disclosure-timeframe"), Outcome.PARTIAL, "SECURITY.md", "no response time"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "You will hear from us within 48 hours.",
        "We respond in 2-3 working days.",
        "We follow a 90-day disclosure deadline.",
        "Expect an answer within five business days.",
    ],
)
def test_response_times_as_policies_state_them(
    sentence: str, tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    policy = f"# Security\n\nReport vulnerabilities to security@agency.example. {sentence}\n"
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, "SECURITY.md": policy})
    assert_outcome(check(repo, "disclosure-timeframe"), Outcome.PASS, sentence[-20:])


def test_githubs_security_policy_template_is_partial_for_the_response_time(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    template = (
        "# Security Policy\n\n## Reporting a Vulnerability\n\nUse this section to tell people "
        "how to report a vulnerability. Tell them where to go, how often they can expect to "
        "get an update within 7 days on a reported vulnerability.\n"
    )
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, "SECURITY.md": template})
    assert_outcome(check(repo, "disclosure-timeframe"), Outcome.PARTIAL, "template")


def test_a_dependency_threshold_without_a_word_on_licences_is_partial(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    policy = SCA.split("Dependencies must carry")[0]
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, "SECURITY.md": policy})
    assert_outcome(check(repo, "sca-remediation-policy"), Outcome.PARTIAL, "licences")


def test_a_severity_threshold_for_the_projects_own_code_is_no_dependency_policy(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    policy = (
        "# Security\n\nReport to security@agency.example. Critical vulnerabilities must be "
        "fixed within 7 days.\n"
    )
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, "SECURITY.md": policy})
    assert_outcome(check(repo, "sca-remediation-policy"), Outcome.PARTIAL, "no severity threshold")


def test_an_audit_step_in_the_release_process_addresses_dependency_findings(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    releasing = (
        "# Releasing\n\n1. Update the changelog.\n2. Run `pip-audit -r requirements.txt` and "
        "fix every finding.\n3. Tag the release.\n"
    )
    files = {"README.md": README, "RELEASING.md": releasing}
    finding = check(git_repo_factory(tmp_path / "tool", files), "sca-release-policy")
    assert_outcome(finding, Outcome.PASS, "RELEASING.md", "line 4", "pip-audit")
