"""Planning on real git repositories: what is proposed, where, and what is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.fix.apply import request_body
from ospo_scan.fix.model import FixPlan, RepositoryPlan
from ospo_scan.fix.planner import FixOptions
from ospo_scan.fix.render import plan_text
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


def test_a_file_referring_to_a_skipped_file_says_so_in_the_plan(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = make_entity(tmp_path, git_repo_factory, contacts=False)

    plan = _plan(entity)

    defaults = plan.repositories[0]
    contributing = next(f for f in defaults.files if f.path == "CONTRIBUTING.md")
    assert "SECURITY.md" in contributing.content
    assert contributing.notes == (
        "refers to SECURITY.md, which is neither there nor in this plan (security-policy "
        "skipped: the entity profile has no contacts.security; add it to ospo-entity.toml "
        "[contacts]); add it or edit the reference",
        "refers to CODE_OF_CONDUCT.md, which is neither there nor in this plan "
        "(code-of-conduct skipped: the entity profile has no contacts.conduct; add it to "
        "ospo-entity.toml [contacts]); add it or edit the reference",
    )
    governance = next(f for f in defaults.files if f.path == "GOVERNANCE.md")
    assert len(governance.notes) == 2
    assert "     note: refers to SECURITY.md, which is neither there" in plan_text(plan)
    assert "- `CONTRIBUTING.md` refers to SECURITY.md" in request_body(defaults)

    (tmp_path / "b").mkdir()
    with_contacts = _plan(make_entity(tmp_path / "b", git_repo_factory, contacts=True))
    assert all(not f.notes for r in with_contacts.repositories for f in r.files)


def test_dependabot_covers_every_directory_holding_a_manifest_within_bounds(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(
        tmp_path / "app",
        {
            "README.md": "# App\n",
            "package.json": '{"name": "app"}\n',
            "web/package.json": '{"name": "web"}\n',
            "services/api/requirements.txt": "flask\n",
            "services/api/Dockerfile": "FROM python:3.12\n",
            "Dockerfile": "FROM node:22\n",
            "node_modules/left-pad/package.json": '{"name": "left-pad"}\n',
            ".cache/package.json": '{"name": "cached"}\n',
            "a/b/c/d/package.json": '{"name": "too-deep"}\n',
        },
    )

    plan = _plan(repo, FixOptions(rules=frozenset({"dependency-updates"})))

    (proposed,) = plan.repositories[0].files
    updates = proposed.content.split("updates:\n", 1)[1]
    assert updates == (
        '  - package-ecosystem: "docker"\n'
        "    directories:\n"
        '      - "/"\n'
        '      - "/services/api"\n'
        "    schedule:\n"
        '      interval: "weekly"\n'
        '  - package-ecosystem: "npm"\n'
        "    directories:\n"
        '      - "/"\n'
        '      - "/web"\n'
        "    schedule:\n"
        '      interval: "weekly"\n'
        '  - package-ecosystem: "pip"\n'
        '    directory: "/services/api"\n'
        "    schedule:\n"
        '      interval: "weekly"\n'
    )


def test_a_licence_declared_only_in_a_manifest_is_named_and_its_text_offered(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    description = "Package: stats\nVersion: 1.0\nLicense: GPL-3\n"
    repo = git_repo_factory(
        tmp_path / "stats", {"README.md": "# stats\n", "DESCRIPTION": description}
    )
    only = FixOptions(rules=frozenset({"license"}))

    def licence_plan(licence: str | None) -> RepositoryPlan:
        return _plan(repo, FixOptions(rules=only.rules, licence=licence)).repositories[0]

    (asked_other,) = licence_plan("Apache-2.0").skipped
    assert asked_other.reason == (
        "DESCRIPTION declares GPL-3.0-only, not Apache-2.0: fix mode adds only the declared "
        "licence's text (--licence GPL-3.0-only); change the declaration to relicense"
    )
    (not_asked,) = licence_plan(None).skipped
    assert not_asked.reason == (
        "DESCRIPTION declares GPL-3.0-only; pass --licence GPL-3.0-only to add its text"
    )
    (proposed,) = licence_plan("GPL-3.0-only").files
    assert proposed.path == "LICENSE"
    assert "GNU GENERAL PUBLIC LICENSE" in proposed.content
    assert proposed.reason == "DESCRIPTION declares GPL-3.0-only; no file holds its text"


def test_evidence_found_elsewhere_still_gets_its_file_proposed(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    """A channel in the README, a contributing section, an R maintainer are partial evidence;
    the file that would make the rule pass is still proposed. A partial file of the kind is
    never replaced."""
    repo = git_repo_factory(
        tmp_path / "surveyr",
        {
            "README.md": "# surveyr\n\nReads survey exports. Install with install.packages().\n"
            "\n## Contributing\n\nOpen an issue, then a pull request with a test.\n"
            "\n## Security\n\nReport vulnerabilities to psirt@agency.example.org.\n",
            "DESCRIPTION": "Package: surveyr\nMaintainer: Amina Diallo <amina@agency.example.org>\n"
            "License: GPL-3\n",
            "CHANGELOG.md": "# Changelog\n\n## Unreleased\n",
        },
    )
    (tmp_path / "profile.toml").write_text('name = "Agency"\n' + CONTACTS_TOML)

    plan = _plan(repo, entity_file=str(tmp_path / "profile.toml"))

    proposed = _repo(plan, "surveyr")
    assert {"CONTRIBUTING.md", "SECURITY.md", ".github/CODEOWNERS"} <= set(_paths(proposed))
    assert "CHANGELOG.md" not in _paths(proposed)
    skipped = {s.rule: s.reason for s in proposed.skipped}
    assert skipped["changelog"].startswith("CHANGELOG.md exists but does not pass")
