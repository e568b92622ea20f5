"""The rules that evidence UN Open Source Principles 4-8, on real repositories."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ospo_scan.model import EvidenceSource, Outcome
from ospo_scan.scan.evaluation import evaluate_repository
from tests.conftest import RepoFactory
from tests.gitrepos import commit_as, git
from tests.scanning import default_ruleset, evaluate, local_snapshots, outcome, result

README_WITHOUT_USAGE = """# Water points

Water points is the registry of community water points that district offices maintain. It
keeps each point's location, type, operator and last inspection, so that field teams and
partners can plan repairs and report coverage to the ministry every quarter.
"""
README_INSTALL_ONLY = README_WITHOUT_USAGE + "\n## Installation\n\n    pip install water-points\n"
README_WITH_SECTIONS = README_INSTALL_ONLY + "\n## Usage\n\nRun `water-points serve`.\n"
README_EQUIVALENT = (
    README_WITHOUT_USAGE
    + "\n```sh\nnpm install water-points\nnpx water-points import points.csv\n```\n"
)
README_DOCS_LINK = (
    README_WITHOUT_USAGE
    + "\nGet it with `docker run ghcr.io/agency/water-points`. "
    + "Read the [user documentation](https://agency.example.org/water-points/docs).\n"
)
README_LONG_WITHOUT_USAGE = README_WITHOUT_USAGE + ("More background on the registry. " * 80)


def days_ago(days: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days)).replace(microsecond=0).isoformat()


@pytest.mark.parametrize(
    ("readme", "expected"),
    [
        (README_WITHOUT_USAGE, Outcome.FAIL),
        (README_LONG_WITHOUT_USAGE, Outcome.FAIL),
        (README_INSTALL_ONLY, Outcome.PARTIAL),
        (README_WITH_SECTIONS, Outcome.PASS),
        (README_EQUIVALENT, Outcome.PASS),
        (README_DOCS_LINK, Outcome.PASS),
        ("# App\n\n## Getting started\n\nClone, then open index.html.\n", Outcome.PASS),
    ],
    ids=["no-usage", "long-no-usage", "install-only", "sections", "commands", "docs", "start"],
)
def test_readme_usage(
    git_repo_factory: RepoFactory, tmp_path: Path, readme: str, expected: Outcome
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": readme})
    assert outcome(repo, "readme-usage") is expected


def test_a_readme_without_usage_says_what_it_lacks(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": README_INSTALL_ONLY})
    found = result(evaluate(repo), "readme-usage")
    assert found.message == "README README.md does not say how to use it."
    # The readme rule, judging length, still passes: the two rules ask different things.
    assert outcome(repo, "readme") is Outcome.PASS


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({".github/ISSUE_TEMPLATE/bug.yml": "name: Bug\nbody: []\n"}, Outcome.PASS),
        ({".github/pull_request_template.md": "## What changes\n"}, Outcome.PASS),
        ({".gitlab/merge_request_templates/Default.md": "## Why\n"}, Outcome.PASS),
        ({"docs/ISSUE_TEMPLATE.md": "Describe the bug.\n"}, Outcome.PASS),
        ({".github/ISSUE_TEMPLATE/config.yml": "blank_issues_enabled: false\n"}, Outcome.FAIL),
        ({".github/ISSUE_TEMPLATE/bug.md": ""}, Outcome.FAIL),
        ({}, Outcome.FAIL),
    ],
    ids=["form", "pr", "gitlab-mr", "single", "config-only", "empty", "none"],
)
def test_issue_templates(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str], expected: Outcome
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n", **files})
    assert outcome(repo, "issue-templates") is expected


def test_issue_templates_are_inherited_from_the_organisation(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(entity / ".github", {".github/ISSUE_TEMPLATE/bug.md": "## Bug\n"})
    git_repo_factory(entity / "app", {"README.md": "# App\n"})
    app = next(s for s in local_snapshots(entity) if s.name == "app")
    found = result(evaluate_repository(app, default_ruleset()), "issue-templates")
    assert found.outcome is Outcome.PASS
    assert found.evidence[0].source is EvidenceSource.ORGANISATION_DEFAULT


CITATION = """cff-version: 1.2.0
title: Water points
message: Cite it as below.
authors:
  - family-names: Tester
    given-names: Ada
