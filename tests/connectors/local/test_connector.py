"""The local connector on real git repositories: what is a repository, what is an entity."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ospo_scan.connectors import connector_for
from ospo_scan.connectors.interface import (
    EntitySource,
    RepoFailure,
    ScanOptions,
    Target,
    TargetKind,
)
from ospo_scan.connectors.local import LocalConnector
from ospo_scan.errors import ConnectorError, UsageError
from ospo_scan.evidence import FileKind, locate
from ospo_scan.model import EvidenceSource
from ospo_scan.snapshot import EntryKind, Snapshot
from tests.conftest import RepoFactory
from tests.gitrepos import write_files


def open_local(path: Path | str, options: ScanOptions | None = None) -> EntitySource:
    target = Target(TargetKind.LOCAL, str(path), raw=str(path))
    return LocalConnector().open(target, options or ScanOptions())


def by_name(source: EntitySource) -> dict[str, Snapshot | RepoFailure]:
    return {repository.name: repository for repository in source.repositories}


def snapshot(source: EntitySource, name: str) -> Snapshot:
    found = by_name(source)[name]
    assert isinstance(found, Snapshot), found
    return found


def test_dispatch_gives_the_local_connector() -> None:
    assert isinstance(connector_for(TargetKind.LOCAL), LocalConnector)


def test_a_directory_with_git_is_one_repository(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "web-app", {"README.md": "# Web app\n"})
    # A nested repository (e.g. a vendored checkout) does not turn it into an entity.
    git_repo_factory(repo / "vendor" / "lib", {"README.md": "# Lib\n"})
    git_repo_factory(repo / "tool", {"README.md": "# Tool\n"})

    source = open_local(repo)

    assert source.name == "web-app"
    assert source.source is TargetKind.LOCAL
    assert source.defaults_repository is None
    assert source.profile is None
    assert list(by_name(source)) == ["web-app"]
    web_app = snapshot(source, "web-app")
    assert web_app.url == repo.resolve().as_uri()
    assert web_app.metadata.default_branch == "main"
    assert web_app.metadata.visibility == "public"
    assert web_app.metadata.host.has_org_defaults is None
    assert web_app.org_defaults is None


def test_a_directory_without_repository_children_is_one_repository(tmp_path: Path) -> None:
    write_files(tmp_path / "plain", {"README.md": "# Plain\n", "src/main.py": "print()\n"})

    source = open_local(tmp_path / "plain")

    assert list(by_name(source)) == ["plain"]
    plain = snapshot(source, "plain")
    assert [e.path for e in plain.entries()] == ["README.md", "src"]
    assert plain.metadata.default_branch is None
    assert plain.read_bytes("README.md") == b"# Plain\n"


def test_a_directory_of_git_repositories_is_an_entity(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(entity / "zeta", {"README.md": "# Zeta\n"})
    git_repo_factory(entity / "alpha", {"README.md": "# Alpha\n"})
    write_files(entity, {"notes/todo.txt": "not a repository\n", "loose-file.md": "x\n"})
    git_repo_factory(entity / ".cache", {"README.md": "hidden\n"})

    source = open_local(entity)

    assert source.name == "agency"
    assert source.url == entity.resolve().as_uri()
    assert source.defaults_repository is None
    assert list(by_name(source)) == ["alpha", "zeta"]
    assert snapshot(source, "alpha").metadata.host.has_org_defaults is True


def test_an_entity_file_makes_every_child_directory_a_repository(tmp_path: Path) -> None:
    entity = tmp_path / "fixture-agency"
    write_files(
        entity,
        {
            "ospo-entity.toml": 'name = "Fixture Agency"\n',
            "exemplary/README.md": "# Exemplary\n",
            "exemplary/LICENSE": "MIT License\n",
            "bare/.keep": "",
            ".hidden/README.md": "never scanned\n",
            "stray.md": "a file, not a repository\n",
        },
    )

    source = open_local(entity)

    assert source.name == "Fixture Agency"
    assert source.profile is not None
    assert source.profile.path == str(entity / "ospo-entity.toml")
    assert list(by_name(source)) == ["bare", "exemplary"]
    assert snapshot(source, "exemplary").read_bytes("LICENSE") == b"MIT License\n"
    assert snapshot(source, "exemplary").metadata.default_branch is None


def test_an_entity_file_wins_over_the_directory_being_a_repository(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = git_repo_factory(tmp_path / "monorepo", {"ospo-entity.toml": "", "a/README.md": "A"})

    source = open_local(entity)

    assert list(by_name(source)) == ["a"]
    assert source.name == "monorepo"


def test_entity_file_metadata_and_repository_facts(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(entity / "old-portal", {"README.md": "# Old\n"})
    git_repo_factory(entity / "upstream-fork", {"README.md": "# Fork\n"})
    git_repo_factory(entity / "platform", {"README.md": "# Platform\n"})
    write_files(
        entity,
        {
            "ospo-entity.toml": """\
