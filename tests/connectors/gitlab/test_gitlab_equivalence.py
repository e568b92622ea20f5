"""Projects scanned on the fake GitLab and from local git clones give the same results.

The repositories are the ones the GitHub equivalence test uses (links in and out of the tree,
links to directories, stubs, odd bytes, a file above the read bound), loaded into the fake from
real `git init` repositories, so GitLab serves exactly what the clones hold. The `.github`
defaults repository is left out: GitLab has no organisation defaults, so on GitLab it would be
an ordinary project while a local entity takes community files from it. Host-only rules are
left out too (not-applicable on local scans by design).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.model import Outcome
from ospo_scan.scan.scanner import Scanner
from tests.conftest import RepoFactory
from tests.connectors.github.test_github_equivalence import REPOSITORIES
from tests.connectors.gitlab.conftest import FakeFactory
from tests.connectors.gitlab.fake_model import FakeInstance, FakeProject
from tests.scanning import comparable_results

pytestmark = pytest.mark.usefixtures("no_token")

GITLAB_UNSUPPLIED = frozenset({"versioned-releases", "recent-committers"})
"""Rules whose facts the GitLab connector does not read (the tags, beyond the releases' own; the
default branch's recent authors): not-applicable on GitLab without releases, while a local clone
has them in `.git`."""

PROJECTS = {name: files for name, files in REPOSITORIES.items() if name != ".github"}
GROUP = "un-agency/tools/health"
"""Three levels of groups, so names and URLs carry subgroups."""


@pytest.fixture
def clones(tmp_path: Path, git_repo_factory: RepoFactory) -> Path:
    entity = tmp_path / "health"
    for name, files in PROJECTS.items():
        git_repo_factory(entity / name, files)
    return entity


def test_gitlab_and_local_clones_give_the_same_results(
    fake_gitlab: FakeFactory, clones: Path
) -> None:
    instance = FakeInstance()
    for name in PROJECTS:
        instance.add_project(FakeProject.from_git(f"{GROUP}/{name}", clones / name))
    fake = fake_gitlab(instance)
    ruleset = load_ruleset("un-ospo", load_plugins=False)

    local = Scanner(ruleset, ScanOptions()).scan([str(clones)])
    hosted = Scanner(ruleset, ScanOptions(gitlab_url=fake.url)).scan(["gitlab:un-agency"])

    local_results = comparable_results(local, "", GITLAB_UNSUPPLIED)
    hosted_results = comparable_results(hosted, f"{GROUP}/", GITLAB_UNSUPPLIED)
    assert set(hosted_results) == set(PROJECTS)
    for name in PROJECTS:
        assert hosted_results[name] == local_results[name], name
    # The comparison means something: outcomes differ across the repositories.
    outcomes = {result[1] for results in hosted_results.values() for result in results}
    assert {Outcome.PASS, Outcome.PARTIAL, Outcome.FAIL} <= outcomes
    assert hosted.entity.source == "gitlab"
    for repo in hosted.repositories:
        for result in repo.results:
            if result.rule in GITLAB_UNSUPPLIED:
                assert result.outcome is Outcome.NOT_APPLICABLE, (repo.name, result.rule)


@pytest.mark.parametrize(
    ("access", "labelled", "expected"),
    [
        ("disabled", {"good first issue": 2}, Outcome.FAIL),
        ("private", {}, Outcome.FAIL),
        ("enabled", {}, Outcome.PARTIAL),
        ("enabled", {"Help Wanted": 1}, Outcome.PASS),
    ],
    ids=["disabled", "members-only", "unlabelled", "labelled"],
)
def test_newcomer_issues_on_gitlab(
    fake_gitlab: FakeFactory, access: str, labelled: dict[str, int], expected: Outcome
) -> None:
    instance = FakeInstance()
    instance.add_project(
        FakeProject.from_texts(
            "agency/app",
            {"README.md": "# App\n"},
            issues_access_level=access,
            labelled_issues=labelled,
        )
    )
    fake = fake_gitlab(instance)
    report = Scanner(
        load_ruleset("un-ospo", load_plugins=False), ScanOptions(gitlab_url=fake.url)
    ).scan(["gitlab:agency"])
    (repo,) = report.repositories
    found = next(r for r in repo.results if r.rule == "newcomer-issues")
    assert found.outcome is expected


@pytest.mark.parametrize(
    ("releases", "expected"),
    [
        (("v2.0.0", "v1.0.0"), Outcome.PASS),
        (("2024-spring",), Outcome.PARTIAL),
        ((), Outcome.NOT_APPLICABLE),  # GitLab lists releases, not tags: no release says nothing
    ],
    ids=["semver", "not-semver", "none"],
)
def test_versioned_releases_on_gitlab_come_from_its_releases(
    fake_gitlab: FakeFactory, releases: tuple[str, ...], expected: Outcome
) -> None:
    instance = FakeInstance()
    instance.add_project(
        FakeProject.from_texts("agency/lib", {"README.md": "# Lib\n"}, releases=releases)
    )
    fake = fake_gitlab(instance)
    report = Scanner(
        load_ruleset("un-ospo", load_plugins=False), ScanOptions(gitlab_url=fake.url)
    ).scan(["gitlab:agency"])
    (repo,) = report.repositories
    found = next(r for r in repo.results if r.rule == "versioned-releases")
    assert found.outcome is expected