"""


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"CONTRIBUTORS.md": "# Contributors\n\n- Ada Tester\n- Bo Builder\n"}, Outcome.PASS),
        ({"AUTHORS": "Ada Tester <ada@example.org>\n"}, Outcome.PASS),
        ({"CITATION.cff": CITATION}, Outcome.PASS),
        ({".all-contributorsrc": '{"contributors": [{"login": "ada"}]}'}, Outcome.PASS),
        ({"README.md": "# App\n\n## Acknowledgements\n\nThanks to Ada.\n"}, Outcome.PASS),
        ({"CONTRIBUTORS.md": "# Contributors\n"}, Outcome.FAIL),
        ({"CITATION.cff": "cff-version: 1.2.0\ntitle: x\nauthors: []\n"}, Outcome.FAIL),
        ({}, Outcome.FAIL),
    ],
    ids=[
        "contributors",
        "authors",
        "citation",
        "all-contributors",
        "readme",
        "title-only",
        "no-authors",
        "none",
    ],
)
def test_contributors_acknowledged(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str], expected: Outcome
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n", **files})
    assert outcome(repo, "contributors-acknowledged") is expected


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"package.json": '{"name": "water-points", "version": "1.4.0"}'}, Outcome.PASS),
        ({"pyproject.toml": '[project]\nname = "wp"\ndynamic = ["version"]\n'}, Outcome.PASS),
        ({"Cargo.toml": '[package]\nname = "wp"\nversion = "0.3.1"\n'}, Outcome.PASS),
        ({"go.mod": "module example.org/wp\n\ngo 1.22\n"}, Outcome.PASS),
        ({"DESCRIPTION": "Package: wp\nVersion: 0.1.0\nTitle: Water\n"}, Outcome.PASS),
        ({"datapackage.json": '{"name": "water-points", "version": "2024.1"}'}, Outcome.PASS),
        ({"package.json": '{"name": "water-points", "private": true}'}, Outcome.PARTIAL),
        ({"pyproject.toml": "[tool.black]\nline-length = 100\n"}, Outcome.FAIL),
        ({}, Outcome.FAIL),
    ],
    ids=["npm", "python-dynamic", "cargo", "go", "r", "data", "no-version", "no-project", "none"],
)
def test_package_manifest(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str], expected: Outcome
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n", **files})
    assert outcome(repo, "package-manifest") is expected


@pytest.mark.parametrize(
    ("tags", "expected", "message"),
    [
        (["v1.0.0", "v1.10.0", "v1.9.3"], Outcome.PASS, "3 semantic-version tag(s)"),
        (["api@2.0.0-rc.1"], Outcome.PASS, "the highest is api@2.0.0-rc.1"),
        (["v1.2", "release-2024"], Outcome.PARTIAL, "none a semantic version"),
        ([], Outcome.FAIL, "No tag or release"),
    ],
    ids=["semver", "prefixed", "not-semver", "untagged"],
)
def test_versioned_releases(
    git_repo_factory: RepoFactory,
    git_home: Path,
    tmp_path: Path,
    tags: list[str],
    expected: Outcome,
    message: str,
) -> None:
    repo = git_repo_factory(tmp_path / "lib", {"README.md": "# Lib\n"})
    for tag in tags:
        git(repo, "tag", tag, home=git_home)
    found = result(evaluate(repo), "versioned-releases")
    assert found.outcome is expected
    assert message in found.message
    if tags == ["v1.0.0", "v1.10.0", "v1.9.3"]:
        assert found.message.endswith("the highest is v1.10.0.")


def test_versioned_releases_do_not_apply_without_git(tmp_path: Path) -> None:
    (tmp_path / "ospo-entity.toml").write_text('name = "Agency"\n', encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "README.md").write_text("# App\n", encoding="utf-8")
    assert outcome(tmp_path / "app", "versioned-releases") is Outcome.NOT_APPLICABLE


def _history(repo: Path, git_home: Path, authors: list[tuple[str, str]]) -> None:
    for index, (name, email) in enumerate(authors):
        commit_as(
            repo,
            {"log.txt": f"{index}\n"},
            author=name,
            email=email,
            date=days_ago(100 - index),
            home=git_home,
        )


def test_a_one_person_history_fails_recent_committers(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "solo", {"README.md": "# Solo\n"})
    _history(repo, git_home, [("Ada", "ada@example.org")] * 3)
    found = result(evaluate(repo), "recent-committers")
    assert found.outcome is Outcome.FAIL
    assert found.message.startswith("One person made all 3 commit(s) since ")
    assert "ada@" not in found.message  # no address in a report that may be published


def test_two_people_pass_recent_committers_and_bots_do_not_count(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "pair", {"README.md": "# Pair\n"})
    _history(repo, git_home, [("Ada", "ada@example.org"), ("Bo", "bo@example.org")])
    assert outcome(repo, "recent-committers") is Outcome.PASS
    bots = git_repo_factory(tmp_path / "bots", {"README.md": "# Bots\n"})
    _history(
        bots,
        git_home,
        [("Ada", "ada@example.org"), ("renovate[bot]", "29139614+renovate[bot]@example.org")],
    )
    assert outcome(bots, "recent-committers") is Outcome.FAIL


def test_nobody_committing_in_a_year_fails_and_a_shallow_clone_does_not_apply(
    git_repo_factory: RepoFactory, git_home: Path, tmp_path: Path
) -> None:
    old = git_repo_factory(tmp_path / "old", {"README.md": "# Old\n"})  # January 2024
    found = result(evaluate(old), "recent-committers")
    assert found.outcome is Outcome.FAIL
    assert found.message.startswith("Nobody committed since ")
    assert outcome(old, "recent-activity") is Outcome.FAIL

    _history(old, git_home, [("Ada", "ada@example.org"), ("Bo", "bo@example.org")])
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--depth", "1", old.as_uri(), str(clone), home=git_home)
    shallow = result(evaluate(clone), "recent-committers")
    assert shallow.outcome is Outcome.NOT_APPLICABLE
    assert "shallow or incomplete history" in shallow.message
    assert outcome(clone, "recent-activity") is Outcome.PASS


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "SUPPORT.md": "# Support\n\nAsk questions in the issue tracker; "
                "a maintainer answers within a week.\n"
                "The latest release is supported for twelve months after the next one.\n"
            },
            Outcome.PASS,
        ),
        ({"README.md": "# App\n\n## End of life\n\nMaintained until 2027.\n"}, Outcome.PASS),
        (
            {
                "README.md": "# App\n\n[![Project Status: Active](https://www.repostatus.org/"
                "badges/latest/active.svg)](https://www.repostatus.org/#active)\n"
            },
            Outcome.PASS,
        ),
        ({"SUPPORT.md": "# Support\n\nTODO\n"}, Outcome.FAIL),
        ({}, Outcome.FAIL),
    ],
    ids=["file", "readme-section", "status-badge", "stub", "none"],
)
def test_support_policy(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str], expected: Outcome
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n", **files})
    assert outcome(repo, "support-policy") is expected


def test_badge_and_licence_sections_are_not_usage_or_support(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    readme = README_WITHOUT_USAGE + "\n## Build status\n\n![ci](ci.svg)\n\n## Terms of use\n\nCC0\n"
    repo = git_repo_factory(tmp_path / "app", {"README.md": readme})
    assert outcome(repo, "readme-usage") is Outcome.FAIL
    assert outcome(repo, "support-policy") is Outcome.FAIL
