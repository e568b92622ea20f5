"""The OSPS Baseline's governance, quality and secrets policies (OSPS-GV-01.01, GV-01.02,
GV-03.01, GV-03.02, GV-04.01, QA-06.02, QA-06.03, BR-07.02) on real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.model import Outcome
from ospo_scan.rules.boilerplate import TEMPLATE_NOTE
from tests.conftest import RepoFactory
from tests.rules.baseline import assert_outcome, check, check_after_losing, release

README = (
    "# Tool\n\nA tool that converts the agency's CSV exports into JSON documents for the "
    "reporting pipeline, written and kept by the data team.\n"
)
ROLES = (
    "# Governance\n\n## Roles\n\nMaintainers review and merge changes, cut releases and answer "
    "security reports. Contributors propose changes through pull requests.\n"
)
REQUIREMENTS = (
    "# Contributing\n\nOpen an issue first, then a pull request against main.\n\n"
    "Every commit must be signed off (git commit -s) under the DCO.\n"
)
PERMISSIONS = (
    "# Governance\n\n## Becoming a maintainer\n\nA contributor with a record of reviewed "
    "changes is nominated by a maintainer; the maintainers vote, and a two-thirds majority "
    "grants write access.\n"
)
TESTS = (
    "# Contributing\n\n## Running the tests\n\nRun `pytest` from the root. The same suite runs "
    "on every pull request in GitHub Actions.\n"
)
TEST_POLICY = (
    "# Contributing\n\nOpen a pull request against main. Changes to behaviour must include "
    "tests that show the new behaviour.\n"
)
SECRETS = (
    "# Security\n\nReport vulnerabilities to security@agency.example.\n\n## Secrets\n\nRelease "
    "and deployment credentials live in the CI's protected secrets, readable only by the "
    "release job; maintainers rotate them every six months.\n"
)

PASSING: dict[str, tuple[dict[str, str], str]] = {
    "roles-and-responsibilities": ({"GOVERNANCE.md": ROLES}, "section '## Roles'"),
    "contribution-requirements": ({"CONTRIBUTING.md": REQUIREMENTS}, "must be signed off"),
    "permission-review-policy": ({"GOVERNANCE.md": PERMISSIONS}, "'## Becoming a maintainer'"),
    "test-instructions": ({"CONTRIBUTING.md": TESTS}, "'## Running the tests'"),
    "test-policy": ({"CONTRIBUTING.md": TEST_POLICY}, "must include tests"),
    "secrets-policy": ({"SECURITY.md": SECRETS}, "section '## Secrets'"),
}


@pytest.mark.parametrize("rule", PASSING)
def test_passes_on_a_document_that_shows_the_policy(
    rule: str, tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    files, shown = PASSING[rule]
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, **files})
    (path,) = files
    finding = check(repo, rule)
    assert_outcome(finding, Outcome.PASS, path, shown)
    assert finding.evidence[0].path == path


@pytest.mark.parametrize("rule", PASSING)
def test_fails_without_it(rule: str, tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README})
    assert_outcome(check(repo, rule), Outcome.FAIL, "Nothing documents")


@pytest.mark.parametrize("rule", PASSING)
def test_unknown_when_the_document_could_not_be_read(
    rule: str, tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    files, _ = PASSING[rule]
    (path,) = files
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, **files})
    finding = check_after_losing(repo, rule, path)
    assert_outcome(finding, Outcome.UNKNOWN, f"{path} could not be read", "What would settle it")


def test_a_contributing_guide_explains_the_contribution_process(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    guide = REQUIREMENTS + "\nA maintainer reviews every pull request within a week.\n"
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, "CONTRIBUTING.md": guide})
    assert_outcome(check(repo, "contribution-process"), Outcome.PASS, "CONTRIBUTING.md")


def test_a_statement_that_contributions_are_not_accepted_explains_the_process(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    closed = README + "\n## Contributing\n\nThis project does not accept pull requests.\n"
    repo = git_repo_factory(tmp_path / "tool", {"README.md": closed})
    finding = check(repo, "contribution-process")
    assert_outcome(
        finding, Outcome.PASS, "not accepted", "README.md", "does not accept pull requests"
    )


def test_a_readme_section_on_contributing_explains_the_process(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    section = (
        README + "\n## Contributing\n\nFork the repository, make your change on a branch and "
        "open a pull request; a maintainer reviews it.\n"
    )
    repo = git_repo_factory(tmp_path / "tool", {"README.md": section})
    assert_outcome(check(repo, "contribution-process"), Outcome.PASS, "README.md")


def test_no_guide_and_no_statement_fails_the_contribution_process(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README})
    assert_outcome(check(repo, "contribution-process"), Outcome.FAIL, "No CONTRIBUTING guide")
    stub = git_repo_factory(tmp_path / "stub", {"README.md": README, "CONTRIBUTING.md": "TODO\n"})
    assert_outcome(check(stub, "contribution-process"), Outcome.FAIL, "stub")


def test_an_unreadable_contributing_guide_leaves_the_process_unknown(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    files = {"README.md": README, "CONTRIBUTING.md": REQUIREMENTS}
    repo = git_repo_factory(tmp_path / "tool", files)
    finding = check_after_losing(repo, "contribution-process", "CONTRIBUTING.md")
    assert_outcome(finding, Outcome.UNKNOWN, "CONTRIBUTING.md could not be read")


def test_a_pull_request_template_checklist_states_the_requirements_and_the_test_policy(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    checklist = "## Checklist\n\n- [ ] I have added tests that prove my fix works\n"
    files = {"README.md": README, ".github/pull_request_template.md": checklist}
    repo = git_repo_factory(tmp_path / "tool", files)
    for rule in ("contribution-requirements", "test-policy"):
        assert_outcome(check(repo, rule), Outcome.PASS, ".github/pull_request_template.md")


def test_becoming_a_maintainer_without_a_review_is_partial(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    open_door = (
        "# Governance\n\n## Becoming a maintainer\n\nAnyone who asks in the chat is added to "
        "the team the same day.\n"
    )
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, "GOVERNANCE.md": open_door})
    assert_outcome(check(repo, "permission-review-policy"), Outcome.PARTIAL, "not that candidates")


def test_how_tests_run_without_when_is_partial(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    how = "# Contributing\n\nRun the suite with:\n\n```\nnpm test\n```\n"
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, "CONTRIBUTING.md": how})
    assert_outcome(check(repo, "test-instructions"), Outcome.PARTIAL, "not when", "npm test")


def test_maintainers_reviewing_pull_requests_is_no_permission_policy(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    reviews = (
        "# Contributing\n\nMaintainers review every pull request; two approvals are needed to "
        "merge.\n"
    )
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, "CONTRIBUTING.md": reviews})
    assert_outcome(check(repo, "permission-review-policy"), Outcome.FAIL)


def test_a_usage_note_about_a_token_is_no_secrets_policy(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    usage = README + "\nSet the GITHUB_TOKEN environment variable before running the tool.\n"
    repo = git_repo_factory(tmp_path / "tool", {"README.md": usage})
    assert_outcome(check(repo, "secrets-policy"), Outcome.FAIL)


def test_documents_of_near_misses_up_to_the_read_bound_are_read_to_a_conclusion(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    """Half a megabyte of one line that nearly states a policy, and as many lines that nearly
    open a section: every pattern runs on RE2, so each rule reads it once and fails."""
    near = "never commit the " * 30_000 + "\n" + "## Secret\n" * 20_000
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README + near})
    for rule in ("secrets-policy", "test-policy", "permission-review-policy"):
        assert_outcome(check(repo, rule), Outcome.FAIL, "README.md")


def test_the_line_shown_is_counted_as_the_document_breaks_its_lines(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    """A line separator (U+2028) and a carriage return break lines for the headings; the
    statement's line number counts them the same way."""
    text = "# Security\u2028\r\nReport to security@agency.example.\rNever commit secrets.\n"
    repo = git_repo_factory(tmp_path / "tool", {"README.md": README, "SECURITY.md": text})
    assert_outcome(check(repo, "secrets-policy"), Outcome.PASS, "line 4", "Never commit secrets")


