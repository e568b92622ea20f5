"""Planning on real git repositories: what is proposed, where, and what is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.fix.model import FixPlan, RepositoryPlan
from ospo_scan.fix.planner import FixOptions
from ospo_scan.fix.run import plan_run
from tests.conftest import RepoFactory
from tests.fix.entities import CONTACTS_TOML, make_entity

RULESET = load_ruleset("un-ospo", load_plugins=False)


def _plan(path: Path, options: FixOptions | None = None, entity_file: str | None = None) -> FixPlan:
    return plan_run(str(path), RULESET, ScanOptions(), options or FixOptions(), entity_file).plan


def _repo(plan: FixPlan, name: str) -> RepositoryPlan:
    return next(r for r in plan.repositories if r.name == name)


def _paths(plan: RepositoryPlan) -> list[str]:
    return [f.path for f in plan.files]


def test_inherited_kinds_go_once_into_a_new_defaults_repository(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = make_entity(tmp_path, git_repo_factory, contacts=True)

    plan = _plan(entity)

    defaults = plan.repositories[0]
    assert (defaults.name, defaults.create) == (".github", True)
    assert _paths(defaults) == [
        ".github/ISSUE_TEMPLATE/bug_report.md",
        "CODE_OF_CONDUCT.md",
        "CONTRIBUTING.md",
        "GOVERNANCE.md",
        "SECURITY.md",
        "SUPPORT.md",
    ]
    assert "fails in 2 repositories (api, web)" in defaults.files[0].reason
    assert "# Contributing to Demo Agency projects" in defaults.files[2].content
    assert "# Getting help with Demo Agency projects" in defaults.files[5].content
    for name in ("api", "web"):
        repo = _repo(plan, name)
        assert _paths(repo) == [
            ".github/CODEOWNERS",
            ".github/dependabot.yml",
            "CHANGELOG.md",
            "CONTRIBUTORS.md",
        ]
        assert {c.rule for c in repo.covered} == {
            "contributing",
            "code-of-conduct",
            "security-policy",
            "governance",
            "issue-templates",
            "support-policy",
        }
    assert plan.defaults_repository == ".github"


def test_per_repository_puts_every_file_in_each_repository(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = make_entity(tmp_path, git_repo_factory, contacts=True)

    plan = _plan(entity, FixOptions(per_repository=True))

    assert [r.name for r in plan.repositories] == ["api", "web"]
    assert "SECURITY.md" in _paths(_repo(plan, "api"))
    assert "# Contributing to api" in next(
        f.content for f in _repo(plan, "api").files if f.path == "CONTRIBUTING.md"
    )
    assert not _repo(plan, "web").covered


def test_an_existing_defaults_repository_receives_only_what_it_lacks(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    contributing = (
        "# Contributing\n\n" + "Open an issue first, then a pull request with tests. " * 5
    )
    entity = make_entity(
        tmp_path, git_repo_factory, contacts=True, defaults={"CONTRIBUTING.md": contributing}
    )

    plan = _plan(entity)

    defaults = plan.repositories[0]
    assert (defaults.name, defaults.create) == (".github", False)
    assert "CONTRIBUTING.md" not in _paths(defaults)
    assert "SECURITY.md" in _paths(defaults)


def test_a_missing_contact_skips_its_file_and_names_the_key(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = make_entity(tmp_path, git_repo_factory, contacts=False)

    plan = _plan(entity)

    assert _paths(plan.repositories[0]) == [
        ".github/ISSUE_TEMPLATE/bug_report.md",
        "CONTRIBUTING.md",
        "GOVERNANCE.md",
        "SUPPORT.md",
    ]
    reasons = {s.rule: s.reason for s in _repo(plan, "api").skipped}
    assert "contacts.maintainers" in reasons["contributors-acknowledged"]
    assert "contacts.security" in reasons["security-policy"]
    assert "contacts.conduct" in reasons["code-of-conduct"]
    assert "contacts.maintainers" in reasons["maintainers"]
    assert all("@" not in f.content for f in plan.repositories[0].files)


def test_an_existing_file_that_fails_is_left_alone(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = make_entity(
        tmp_path, git_repo_factory, contacts=True, extra={"api": {"SECURITY.md": "# Security\n"}}
    )

    plan = _plan(entity, FixOptions(per_repository=True))

    api = _repo(plan, "api")
    assert "SECURITY.md" not in _paths(api)
    reason = next(s.reason for s in api.skipped if s.rule == "security-policy")
    assert reason.startswith("SECURITY.md exists but does not pass")


def test_a_licence_only_when_asked_for(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    entity = make_entity(tmp_path, git_repo_factory, contacts=True)

    without = _plan(entity)
    with_licence = _plan(entity, FixOptions(licence="Apache-2.0"))

    assert "LICENSE" not in _paths(_repo(without, "web"))
    assert "--licence" in next(
        s.reason for s in _repo(without, "web").skipped if s.rule == "license"
    )
    assert "LICENSE" in _paths(_repo(with_licence, "web"))
    assert "LICENSE" not in _paths(_repo(with_licence, "api"))  # api has one already


def test_rules_option_limits_the_plan(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    entity = make_entity(tmp_path, git_repo_factory, contacts=True)

    plan = _plan(entity, FixOptions(rules=frozenset({"changelog"})))

    assert [r.name for r in plan.repositories] == ["api", "web"]
    assert all(_paths(r) == ["CHANGELOG.md"] for r in plan.repositories)


def test_dependabot_ecosystems_come_from_manifests_and_workflows(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(
        tmp_path / "app",
        {
            "README.md": "# App\n",
            "package.json": '{"name": "app", "license": "MIT"}\n',
            "pyproject.toml": '[project]\nname = "app"\n',
            "go.mod": "module example.org/app\n",
            ".github/workflows/ci.yml": "on: push\n",
        },
    )

    plan = _plan(repo, FixOptions(rules=frozenset({"dependency-updates"})))

    (proposed,) = plan.repositories[0].files
    ecosystems = [
        line.split('"')[1] for line in proposed.content.splitlines() if "package-ecosystem" in line
    ]
    assert ecosystems == ["github-actions", "gomod", "npm", "pip"]


def test_archived_and_forked_repositories_are_not_fixed(tmp_path: Path) -> None:
    entity = tmp_path / "entity"
    for name in ("old", "fork", "live"):
        (entity / name).mkdir(parents=True)
        (entity / name / "README.md").write_text("# x\n", encoding="utf-8")
    (entity / "ospo-entity.toml").write_text(
        'name = "E"\n[repositories.old]\narchived = true\n[repositories.fork]\nfork = true\n',
        encoding="utf-8",
    )

    plan = _plan(entity)

    assert _repo(plan, "old").excluded == "archived: read-only, not fixed"
    assert (_repo(plan, "fork").excluded or "").startswith("a fork")
    assert _repo(plan, "live").files


@pytest.mark.parametrize("key", ["security", "conduct"])
def test_an_entity_file_given_for_the_target_supplies_contacts(
    tmp_path: Path, git_repo_factory: RepoFactory, key: str
) -> None:
    repo = git_repo_factory(tmp_path / "app", {"README.md": "# App\n"})
    profile = tmp_path / "profile.toml"
    profile.write_text('name = "Agency"\n' + CONTACTS_TOML, encoding="utf-8")

    plan = _plan(repo, entity_file=str(profile))

    texts = "".join(f.content for f in plan.repositories[0].files)
    assert f"{key}@agency.example.org" in texts
