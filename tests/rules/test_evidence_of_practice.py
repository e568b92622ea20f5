"""Files that show an intention rather than a practice, and evidence found where it really is:
templates nobody filled in, a changelog without a release, a security channel given in the
contributing guide, a CODEOWNERS for some paths, an R package's maintainer, a README's
contributing section."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.model import Outcome
from tests.conftest import RepoFactory
from tests.scanning import evaluate, result

README = "# Field app\n\nCollects survey answers offline. Run `pip install field-app` to use it.\n"

OLD_FIX_GOVERNANCE = """# Governance of field-app

This document describes how work on field-app is organised: who decides, how decisions are
made, and how to take on a role. Edit it to match how the work really happens.

## Roles

Maintainers review and merge contributions and publish releases.
"""
COVENANT_UNFILLED = """# Contributor Covenant Code of Conduct

## Enforcement

Instances of abusive, harassing, or otherwise unacceptable behavior may be
reported to the community leaders responsible for enforcement at
[INSERT CONTACT METHOD].
All complaints will be reviewed and investigated promptly and fairly.
"""
GITHUB_SECURITY_SUGGESTION = """# Security Policy

## Supported Versions

Use this section to tell people about which versions of your project are
currently being supported with security updates.

## Reporting a Vulnerability

Use this section to tell people how to report a vulnerability. Mail security@field.example.org.
"""
OWN_GOVERNANCE = """# How field-app is run

The data team of the country office decides on releases. Two maintainers review every change;
disagreements go to the team lead, who decides within a week.
"""


@pytest.mark.parametrize(
    ("rule", "path", "text", "placeholder"),
    [
        ("governance", "GOVERNANCE.md", OLD_FIX_GOVERNANCE, "edit it to match"),
        ("code-of-conduct", "CODE_OF_CONDUCT.md", COVENANT_UNFILLED, "[INSERT CONTACT METHOD]"),
        ("security-policy", "SECURITY.md", GITHUB_SECURITY_SUGGESTION, "use this section"),
    ],
    ids=["fix-governance-before-the-marker", "covenant-without-contact", "github-suggestion"],
)
def test_a_known_template_with_its_placeholders_unfilled_is_partial(
    git_repo_factory: RepoFactory,
    tmp_path: Path,
    rule: str,
    path: str,
    text: str,
    placeholder: str,
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": README, path: text})

    found = result(evaluate(repo), rule)

    assert found.outcome is Outcome.PARTIAL
    assert f"{path} is written from a template, not yet reviewed" in found.message
    assert placeholder in found.message.lower() or placeholder in found.message


def test_a_governance_document_of_ones_own_passes(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "app", {"README.md": README, "GOVERNANCE.md": OWN_GOVERNANCE}
    )
    assert result(evaluate(repo), "governance").outcome is Outcome.PASS


@pytest.mark.parametrize(
    ("changelog", "expected"),
    [
        ("# Changelog\n\n## [Unreleased]\n\n### Added\n\n### Fixed\n", Outcome.PARTIAL),
        (
            "# Changelog\n\nBased on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n"
            "\n## Unreleased\n\n- Offline mode\n",
            Outcome.PARTIAL,
        ),
        ("# Changelog\n\n## [Unreleased]\n\n## [2.1.0] - 2025-03-02\n\n- Offline mode\n", None),
        ("# fieldapp 0.4.0\n\n* Reads Kobo exports.\n", None),
        ("Changes in 1.3\n==============\n\n- Reads Kobo exports.\n", None),
        ("v1.2.0 (2024-11-02)\n  * Reads Kobo exports.\n", None),
        ("2024-11-02  Amina Diallo\n\n\t* reader.c: read Kobo exports.\n", None),
    ],
    ids=[
        "empty-unreleased",
        "version-only-in-a-link",
        "keep-a-changelog",
        "r-news",
        "rst",
        "plain",
        "gnu",
    ],
)
def test_a_changelog_that_records_no_release_is_partial(
    git_repo_factory: RepoFactory, tmp_path: Path, changelog: str, expected: Outcome | None
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": README, "CHANGELOG.md": changelog})

    found = result(evaluate(repo), "changelog")

    assert found.outcome is (expected or Outcome.PASS), found.message
    if expected is Outcome.PARTIAL:
        assert found.message == "Changelog CHANGELOG.md records no release yet."


CONTRIBUTING_WITH_CHANNEL = """# Contributing