def test_a_list_of_maintainers_does_not_describe_their_roles(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    names = README + "\n## Maintainers\n\n- Ada Lovelace (@ada)\n- Grace Hopper (@grace)\n"
    repo = git_repo_factory(tmp_path / "tool", {"README.md": names})
    assert_outcome(check(repo, "roles-and-responsibilities"), Outcome.FAIL)
    duties = names + "\nMaintainers are responsible for reviews and releases.\n"
    repo = git_repo_factory(tmp_path / "described", {"README.md": duties})
    assert_outcome(
        check(repo, "roles-and-responsibilities"), Outcome.PASS, "line 5, section '## Maintainers'"
    )


@pytest.mark.parametrize(
    ("files", "expected", "shown"),
    [
        ({"MAINTAINERS": "Ada Lovelace <ada@agency.example>\n"}, Outcome.PASS, "ada@agency"),
        ({"MAINTAINERS.md": "# Maintainers\n\n- @ada\n- @grace\n"}, Outcome.PASS, "@ada, @grace"),
        ({"OWNERS": "approvers:\n  - ada-l\n  - grace-h\n"}, Outcome.PASS, "ada-l"),
        ({".github/CODEOWNERS": "* @agency/data-team\n"}, Outcome.PASS, "CODEOWNERS"),
        ({"MAINTAINERS": "TODO\n"}, Outcome.FAIL, "names nobody"),
        ({"README.md": README}, Outcome.FAIL, "No maintainers file"),
    ],
    ids=["address", "accounts", "owners-list", "codeowners", "todo", "none"],
)
def test_project_members_are_named(
    files: dict[str, str],
    expected: Outcome,
    shown: str,
    tmp_path: Path,
    git_repo_factory: RepoFactory,
) -> None:
    repo = git_repo_factory(tmp_path / "tool", files)
    assert_outcome(check(repo, "project-members"), expected, shown)


def test_project_members_are_unknown_when_the_file_could_not_be_read(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "tool", {"MAINTAINERS": "Ada <ada@agency.example>\n"})
    finding = check_after_losing(repo, "project-members", "MAINTAINERS")
    assert_outcome(finding, Outcome.UNKNOWN, "MAINTAINERS could not be read")


def test_a_contributing_guide_left_as_fix_modes_template_is_partial(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    template = f"<!-- {TEMPLATE_NOTE} -->\n{REQUIREMENTS}"
    files = {"README.md": README, "CONTRIBUTING.md": template}
    repo = git_repo_factory(tmp_path / "tool", files)
    assert_outcome(check(repo, "contribution-process"), Outcome.PARTIAL, "template")
    assert_outcome(check(repo, "contribution-requirements"), Outcome.PARTIAL, "template")


def test_statements_about_something_else_do_not_count(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    """A compliance tool's README speaks of every topic: a table row naming 'the people
    responsible', a mention of GitHub Actions, an 'audit' section, 'end of life' said of no
    release, and 'required' said of no tool are not the project's own policies."""
    catalogue = (
        README + "\n| maintainers | CODEOWNERS, MAINTAINERS or OWNERS names the people "
        "responsible |\n\nRun the scan from GitHub Actions once a week.\n\n## Scheduled audit\n\n"
        "The action audits every repository of the organisation on a schedule.\n\nThe support "
        "rule checks what is supported and the end of life.\n\nThe token is required: set it "
        "before the scan is installed.\n\n## Running tests\n\nRun `pytest` from the root.\n"
    )
    repo = git_repo_factory(tmp_path / "tool", {"README.md": catalogue})
    assert_outcome(check(repo, "roles-and-responsibilities"), Outcome.FAIL)
    assert_outcome(check(repo, "test-instructions"), Outcome.PARTIAL, "not when")
    release(repo, git_home)
    assert_outcome(check(repo, "security-assessment"), Outcome.FAIL)
    assert_outcome(check(repo, "security-updates-end"), Outcome.FAIL)