name = "Demo Agency"
description = "A UN agency's open source portfolio"
url = "https://example.org/demo-agency"
ruleset = "un-ospo"

[metadata]
country = "CH"
ospo = "established"

[[exemptions]]
rule = "governance"
reason = "handled centrally"

[repositories.old-portal]
archived = true
description = "The portal before 2020"
topics = ["legacy", "web"]

[repositories.upstream-fork]
fork = true
"""
        },
    )

    source = open_local(entity)

    assert source.name == "Demo Agency"
    assert source.url == "https://example.org/demo-agency"
    profile = source.profile
    assert profile is not None
    assert profile.metadata == {"country": "CH", "ospo": "established"}
    assert profile.description == "A UN agency's open source portfolio"
    assert profile.ruleset == "un-ospo"
    assert [(e.rule, e.reason, e.line) for e in profile.exemptions] == [
        ("governance", "handled centrally", 10)
    ]
    old = snapshot(source, "old-portal").metadata
    assert (old.archived, old.fork, old.description, old.topics) == (
        True,
        False,
        "The portal before 2020",
        ("legacy", "web"),
    )
    fork = snapshot(source, "upstream-fork").metadata
    assert (fork.archived, fork.fork) == (False, True)
    platform = snapshot(source, "platform").metadata
    assert (platform.archived, platform.fork, platform.topics) == (False, False, ())


def test_visibility_from_the_entity_file_is_filtered_by_the_option(tmp_path: Path) -> None:
    entity = tmp_path / "agency"
    write_files(
        entity,
        {
            "ospo-entity.toml": (
                '[repositories.secret]\nvisibility = "private"\n'
                '[repositories.intranet]\nvisibility = "internal"\n'
            ),
            "open/README.md": "# Open\n",
            "secret/README.md": "# Secret\n",
            "intranet/README.md": "# Intranet\n",
        },
    )

    def names(visibility: str) -> list[str]:
        return list(by_name(open_local(entity, ScanOptions(visibility=visibility))))

    assert names("public") == ["open"]
    assert names("private") == ["intranet", "secret"]
    assert names("all") == ["intranet", "open", "secret"]
    everything = open_local(entity, ScanOptions(visibility="all"))
    assert snapshot(everything, "secret").metadata.visibility == "private"


def test_dot_github_supplies_organisation_defaults(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(
        entity / ".github",
        {
            "CONTRIBUTING.md": "# Contributing\n\nOpen an issue first.\n",
            ".github/SECURITY.md": "Report to security@example.org\n",
            "docs/CODE_OF_CONDUCT.md": "# Code of conduct\n",
        },
    )
    git_repo_factory(entity / "app", {"README.md": "# App\n", "CONTRIBUTING.md": "# Ours\n"})
    git_repo_factory(entity / "tool", {"README.md": "# Tool\n"})

    source = open_local(entity)

    assert source.defaults_repository == ".github"
    repositories = by_name(source)
    assert list(repositories) == [".github", "app", "tool"]
    defaults = snapshot(source, ".github")
    assert defaults.org_defaults is None
    tool = snapshot(source, "tool")
    assert tool.org_defaults is not None
    assert tool.org_defaults.name == ".github"

    contributing = locate(tool, FileKind.CONTRIBUTING)
    assert contributing is not None
    assert contributing.source is EvidenceSource.ORGANISATION_DEFAULT
    text = contributing.snapshot.read_text(contributing.entry.path)
    assert text is not None
    assert "Open an issue first." in text.text
    security = locate(tool, FileKind.SECURITY)
    assert security is not None
    assert (security.entry.path, security.source) == (
        ".github/SECURITY.md",
        EvidenceSource.ORGANISATION_DEFAULT,
    )
    conduct = locate(tool, FileKind.CODE_OF_CONDUCT)
    assert conduct is not None
    assert conduct.entry.path == "docs/CODE_OF_CONDUCT.md"

    own = locate(snapshot(source, "app"), FileKind.CONTRIBUTING)
    assert own is not None
    assert (own.entry.path, own.source) == ("CONTRIBUTING.md", EvidenceSource.REPOSITORY)


def test_a_private_dot_github_supplies_no_defaults(tmp_path: Path) -> None:
    entity = tmp_path / "agency"
    write_files(
        entity,
        {
            "ospo-entity.toml": '[repositories.".github"]\nvisibility = "private"\n',
            ".github/CONTRIBUTING.md": "# Contributing\n",
            "app/README.md": "# App\n",
        },
    )

    source = open_local(entity, ScanOptions(visibility="all"))

    assert source.defaults_repository == ".github"
    assert snapshot(source, "app").org_defaults is None


def test_files_only_in_dot_github_or_docs_are_listed(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(
        tmp_path / "tucked-away",
        {
            ".github/CONTRIBUTING.md": "# Contributing\n",
            ".github/ISSUE_TEMPLATE/bug.md": "---\nname: Bug\n---\n",
            "docs/SECURITY.rst": "Security\n========\n",
            "docs/guide/deep.md": "not listed: only the listed directories are read\n",
            "LICENSES/MIT.txt": "MIT License\n",
            "src/LICENSE": "a licence deep in the tree is not evidence\n",
        },
    )

    found = snapshot(open_local(repo), "tucked-away")

    assert set(found.listings) == {"", ".github", ".github/ISSUE_TEMPLATE", "docs", "LICENSES"}
    assert [e.path for e in found.entries()] == [".github", "LICENSES", "docs", "src"]
    assert all(e.kind is EntryKind.DIRECTORY for e in found.entries())
    assert [e.path for e in found.entries(".github")] == [
        ".github/CONTRIBUTING.md",
        ".github/ISSUE_TEMPLATE",
    ]
    assert [e.path for e in found.entries("docs")] == ["docs/SECURITY.rst", "docs/guide"]
    assert found.entries("src") == ()
    assert [e.path for e in found.entries(".github/ISSUE_TEMPLATE")] == [
        ".github/ISSUE_TEMPLATE/bug.md"
    ]
    security = locate(found, FileKind.SECURITY)
    assert security is not None
    assert security.entry.path == "docs/SECURITY.rst"


def test_british_licence_spelling_is_listed(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    repo = git_repo_factory(tmp_path / "british", {"LICENCE": "Apache License\nVersion 2.0\n"})

    found = snapshot(open_local(repo), "british")

    entry = found.entry("LICENCE")
    assert entry is not None
    assert (entry.kind, entry.size) == (EntryKind.FILE, len("Apache License\nVersion 2.0\n"))
    assert found.read_bytes("LICENCE") == b"Apache License\nVersion 2.0\n"


def test_the_git_directory_is_never_evidence(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})

    found = snapshot(open_local(repo), "repo")

    assert [e.path for e in found.entries()] == ["README.md"]
    assert found.read_bytes(".git/HEAD") is None
    assert found.read_bytes(".git/config") is None


def test_a_repository_without_commits_is_scanned_from_its_working_tree(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(entity / "alpha", {"README.md": "# Alpha\n"})
    git_repo_factory(entity / "fresh", {"README.md": "# Written, never committed\n"}, commit=False)
    git_repo_factory(entity / "omega", {"README.md": "# Omega\n"})

    repositories = by_name(open_local(entity))

    assert list(repositories) == ["alpha", "fresh", "omega"]
    fresh = repositories["fresh"]
    assert isinstance(fresh, Snapshot)
    assert fresh.read_bytes("README.md") == b"# Written, never committed\n"
    assert fresh.warnings == ("no commits yet: the working tree was scanned as it is",)
    assert fresh.metadata.default_branch is not None
    assert isinstance(repositories["alpha"], Snapshot)
    assert repositories["alpha"].warnings == ()


def test_a_single_repository_without_commits_or_files_is_a_failure(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "fresh", {}, commit=False)

    (fresh,) = open_local(repo).repositories

    assert isinstance(fresh, RepoFailure)
    assert fresh.reason == "repository has no commits"
    assert fresh.metadata.empty is True


def test_an_unreadable_repository_fails_alone(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(entity / "alpha", {"README.md": "# Alpha\n"})
    broken = git_repo_factory(entity / "broken", {"README.md": "# Broken\n"})
    (broken / ".git" / "HEAD").write_text("garbage\n")

    repositories = by_name(open_local(entity))

    failure = repositories["broken"]
    assert isinstance(failure, RepoFailure)
    assert (
        failure.reason == "unreadable git metadata: .git/HEAD names neither a branch nor a commit"
    )
    assert isinstance(repositories["alpha"], Snapshot)


def test_a_repository_that_raises_os_errors_fails_alone(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(entity / "alpha", {"README.md": "# Alpha\n"})
    headless = git_repo_factory(entity / "headless", {"README.md": "# Headless\n"})
    (headless / ".git" / "HEAD").unlink()
    odd = git_repo_factory(entity / "odd", {"README.md": "# Odd\n"})
    (odd / ".git" / "HEAD").unlink()
    (odd / ".git" / "HEAD").mkdir()

    repositories = by_name(open_local(entity))

    assert list(repositories) == ["alpha", "headless", "odd"]
    headless_failure = repositories["headless"]
    assert isinstance(headless_failure, RepoFailure)
    assert headless_failure.reason == "cannot read .git/HEAD: No such file or directory"
    odd_failure = repositories["odd"]
    assert isinstance(odd_failure, RepoFailure)
    assert odd_failure.reason == "cannot read .git/HEAD: not a regular file"
    assert isinstance(repositories["alpha"], Snapshot)


def test_repositories_can_be_iterated_again(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(entity / "a", {"README.md": "# A\n"})
    git_repo_factory(entity / "b", {"README.md": "# B\n"})

    source = open_local(entity)

    assert [r.name for r in source.repositories] == [r.name for r in source.repositories]
    assert [r.name for r in source.repositories] == ["a", "b"]


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"

    with pytest.raises(UsageError) as caught:
        open_local(missing)

    assert caught.value.one_line() == f"no such directory: {missing}"
    assert caught.value.exit_code == 2


def test_a_file_is_not_a_target(tmp_path: Path) -> None:
    file = tmp_path / "README.md"
    file.write_text("# Not a directory\n")

    with pytest.raises(UsageError, match=r"^not a directory: "):
        open_local(file)


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can list any directory"
)
def test_an_unlistable_entity_directory_is_a_connector_error(tmp_path: Path) -> None:
    entity = tmp_path / "locked"
    write_files(entity, {"ospo-entity.toml": "", "a/README.md": "# A\n"})
    entity.chmod(0o300)  # can enter, cannot list
    try:
        with pytest.raises(ConnectorError, match=r"^cannot list .*locked: Permission denied$"):
            open_local(entity)
    finally:
        entity.chmod(0o700)
