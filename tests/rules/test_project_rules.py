"""The Baseline's project controls on real git repositories: codebases (OSPS-QA-04.*), channels
(OSPS-BR-03.*), the released licence (OSPS-LE-02.02, OSPS-LE-03.02) and VEX (OSPS-VM-04.02)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.model import Outcome, RuleResult
from tests.conftest import RepoFactory
from tests.gitrepos import git
from tests.licences.texts import MIT_TITLED, scancode_text
from tests.scanning import evaluate, result

EXAMPLES = Path(__file__).parent / "security_insights"
MINIMUM = (EXAMPLES / "v2.2.0" / "example-minimum.yml").read_text(encoding="utf-8")
MULTI = (EXAMPLES / "v2.2.0" / "example-multi-repository-project.yml").read_text(encoding="utf-8")
FULL = (EXAMPLES / "v2.2.0" / "example-full.yml").read_text(encoding="utf-8")
OPENVEX = {
    "@context": "https://openvex.dev/ns/v0.2.0",
    "@id": "https://openvex.dev/docs/public/vex-1",
    "author": "Water Points maintainers",
    "timestamp": "2025-01-01T00:00:00Z",
    "version": 1,
    "statements": [
        {
            "vulnerability": {"name": "CVE-2024-0001"},
            "products": [{"@id": "pkg:pypi/water-points@1.0.0"}],
            "status": "not_affected",
            "justification": "vulnerable_code_not_in_execute_path",
        }
    ],
}


def _result(repo: Path, rule: str) -> RuleResult:
    return result(evaluate(repo, load_ruleset("osps-baseline", load_plugins=False)), rule)


# OSPS-QA-04.01 and OSPS-QA-04.02


def test_security_insights_listing_several_repositories_passes(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": MULTI})

    found = _result(repo, "codebases-listed")

    assert found.outcome is Outcome.PASS
    assert found.message == "security-insights.yml lists the project's 2 repositories: Foo, Bar."


def test_a_single_listed_repository_is_not_applicable(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": MINIMUM})

    for rule in ("codebases-listed", "subprojects-security"):
        assert _result(repo, rule).outcome is Outcome.NOT_APPLICABLE, rule


def test_nothing_saying_several_repositories_is_not_applicable(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"README.md": "# r\n"})

    found = _result(repo, "codebases-listed")

    assert found.outcome is Outcome.NOT_APPLICABLE
    assert "shows a project of several repositories" in found.message


def test_inherited_project_details_are_unknown(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    reuse = (EXAMPLES / "v2.2.0" / "example-multi-repository-project-reuse.yml").read_text()
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": reuse})

    found = _result(repo, "codebases-listed")

    assert found.outcome is Outcome.UNKNOWN
    assert "inherits the project's details from https://" in found.message


def test_a_released_multi_repository_project_is_unknown_until_reviewed(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": MULTI})
    unreleased = _result(repo, "subprojects-security")
    git(repo, "tag", "v1.0.0", home=git_home)

    found = _result(repo, "subprojects-security")

    assert unreleased.outcome is Outcome.NOT_APPLICABLE
    assert found.outcome is Outcome.UNKNOWN
    assert "What would settle it: scan every repository of the project together" in found.message


# OSPS-BR-03.01 and OSPS-BR-03.02


def test_https_project_links_pass(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    package = {
        "name": "wp",
        "homepage": "https://wp.un.org",
        "repository": {"url": "git+https://github.com/un/wp.git"},
    }
    repo = git_repo_factory(
        tmp_path / "r", {"package.json": json.dumps(package), "security-insights.yml": FULL}
    )

    found = _result(repo, "encrypted-channels")

    assert found.outcome is Outcome.PASS
    assert "(package.json, security-insights.yml) use encrypted connections" in found.message
    assert [e.path for e in found.evidence] == ["package.json", "security-insights.yml"]


def test_an_http_link_fails_naming_where_it_is(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    pyproject = '[project]\nname = "wp"\n[project.urls]\nHomepage = "http://wp.un.org"\nDocs = "https://wp.un.org/docs"\n'
    repo = git_repo_factory(tmp_path / "r", {"pyproject.toml": pyproject})

    found = _result(repo, "encrypted-channels")

    assert found.outcome is Outcome.FAIL
    assert found.message == (
        "1 official channel URI(s) use an unencrypted scheme: "
        "http://wp.un.org (pyproject.toml project.urls.Homepage)."
    )
    assert [(e.path, e.detail) for e in found.evidence] == [
        ("pyproject.toml", "project.urls.Homepage")
    ]


def test_security_insights_links_are_judged_too(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    insights = MINIMUM.replace("https://example.com/foobar/foo", "http://git.un.org/foo")
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": insights})

    found = _result(repo, "encrypted-channels")

    assert found.outcome is Outcome.FAIL
    assert (
        "http://git.un.org/foo (security-insights.yml project.repositories[0].url)" in found.message
    )


def test_local_and_example_links_are_left_out(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    package = {"name": "wp", "homepage": "http://localhost:8080", "bugs": "http://example.com/x"}
    repo = git_repo_factory(tmp_path / "r", {"package.json": json.dumps(package)})

    for rule in ("encrypted-channels", "secure-distribution"):
        assert _result(repo, rule).outcome is Outcome.NOT_APPLICABLE, rule


@pytest.mark.parametrize(
    ("files", "expected", "said"),
    [
        (
            {"requirements.txt": "--index-url https://pypi.un.org/simple\nrequests\n"},
            Outcome.PASS,
            "(requirements.txt)",
        ),
        (
            {".npmrc": "registry=http://npm.un.org/\n"},
            Outcome.FAIL,
            "http://npm.un.org/ (.npmrc registry)",
        ),
        (
            {
                "package.json": json.dumps(
                    {"name": "x", "publishConfig": {"registry": "http://npm.un.org"}}
                )
            },
            Outcome.FAIL,
            "(package.json publishConfig.registry)",
        ),
        (
            {
                "security-insights.yml": FULL.replace(
                    "uri:  https://example.com/foo", "uri: http://dl.un.org/foo"
                )
            },
            Outcome.FAIL,
            "http://dl.un.org/foo (security-insights.yml "
            "repository.release.distribution-points[0].uri)",
        ),
    ],
)
def test_distribution_channels(
    git_repo_factory: RepoFactory,
    tmp_path: Path,
    files: dict[str, str],
    expected: Outcome,
    said: str,
) -> None:
    repo = git_repo_factory(tmp_path / "r", files)

    found = _result(repo, "secure-distribution")

    assert found.outcome is expected
    assert said in found.message


# OSPS-LE-02.02 and OSPS-LE-03.02


def test_released_licence_controls_do_not_apply_before_a_release(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"LICENSE": MIT_TITLED})

    for rule in ("release-licence-approved", "release-licence-included"):
        assert _result(repo, rule).outcome is Outcome.NOT_APPLICABLE, rule


def test_a_release_with_an_approved_licence_file_passes_both(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"LICENSE": MIT_TITLED})
    git(repo, "tag", "v1.0.0", home=git_home)

    approved = _result(repo, "release-licence-approved")
    included = _result(repo, "release-licence-included")

    assert approved.outcome is Outcome.PASS
    assert approved.message.startswith("Releases (latest v1.0.0) are licensed MIT")
    assert "the tag's own tree was not read" in approved.message
    assert included.outcome is Outcome.PASS
    assert "carries its licence in LICENSE" in included.message


def test_a_release_without_a_licence_file_fails_both(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"README.md": "# r\n"})
    git(repo, "tag", "v1.0.0", home=git_home)

    for rule in ("release-licence-approved", "release-licence-included"):
        assert _result(repo, rule).outcome is Outcome.FAIL, rule


def test_a_release_under_a_content_licence_fails_approval(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"LICENSE": scancode_text("cc-by-nc-4.0")})
    git(repo, "tag", "v1.0.0", home=git_home)

    found = _result(repo, "release-licence-approved")

    assert found.outcome is Outcome.FAIL
    assert "not approved: CC-BY-NC-4.0" in found.message
    assert _result(repo, "release-licence-included").outcome is Outcome.PASS


def test_security_insights_names_the_release_licence(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path
) -> None:
    insights = FULL.replace("expression: MIT AND Apache-2.0", "expression: LicenseRef-proprietary")
    repo = git_repo_factory(
        tmp_path / "r", {"LICENSE": MIT_TITLED, "security-insights.yml": insights}
    )
    git(repo, "tag", "v2.0.0", home=git_home)

    found = _result(repo, "release-licence-approved")

    assert found.outcome is Outcome.FAIL
    assert "from security-insights.yml (repository.release.license)" in found.message


def test_released_licence_is_unknown_when_tags_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "ospo-entity.toml").write_text('name = "Agency"\n', encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "LICENSE").write_text(MIT_TITLED, encoding="utf-8")

    found = _result(tmp_path / "app", "release-licence-included")

    assert found.outcome is Outcome.UNKNOWN


# OSPS-VM-04.02


@pytest.mark.parametrize(
    "files",
    [
        {"vex/CVE-2024-0001.json": json.dumps(OPENVEX)},
        {"water-points.vex.json": json.dumps(OPENVEX)},
        {".github/openvex.json": json.dumps(OPENVEX)},
        {"docs/app.csaf.json": json.dumps({"document": {"category": "csaf_vex"}})},
    ],
)
def test_vex_documents_pass(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str]
) -> None:
    repo = git_repo_factory(tmp_path / "r", files)

    assert _result(repo, "vex-documents").outcome is Outcome.PASS


def test_a_vex_attestation_in_security_insights_passes(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": FULL})

    found = _result(repo, "vex-documents")

    assert found.outcome is Outcome.PASS
    assert found.message == "security-insights.yml lists 1 VEX attestation(s)."


def test_a_file_named_as_vex_that_is_not_fails(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"vex.json": '{"vulnerabilities": []}'})

    found = _result(repo, "vex-documents")

    assert found.outcome is Outcome.FAIL
    assert found.message.startswith("vex.json is named as VEX but is neither")


def test_no_vex_document_is_unknown(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    repo = git_repo_factory(tmp_path / "r", {"README.md": "# r\n"})

    found = _result(repo, "vex-documents")

    assert found.outcome is Outcome.UNKNOWN
    assert "What would settle it: auditing the dependencies" in found.message


def test_the_release_tag_s_own_tree_is_judged_on_a_clone(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"README.md": "# r\n"})
    git(repo, "tag", "v1.0.0", home=git_home)
    (repo / "LICENSE").write_text(MIT_TITLED, encoding="utf-8")
    git(repo, "add", "LICENSE", home=git_home)
    git(repo, "commit", "-q", "-m", "Add a licence", home=git_home)

    found = _result(repo, "release-licence-included")

    assert found.outcome is Outcome.FAIL
    assert found.message == (
        "The latest release's tree (v1.0.0) holds no LICENSE, COPYING or LICENSES/ at its root."
    )


def test_annotated_tags_and_packed_objects_are_read(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"COPYING": MIT_TITLED, "LICENSES/MIT.txt": MIT_TITLED})
    git(repo, "tag", "v1.9.0", home=git_home)
    git(repo, "tag", "-a", "v1.10.0", "-m", "Release 1.10.0", home=git_home)
    git(repo, "gc", "-q", home=git_home)
    assert not (repo / ".git" / "refs" / "tags" / "v1.10.0").exists()  # packed now

    found = _result(repo, "release-licence-included")

    assert found.outcome is Outcome.PASS
    assert found.message == (
        "The latest release's tree (v1.10.0) carries its licence in COPYING, LICENSES/."
    )
    assert [e.path for e in found.evidence] == ["v1.10.0:COPYING", "v1.10.0:LICENSES/"]


def test_a_tag_whose_objects_are_missing_falls_back_to_the_default_branch(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"LICENSE": MIT_TITLED})
    (repo / ".git" / "refs" / "tags" / "v9.0.0").write_text("1" * 40 + "\n", encoding="utf-8")

    found = _result(repo, "release-licence-included")

    assert found.outcome is Outcome.PASS
    assert found.message == (
        "Released source (latest v9.0.0) carries its licence in LICENSE (judged on the default "
        "branch at the commit scanned, from which the releases are tagged; the tag's own tree "
        "was not read)."
    )


def test_addresses_the_project_does_not_run_are_not_its_channels(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    insights = MINIMUM.replace(
        "url: https://example.com/LICENSE", "url: http://www.apache.org/licenses/LICENSE-2.0"
    ).replace("social: https://social.example.com/joebob", "social: http://social.un.org/joe")
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": insights})

    assert _result(repo, "security-insights").outcome is Outcome.PASS
    assert _result(repo, "encrypted-channels").outcome is Outcome.NOT_APPLICABLE
