"""The security-insights rule on real git repositories: valid, absent, invalid, hostile."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.model import EvidenceSource, Outcome, RuleResult
from ospo_scan.rules._insights import read_insights, reporting_channels
from tests.conftest import RepoFactory
from tests.scanning import evaluate, local_snapshot, result

EXAMPLES = Path(__file__).parent / "security_insights"
MINIMUM = (EXAMPLES / "v2.2.0" / "example-minimum.yml").read_text(encoding="utf-8")
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]\n"
    for previous, name in (("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "f"))
)
"""Six lines that stand for a million values."""
FULL = (EXAMPLES / "v2.2.0" / "example-full.yml").read_text(encoding="utf-8")


def _insights_result(repo: Path) -> RuleResult:
    return result(
        evaluate(repo, load_ruleset("osps-baseline", load_plugins=False)), "security-insights"
    )


def test_a_valid_file_passes_with_its_version(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "r", {"security-insights.yml": MINIMUM.replace("2.0.0", "2.2.0")}
    )

    found = _insights_result(repo)

    assert found.outcome is Outcome.PASS
    assert found.message == "security-insights.yml is valid Security Insights 2.2.0."
    assert [(e.path, e.source) for e in found.evidence] == [
        ("security-insights.yml", EvidenceSource.REPOSITORY)
    ]


@pytest.mark.parametrize("directory", [".github", ".gitlab"])
def test_the_file_is_found_in_the_hosts_directories(
    git_repo_factory: RepoFactory, tmp_path: Path, directory: str
) -> None:
    repo = git_repo_factory(tmp_path / "r", {f"{directory}/security-insights.yml": FULL})

    found = _insights_result(repo)

    assert found.outcome is Outcome.PASS
    assert found.evidence[0].path == f"{directory}/security-insights.yml"


def test_no_file_is_not_applicable_never_a_fail(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"README.md": "# r\n"})

    assert _insights_result(repo).outcome is Outcome.NOT_APPLICABLE


def test_an_invalid_file_fails_naming_each_field_and_cause(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    broken = (
        MINIMUM.replace("schema-version: 2.0.0", "schema-version: 2.2.0")
        .replace("email: joe.bob@example.com", "email: joe-at-example")
        .replace("status: active", "status: finished")
        .replace("  name: FooBar\n", "")
    )
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": broken})

    found = _insights_result(repo)

    assert found.outcome is Outcome.FAIL
    assert found.message == (
        "security-insights.yml is not valid Security Insights: "
        "project.administrators[0].email: must be an e-mail address; "
        "project.name: missing; "
        "repository.status: must be one of active, abandoned, concept, inactive, moved, "
        "suspended, unsupported, WIP."
    )


def test_field_names_from_the_file_are_neutralised(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    hostile = MINIMUM.replace("schema-version: 2.0.0", "schema-version: 2.2.0").replace(
        "repository:\n", 'repository:\n  "\\e]0;owned\\u0007\\u202e": 1\n'
    )
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": hostile})

    found = _insights_result(repo)

    assert found.outcome is Outcome.FAIL
    assert "repository.\\x1b]0;owned\\x07\\u202e: is not a field of this version" in found.message
    assert "\x1b" not in found.message
    assert "\u202e" not in found.message


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("header: [unclosed\n", "not valid YAML at line 2"),
        ("- a list\n", "the document is not a mapping of fields"),
        ("header:\n  schema-version: 1.0.0\n", "header.schema-version: 1.0.0 is not a version"),
        ("header:\n  schema-version: 2.0\n", "header.schema-version: must be a string"),
        (
            LAUGHS,
            "expands to more than 50000 values",
        ),
    ],
)
def test_a_file_that_cannot_be_read_as_insights_fails_with_its_cause(
    git_repo_factory: RepoFactory, tmp_path: Path, text: str, cause: str
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": text})

    found = _insights_result(repo)

    assert found.outcome is Outcome.FAIL
    assert cause in found.message


def test_an_oversized_file_is_refused_unread(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": MINIMUM + "#" * 300_000})

    found = _insights_result(repo)

    assert found.outcome is Outcome.FAIL
    assert "larger than 256 KiB" in found.message


def test_the_shared_reading_gives_other_rules_the_reporting_channels(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "r", {"security-insights.yml": FULL})

    insights = read_insights(local_snapshot(repo))

    assert insights is not None
    assert insights.valid
    assert reporting_channels(insights) == [
        ("project.vulnerability-reporting.contact.email", "security@something.com"),
        ("project.vulnerability-reporting.policy", "https://example.com/reporting.html"),
        ("project.vulnerability-reporting.bug-bounty-program", "https://example.com/bugs.html"),
    ]
