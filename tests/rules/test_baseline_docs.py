"""The OSPS Baseline's documentation controls (OSPS-DO-*) on real repositories: each passes on the
project's own document that shows its subject, names the file and line, fails without one, is
not-applicable before the first release, and unknown when the document could not be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config.frameworks import ItemRef
from ospo_scan.model import EvidenceSource, Outcome
from ospo_scan.rules.registry import builtin_rules
from tests.conftest import RepoFactory
from tests.connectors.gitlab.conftest import TOKEN, open_gitlab, read_all
from tests.connectors.gitlab.conftest import snapshot as gitlab_snapshot
from tests.connectors.gitlab.fake_gitlab import FakeGitLab
from tests.connectors.gitlab.fake_model import FILE_MODE, Blob, FakeInstance, FakeProject
from tests.rules.baseline import (
    assert_outcome,
    baseline_ruleset,
    check,
    check_after_losing,
    release,
)
from tests.scanning import local_snapshots

PLAIN_README = (
    "# Tool\n\nA tool that converts the agency's CSV exports into JSON documents for the "
    "reporting pipeline, written and kept by the data team.\n"
)
USAGE = (
    PLAIN_README + "\n## Usage\n\nRun `tool convert data.csv` to write data.json; `tool --help` "
    "lists every option.\n"
)
DEFECTS = (
    "# Contributing\n\nThank you for helping.\n\n## Reporting bugs\n\nUse the tracker: give "
    "the version, what you did and what happened instead.\n"
)
VERIFY = (
    PLAIN_README + "\n## Verifying a download\n\nEach release carries checksums:\n\n"
    "```\nsha256sum -c tool-1.0.0.tar.gz.sha256\n```\n"
)
SIGNER = (
    PLAIN_README + "\nCheck that our release workflow signed the archive:\n\n"
    "```\ncosign verify-blob --certificate-identity "
    "https://github.com/agency/tool/.github/workflows/release.yml@refs/tags/v1.0.0 "
    "--certificate-oidc-issuer https://token.actions.githubusercontent.com "
    "--bundle tool.tar.gz.bundle tool.tar.gz\n```\n"
)
SUPPORTED = (
    "# Security\n\nReport vulnerabilities to security@agency.example.\n\n## Supported versions"
    "\n\n| Version | Supported |\n|---|---|\n| 2.x | yes |\n| 1.x | until 2025-06-30 |\n"
)
END_OF_LIFE = (
    "# Support\n\nAsk questions in the discussions. Each minor version receives security fixes "
    "for 12 months; after that it no longer receives security updates.\n"
)
DEPENDENCIES = (
    "# Contributing\n\nOpen a pull request against main.\n\n## Adding dependencies\n\nNew "
    "dependencies are discussed in an issue first; the lock file pins them and Renovate "
    "tracks their updates.\n"
)
BUILD = (
    PLAIN_README + "\n## Building from source\n\nRequires Go 1.22 or later and GNU make.\n\n"
    "```\nmake build\n```\n"
)

PASSING: dict[str, tuple[dict[str, str], str]] = {
    "user-guide": ({"README.md": USAGE}, "section '## Usage'"),
    "defect-reporting-guide": ({"CONTRIBUTING.md": DEFECTS}, "section '## Reporting bugs'"),
    "release-verification": ({"README.md": VERIFY}, "section '## Verifying a download'"),
    "release-signer-verification": ({"README.md": SIGNER}, "statement 'cosign verify-blob"),
    "release-support-scope": ({"SECURITY.md": SUPPORTED}, "section '## Supported versions'"),
    "security-updates-end": ({"SUPPORT.md": END_OF_LIFE}, "Each minor version receives"),
    "dependency-policy": ({"CONTRIBUTING.md": DEPENDENCIES}, "section '## Adding dependencies'"),
    "build-instructions": ({"README.md": BUILD}, "section '## Building from source'"),
}
AFTER_RELEASE = [rule for rule in PASSING if rule != "build-instructions"]


@pytest.mark.parametrize("rule", PASSING)
def test_passes_on_a_document_that_shows_the_subject(
    rule: str, tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    files, shown = PASSING[rule]
    repo = release(git_repo_factory(tmp_path / "tool", files), git_home)
    finding = check(repo, rule)
    (path,) = files
    assert_outcome(finding, Outcome.PASS, path, shown)
    assert finding.evidence[0].path == path
    assert finding.evidence[0].source is EvidenceSource.REPOSITORY
    assert finding.evidence[0].detail is not None
    assert finding.evidence[0].detail.startswith("line ")


@pytest.mark.parametrize("rule", PASSING)
def test_fails_when_no_document_shows_the_subject(
    rule: str, tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = release(git_repo_factory(tmp_path / "tool", {"README.md": PLAIN_README}), git_home)
    assert_outcome(check(repo, rule), Outcome.FAIL, "Nothing documents", "README.md")


@pytest.mark.parametrize("rule", AFTER_RELEASE)
def test_not_applicable_before_the_first_release(
    rule: str, tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    files, _ = PASSING[rule]
    repo = git_repo_factory(tmp_path / "tool", {"README.md": PLAIN_README, **files})
    assert_outcome(check(repo, rule), Outcome.NOT_APPLICABLE, "no release")


def test_build_instructions_apply_before_any_release(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "tool", {"README.md": PLAIN_README})
    assert_outcome(check(repo, "build-instructions"), Outcome.FAIL)


@pytest.mark.parametrize("rule", PASSING)
def test_unknown_when_the_document_could_not_be_read(
    rule: str, tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    files, _ = PASSING[rule]
    (path,) = files
    repo = release(git_repo_factory(tmp_path / "tool", files), git_home)
    finding = check_after_losing(repo, rule, path)
    assert_outcome(finding, Outcome.UNKNOWN, f"{path} could not be read", "What would settle it")
    assert [e.path for e in finding.evidence] == [path]


def test_a_supported_versions_table_left_as_githubs_template_is_partial(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    template = (
        "# Security Policy\n\n## Supported Versions\n\nUse this section to tell people about "
        "which versions of your project are currently being supported with security updates."
        "\n\n| Version | Supported |\n| ------- | ------------------ |\n| 5.1.x | yes |\n"
    )
    repo = release(git_repo_factory(tmp_path / "tool", {"SECURITY.md": template}), git_home)
    for rule in ("release-support-scope", "security-updates-end"):
        assert_outcome(check(repo, rule), Outcome.PARTIAL, "SECURITY.md", "template")


def test_a_bug_report_issue_template_is_a_guide_for_reporting_defects(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    form = (
        "---\nname: Bug report\nabout: Something does not work\n---\n\n**Describe the bug**\n"
        "What happened, and what you expected.\n"
    )
    files = {"README.md": PLAIN_README, ".github/ISSUE_TEMPLATE/bug_report.md": form}
    repo = release(git_repo_factory(tmp_path / "tool", files), git_home)
    finding = check(repo, "defect-reporting-guide")
    assert_outcome(finding, Outcome.PASS, ".github/ISSUE_TEMPLATE/bug_report.md", "line 6")


def test_the_organisations_contributing_guide_explains_how_to_report_defects(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(entity / ".github", {"CONTRIBUTING.md": DEFECTS})
    release(git_repo_factory(entity / "tool", {"README.md": PLAIN_README}), git_home)
    snapshot = next(s for s in local_snapshots(entity) if s.name == "tool")
    finding = check(entity / "tool", "defect-reporting-guide", snapshot=snapshot)
    assert_outcome(finding, Outcome.PASS, "organisation default")
    assert finding.evidence[0].source is EvidenceSource.ORGANISATION_DEFAULT


def test_build_steps_that_name_no_requirement_are_partial(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    steps = PLAIN_README + "\n## Building\n\n```\nmake\n```\n\nThat writes the binary into bin/.\n"
    repo = git_repo_factory(tmp_path / "tool", {"README.md": steps})
    assert_outcome(
        check(repo, "build-instructions"), Outcome.PARTIAL, "section '## Building'", "requires"
    )


def test_a_building_document_with_its_prerequisites_passes(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    building = (
        "# Building\n\n## Prerequisites\n\n- JDK 21\n- Maven 3.9\n\n## Steps\n\nRun `mvn "
        "package` from the root; the jar lands in target/. The integration tests need a "
        "running PostgreSQL; skip them with -DskipITs when you build offline.\n"
    )
    files = {"README.md": PLAIN_README, "docs/BUILDING.md": building}
    finding = check(git_repo_factory(tmp_path / "tool", files), "build-instructions")
    assert_outcome(finding, Outcome.PASS, "docs/BUILDING.md", "a document on the subject")
    assert finding.evidence[1].detail == "line 3, section '## Prerequisites'; requirements"


def test_install_steps_are_not_build_instructions(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    install = PLAIN_README + "\n## Installation\n\n```\npip install agency-tool\n```\n"
    repo = git_repo_factory(tmp_path / "tool", {"README.md": install})
    assert_outcome(check(repo, "build-instructions"), Outcome.FAIL)


def test_a_heading_without_prose_under_it_shows_nothing(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    empty = PLAIN_README + "\n## Usage\n\n## Licence\n\nMIT, see LICENSE for the full text.\n"
    repo = release(git_repo_factory(tmp_path / "tool", {"README.md": empty}), git_home)
    assert_outcome(check(repo, "user-guide"), Outcome.FAIL)


def test_verification_commands_count_in_a_code_block_but_headings_there_do_not(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    fenced = (
        PLAIN_README + "\n```sh\n# Verifying a download\necho nothing to see here at all now\n```\n"
    )
    repo = release(git_repo_factory(tmp_path / "tool", {"README.md": fenced}), git_home)
    assert_outcome(check(repo, "release-verification"), Outcome.FAIL)
    command = PLAIN_README + "\n```sh\ngpg --verify tool-1.0.0.tar.gz.asc\n```\n"
    repo = release(git_repo_factory(tmp_path / "signed", {"README.md": command}), git_home)
    assert_outcome(check(repo, "release-verification"), Outcome.PASS, "line 6")
    assert_outcome(check(repo, "release-signer-verification"), Outcome.PASS, "gpg --verify")


def test_a_heading_from_the_repository_is_shown_neutralised(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    hostile = USAGE.replace("## Usage", "## Usage \x1b]0;owned\x07\u202e")
    repo = release(git_repo_factory(tmp_path / "tool", {"README.md": hostile}), git_home)
    finding = check(repo, "user-guide")
    assert_outcome(finding, Outcome.PASS, "\\x1b]0;owned\\x07\\u202e")
    shown = finding.message + str(finding.evidence[0].detail)
    assert "\x1b" not in shown
    assert "\u202e" not in shown


CONTROLS = {
    "OSPS-DO-01.01": "user-guide",
    "OSPS-DO-02.01": "defect-reporting-guide",
    "OSPS-DO-03.01": "release-verification",
    "OSPS-DO-03.02": "release-signer-verification",
    "OSPS-DO-04.01": "release-support-scope",
    "OSPS-DO-05.01": "security-updates-end",
    "OSPS-DO-06.01": "dependency-policy",
    "OSPS-DO-07.01": "build-instructions",
    "OSPS-GV-01.01": "project-members",
    "OSPS-GV-01.02": "roles-and-responsibilities",
    "OSPS-GV-03.01": "contribution-process",
    "OSPS-GV-03.02": "contribution-requirements",
    "OSPS-GV-04.01": "permission-review-policy",
    "OSPS-QA-06.02": "test-instructions",
    "OSPS-QA-06.03": "test-policy",
    "OSPS-SA-01.01": "design-documentation",
    "OSPS-SA-02.01": "interface-documentation",
    "OSPS-SA-03.01": "security-assessment",
    "OSPS-SA-03.02": "threat-model",
    "OSPS-VM-01.01": "disclosure-timeframe",
    "OSPS-VM-02.01": "security-policy",
    "OSPS-VM-05.01": "sca-remediation-policy",
    "OSPS-VM-05.02": "sca-release-policy",
    "OSPS-VM-06.01": "sast-remediation-policy",
    "OSPS-BR-07.02": "secrets-policy",
}
"""Each documentation control and the one rule that evidences it in the Baseline ruleset."""


@pytest.mark.parametrize("control", CONTROLS)
def test_each_documentation_control_is_evidenced_by_its_rule(control: str) -> None:
    mapping = baseline_ruleset().mapping
    assert mapping.rules_for(ItemRef("osps-baseline", control)) == (CONTROLS[control],)
    rule = builtin_rules()[CONTROLS[control]]
    explained = dict(rule.explain())
    assert explained, f"{rule.id} explains nothing for `rules show`"
    assert rule.help_url.startswith("https://")


def test_the_baseline_maps_no_rule_that_misses_its_controls_text() -> None:
    """Each failed or passed against a control's text: a project that takes no contributions,
    roles described outside a GOVERNANCE file, a MAINTAINERS file naming nobody (see the
    ruleset's header)."""
    ruleset = baseline_ruleset()
    assert ruleset.rule("contributing") is None
    assert ruleset.rule("governance") is None
    assert ruleset.rule("maintainers") is None


def test_a_list_of_known_issues_is_no_guide_for_reporting_defects(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    known = PLAIN_README + "\n## Known issues\n\nLarge exports over two gigabytes load slowly.\n"
    repo = release(git_repo_factory(tmp_path / "tool", {"README.md": known}), git_home)
    assert_outcome(check(repo, "defect-reporting-guide"), Outcome.FAIL)


def _gitlab_project(releases: tuple[str, ...], files: dict[str, str]) -> FakeProject:
    project = FakeProject("agency/tool", releases=releases)
    project.files.update({path: Blob(FILE_MODE, text.encode()) for path, text in files.items()})
    return project


@pytest.mark.parametrize(
    ("releases", "files", "expected"),
    [
        ((), {"README.md": PLAIN_README}, Outcome.UNKNOWN),
        (("v1.0.0",), {"README.md": PLAIN_README}, Outcome.FAIL),
        ((), {"README.md": PLAIN_README, "CONTRIBUTING.md": DEFECTS}, Outcome.PASS),
    ],
    ids=["no-release-no-guide", "released-no-guide", "no-release-guide"],
)
def test_on_gitlab_a_project_without_releases_may_still_have_tags(
    releases: tuple[str, ...],
    files: dict[str, str],
    expected: Outcome,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GitLab lists releases, not tags: with no release the tags are unknown, so a missing
    guide is unknown, not a fail; a guide passes whether or not a release was made."""
    monkeypatch.delenv("GITLAB_TOKEN", raising=False)
    instance = FakeInstance()
    instance.add_project(_gitlab_project(releases, files))
    with FakeGitLab(instance, tokens=(TOKEN,)) as fake:
        tool = gitlab_snapshot(read_all(open_gitlab(fake, "agency")), "agency/tool")
        finding = check(Path("unused"), "defect-reporting-guide", snapshot=tool)
    assert finding.outcome is expected, finding.message
    if expected is Outcome.UNKNOWN:
        assert "whether the project has made a release" in finding.message
        assert "tags or releases" in finding.message