Pull requests are welcome: fork the repository, branch, and open a pull request with tests.
Security problems are never reported in public issues: write to psirt@agency.example.org.
"""


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"CONTRIBUTING.md": CONTRIBUTING_WITH_CHANNEL}, "contributing guide CONTRIBUTING.md"),
        (
            {
                "README.md": README
                + "\n## Security\n\nReport vulnerabilities to psirt@agency.example.org.\n"
            },
            "README README.md",
        ),
    ],
    ids=["contributing", "readme"],
)
def test_a_private_channel_outside_a_security_file_is_partial(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str], where: str
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": README, **files})

    found = result(evaluate(repo), "security-policy")

    assert found.outcome is Outcome.PARTIAL
    assert found.message == (
        f"No SECURITY policy; the {where} names a private channel: e-mail psirt@agency.example.org."
    )


@pytest.mark.parametrize(
    ("codeowners", "expected", "message"),
    [
        (
            "*.sps @stats-team\n/syntax/ @stats-team\n",
            Outcome.PARTIAL,
            "owns only some paths: *.sps, /syntax/.",
        ),
        ("# owners\n*.sps\n", Outcome.PARTIAL, "gives no path an owner."),
        ("*.sps @stats-team\n* @agency/maintainers # everything else\n", Outcome.PASS, None),
        ("[Docs]\n/docs/ @writers\n/** @agency/maintainers\n", Outcome.PASS, None),
    ],
    ids=["some-paths", "no-owner", "star", "gitlab-sections"],
)
def test_a_codeowners_that_owns_only_some_paths_is_partial(
    git_repo_factory: RepoFactory,
    tmp_path: Path,
    codeowners: str,
    expected: Outcome,
    message: str | None,
) -> None:
    repo = git_repo_factory(
        tmp_path / "app", {"README.md": README, ".github/CODEOWNERS": codeowners}
    )

    found = result(evaluate(repo), "maintainers")

    assert found.outcome is expected, found.message
    if message is not None:
        assert found.message == f"CODEOWNERS .github/CODEOWNERS {message}"


R_MAINTAINER = """Package: surveyr
Title: Read Field Survey Exports
Version: 0.4.0
Maintainer: Amina Diallo <amina.diallo@agency.example.org>
License: MIT + file LICENSE
"""
R_AUTHORS = """Package: surveyr
Title: Read Field Survey Exports
Version: 0.4.0
Authors@R: c(
    person("Jonas", "Berg", role = "aut"),
    person("Amina", "Diallo", email = "amina.diallo@agency.example.org",
           role = c("aut", "cre"), comment = c(ORCID = "0000-0002-1825-0097")))
License: GPL-3
"""
R_NO_MAINTAINER = "Package: surveyr\nVersion: 0.4.0\nLicense: GPL-3\n"
R_SKELETON = (
    "Package: surveyr\nVersion: 0.1\nMaintainer: Who to complain to <yourfault@somewhere.net>\n"
)


@pytest.mark.parametrize(
    ("description", "named"),
    [(R_MAINTAINER, "Amina Diallo <amina.diallo@agency.example.org>"), (R_AUTHORS, "Amina Diallo")],
    ids=["maintainer-field", "authors-cre"],
)
def test_an_r_package_names_its_maintainer_in_description(
    git_repo_factory: RepoFactory, tmp_path: Path, description: str, named: str
) -> None:
    repo = git_repo_factory(tmp_path / "surveyr", {"README.md": README, "DESCRIPTION": description})

    found = result(evaluate(repo), "maintainers")

    assert found.outcome is Outcome.PARTIAL
    assert found.message == (
        f"No maintainers file; the R package's DESCRIPTION names its maintainer: {named}."
    )
    assert found.evidence[0].path == "DESCRIPTION"


@pytest.mark.parametrize("description", [R_NO_MAINTAINER, R_SKELETON], ids=["none", "skeleton"])
def test_an_r_package_without_a_maintainer_fails(
    git_repo_factory: RepoFactory, tmp_path: Path, description: str
) -> None:
    repo = git_repo_factory(tmp_path / "surveyr", {"README.md": README, "DESCRIPTION": description})
    assert result(evaluate(repo), "maintainers").outcome is Outcome.FAIL


@pytest.mark.parametrize(
    ("readme", "expected"),
    [
        (
            README + "\n## Contributing\n\nOpen an issue first, then a pull request with tests.\n"
            "\n## Licence\n\nMIT\n",
            Outcome.PARTIAL,
        ),
        (README + "\n## Contributing\n\nSoon.\n", Outcome.FAIL),
        (README + "\nContributions welcome.\n", Outcome.FAIL),
    ],
    ids=["section", "empty-section", "a-sentence-only"],
)
def test_a_readme_contributing_section_is_partial(
    git_repo_factory: RepoFactory, tmp_path: Path, readme: str, expected: Outcome
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": readme})

    found = result(evaluate(repo), "contributing")

    assert found.outcome is expected, found.message
    if expected is Outcome.PARTIAL:
        assert (
            found.message
            == "No CONTRIBUTING guide; README README.md has a section on contributing."
        )


def test_words_that_look_like_placeholders_in_real_guides_are_not_templates(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    contributing = (
        "# Contributing\n\nFork the repository, then clone your fork with\n"
        "`git clone https://github.com/<your-username>/field-app` and open a pull request.\n"
        "See the [Project](https://github.com/orgs/agency/projects/1) board for open tasks, "
        "and the Helm values (`{{ .Values.image }}`) in deploy/ for the chart.\n"
    )
    repo = git_repo_factory(
        tmp_path / "app", {"README.md": README, "CONTRIBUTING.md": contributing}
    )

    assert result(evaluate(repo), "contributing").outcome is Outcome.PASS


def test_an_address_in_the_readme_that_is_not_about_security_is_no_channel(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    readme = README + "\n## Contact\n\nQuestions go to the data team at data@agency.example.org.\n"
    repo = git_repo_factory(tmp_path / "app", {"README.md": readme})

    assert result(evaluate(repo), "security-policy").outcome is Outcome.FAIL
