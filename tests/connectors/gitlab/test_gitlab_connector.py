"""The GitLab connector against a fake GitLab, through the real python-gitlab client over HTTP."""

from __future__ import annotations

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.connectors import connector_for
from ospo_scan.connectors.gitlab.connector import NO_ORG_DEFAULTS_NOTE, GitLabConnector
from ospo_scan.connectors.interface import RepoFailure, ScanOptions, Target, TargetKind
from ospo_scan.errors import ConnectorError
from ospo_scan.scan.scanner import Scanner
from ospo_scan.snapshot import MAX_READ_BYTES, EntryKind, Snapshot
from tests.connectors.gitlab.conftest import TOKEN, FakeFactory, open_gitlab, read_all, snapshot
from tests.connectors.gitlab.fake_model import FILE_MODE, Blob, FakeInstance, FakeProject
from tests.connectors.gitlab.groups import MIT, PUBLIC_TOP, linked_project, nested_group


def test_dispatch_gives_the_gitlab_connector() -> None:
    assert isinstance(connector_for(TargetKind.GITLAB), GitLabConnector)


@pytest.mark.usefixtures("no_token")
def test_a_group_is_enumerated_exactly_with_subgroups(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(nested_group())
    source = open_gitlab(fake, "top")
    items = read_all(source)

    assert set(items) == PUBLIC_TOP  # three levels of subgroups; nothing private, no neighbour
    assert source.name == "top"
    assert source.source is TargetKind.GITLAB
    assert source.notes == (NO_ORG_DEFAULTS_NOTE,)
    assert source.defaults_repository is None
    flags = {n: (i.metadata.archived, i.metadata.fork, i.metadata.empty) for n, i in items.items()}
    assert flags == {
        "top/a": (False, False, False),
        "top/sub1/b": (True, False, False),
        "top/sub1/sub2/c": (False, True, False),
        "top/sub1/sub2/sub3/d": (False, False, False),
        "top/empty": (False, False, True),
    }
    empty = snapshot(items, "top/empty")
    assert empty.listings == {}
    assert empty.read_bytes("README.md") is None


@pytest.mark.usefixtures("no_token")
def test_metadata_and_host_facts_without_a_token(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(nested_group())
    connector = GitLabConnector(host_licence=True)
    a = snapshot(read_all(open_gitlab(fake, "top", connector=connector)), "top/a")

    assert a.url == f"{fake.url}/top/a"
    assert a.metadata.description == "Project A"
    assert a.metadata.topics == ("open-source", "un")
    assert a.metadata.default_branch == "main"
    assert a.metadata.visibility == "public"
    assert a.metadata.pushed_at is not None
    assert a.metadata.pushed_at.year == 2026
    host = a.metadata.host
    assert host.licence_spdx == "MIT"
    assert host.has_org_defaults is False
    assert host.platform == "gitlab"
    assert host.default_branch_protected is None  # anonymous: GitLab does not show the rules


@pytest.mark.usefixtures("no_token")
def test_gitlab_licence_detection_costs_a_request_per_project_only_when_asked(
    fake_gitlab: FakeFactory,
) -> None:
    fake = fake_gitlab(nested_group())
    group = read_all(open_gitlab(fake, "top"))
    assert snapshot(group, "top/a").metadata.host.licence_spdx is None
    assert not any(path.startswith("/api/v4/projects/") for _, path, _ in fake.requests)
    asked = read_all(open_gitlab(fake, "top", host_licence=True))  # --host-licence
    assert snapshot(asked, "top/a").metadata.host.licence_spdx == "MIT"

    fake.requests.clear()
    one = read_all(open_gitlab(fake, "top/a"))
    assert snapshot(one, "top/a").metadata.host.licence_spdx == "MIT"
    assert [path for _, path, _ in fake.requests if path.startswith("/api/v4/")] == [
        "/api/v4/projects/top%2Fa"
    ]


def test_host_facts_with_a_token(fake_gitlab: FakeFactory, gitlab_token: str) -> None:
    fake = fake_gitlab(nested_group())
    items = read_all(open_gitlab(fake, "top"))

    assert snapshot(items, "top/a").metadata.host.default_branch_protected is True
    assert snapshot(items, "top/sub1/sub2/sub3/d").metadata.host.default_branch_protected is False


@pytest.mark.usefixtures("no_token")
def test_listings_cover_the_evidence_directories_and_reads_are_exact(
    fake_gitlab: FakeFactory,
) -> None:
    fake = fake_gitlab(nested_group())
    a = snapshot(read_all(open_gitlab(fake, "top")), "top/a")

    assert set(a.listings) == {
        "",
        ".github",
        "docs",
        ".gitlab",
        "LICENSES",
        ".gitlab/issue_templates",
        ".gitlab/merge_request_templates",
    }
    root = {e.path: e.kind for e in a.entries("")}
    assert root == {
        ".github": EntryKind.DIRECTORY,
        ".gitlab": EntryKind.DIRECTORY,
        "LICENSE": EntryKind.FILE,
        "LICENSES": EntryKind.DIRECTORY,
        "README.md": EntryKind.FILE,
        "docs": EntryKind.DIRECTORY,
        "package.json": EntryKind.FILE,
        "src": EntryKind.DIRECTORY,
    }
    assert a.read_bytes("LICENSE") == MIT.encode()
    assert a.read_bytes("LICENSES/MIT.txt") == MIT.encode()
    assert a.read_bytes(".github/SECURITY.md") == b"Report to security@example.org\n"
    assert a.read_bytes("docs/CONTRIBUTING.md", 7) == b"# Contr"
    assert a.read_bytes("src/main.py") == b"print('a')\n"  # not prefetched: read on demand
    assert a.read_bytes("nowhere/file.md") is None
    assert a.read_bytes("docs") is None


@pytest.mark.usefixtures("no_token")
def test_large_binary_and_non_utf8_files_are_read_raw_and_bounded(
    fake_gitlab: FakeFactory,
) -> None:
    instance = FakeInstance()
    big = b"# Contributing\n" + b"x" * (2 * MAX_READ_BYTES)
    binary = b"\x89PNG\r\n\x1a\n\x00\x00binary"
    latin = "Caf\xe9 na\xefve\n".encode("cp1252")
    project = FakeProject("g/p")
    project.files.update(
        {
            "CONTRIBUTING.md": Blob(FILE_MODE, big),
            "LICENSE": Blob(FILE_MODE, binary),
            "README.md": Blob(FILE_MODE, latin),
        }
    )
    instance.add_project(project)
    fake = fake_gitlab(instance)
    p = snapshot(read_all(open_gitlab(fake, "g")), "g/p")

    assert p.read_bytes("CONTRIBUTING.md", 100) == big[:100]
    text = p.read_text("CONTRIBUTING.md")
    assert text is not None
    assert text.truncated
    assert len(text.text) == MAX_READ_BYTES
    assert p.read_bytes("LICENSE") == binary
    assert p.read_bytes("README.md") == latin  # the raw bytes, not GitLab's re-encoded text
    raw = {path for _, path, _ in fake.requests if path.endswith("/raw")}
    assert raw == {
        "/api/v4/projects/g%2Fp/repository/files/CONTRIBUTING.md/raw",
        "/api/v4/projects/g%2Fp/repository/files/LICENSE/raw",
        "/api/v4/projects/g%2Fp/repository/files/README.md/raw",
    }


@pytest.mark.usefixtures("no_token")
def test_symbolic_links_are_followed_only_inside_the_repository(fake_gitlab: FakeFactory) -> None:
    instance = FakeInstance()
    instance.add_project(linked_project())
    fake = fake_gitlab(instance)
    p = snapshot(read_all(open_gitlab(fake, "links")), "links/p")

    kinds = {e.path: e.kind for e in p.entries("")}
    assert kinds == {
        "docs": EntryKind.DIRECTORY,
        "src": EntryKind.DIRECTORY,
        "CONTRIBUTING.md": EntryKind.FILE,
        "SECURITY.md": EntryKind.OUTSIDE_LINK,
        "LICENSE": EntryKind.OUTSIDE_LINK,
        "CODE_OF_CONDUCT.md": EntryKind.OUTSIDE_LINK,  # dangling
        "README.md": EntryKind.FILE,  # target in a directory that is not listed
        "GOVERNANCE.md": EntryKind.DIRECTORY,  # a link to a directory, as in a working tree
        "CHANGELOG.md": EntryKind.FILE,  # a link to a link to a file
        "CHANGES.md": EntryKind.FILE,
    }
    assert p.read_bytes("CONTRIBUTING.md") == b"real contributing\n"
    assert p.read_bytes("README.md") == b"readme in src\n"
    assert p.read_bytes("CHANGELOG.md") == b"history\n"
    assert p.read_bytes("LICENSE") is None
    assert p.read_bytes("SECURITY.md") is None
    assert not any("passwd" in path or "outside" in path for _, path, _ in fake.requests)
    assert p.warnings == (
        "CODE_OF_CONDUCT.md: dangling symbolic link",
        "LICENSE: symbolic link leaving the repository, not followed",
        "SECURITY.md: symbolic link leaving the repository, not followed",
    )


@pytest.mark.usefixtures("no_token")
def test_a_path_that_names_a_project_is_one_project(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(nested_group())
    source = open_gitlab(fake, "top/sub1/sub2/c")
    items = read_all(source)

    assert list(items) == ["top/sub1/sub2/c"]
    assert items["top/sub1/sub2/c"].metadata.fork
    assert source.url == f"{fake.url}/top/sub1/sub2/c"
    assert not any(path.startswith("/api/v4/groups") for _, path, _ in fake.requests)


@pytest.mark.usefixtures("no_token")
def test_a_path_that_names_a_subgroup_is_that_subgroup(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(nested_group())
    items = read_all(open_gitlab(fake, "top/sub1/sub2"))

    assert set(items) == {"top/sub1/sub2/c", "top/sub1/sub2/sub3/d"}


@pytest.mark.usefixtures("no_token")
def test_pages_of_a_large_directory_are_followed(fake_gitlab: FakeFactory) -> None:
    texts = {f"file{i:03}.txt": f"{i}\n" for i in range(130)}
    texts.update({f"dir{i:02}/x.txt": "x\n" for i in range(45)})
    texts["README.md"] = "# Big\n"
    instance = FakeInstance()
    instance.add_project(FakeProject.from_texts("g/big", texts))
    fake = fake_gitlab(instance)
    big = snapshot(read_all(open_gitlab(fake, "g")), "g/big")

    assert len(big.entries("")) == 130 + 45 + 1
    assert big.read_bytes("README.md") == b"# Big\n"
    assert big.read_bytes("file129.txt") == b"129\n"


@pytest.mark.usefixtures("no_token")
def test_pages_of_projects_are_followed(fake_gitlab: FakeFactory) -> None:
    instance = FakeInstance()
    for i in range(130):
        instance.add_project(
            FakeProject.from_texts(f"big/s{i % 3}/t{i % 2}/p{i:03}", {"README": "r"})
        )
    fake = fake_gitlab(instance)
    items = read_all(open_gitlab(fake, "big"))

    assert len(items) == 130
    assert all(isinstance(i, Snapshot) for i in items.values())
    listing = [
        p for _, p, _ in fake.requests if p.startswith("/api/v4/groups/") and "projects" in p
    ]
    assert len(listing) == 2  # 100 + 30, following the Link header


def test_visibility_filters_with_a_token(fake_gitlab: FakeFactory, gitlab_token: str) -> None:
    fake = fake_gitlab(nested_group())
    every = read_all(open_gitlab(fake, "top", visibility="all"))
    private = read_all(open_gitlab(fake, "top", visibility="private"))

    assert set(every) == PUBLIC_TOP | {"top/sub1/private-p", "top/internal-i"}
    assert set(private) == {"top/sub1/private-p", "top/internal-i"}
    assert private["top/internal-i"].metadata.visibility == "internal"


@pytest.mark.usefixtures("no_token")
def test_include_and_exclude_globs(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(nested_group())
    items = read_all(open_gitlab(fake, "top", include=("top/sub1/*",), exclude=("c",)))

    assert set(items) == {"top/sub1/b", "top/sub1/sub2/sub3/d"}


@pytest.mark.usefixtures("no_token")
def test_a_project_that_cannot_be_read_does_not_stop_the_others(fake_gitlab: FakeFactory) -> None:
    instance = nested_group()
    instance.projects["top/sub1/b"].repository_readable = False
    fake = fake_gitlab(instance)
    items = read_all(open_gitlab(fake, "top"))

    failure = items["top/sub1/b"]
    assert isinstance(failure, RepoFailure)
    assert "not readable" in failure.reason
    assert failure.metadata.archived
    assert failure.url == f"{fake.url}/top/sub1/b"
    others = {n: i for n, i in items.items() if n != "top/sub1/b"}
    assert all(isinstance(i, Snapshot) for i in others.values())
    assert snapshot(items, "top/a").read_bytes("LICENSE") == MIT.encode()


@pytest.mark.usefixtures("no_token")
def test_an_unknown_group_is_one_clear_line(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(nested_group())
    with pytest.raises(ConnectorError) as caught:
        open_gitlab(fake, "nobody/here")

    line = caught.value.one_line()
    assert "no GitLab group or project 'nobody/here'" in line
    assert "need a token in GITLAB_TOKEN" in line
    assert "\n" not in line
    assert caught.value.exit_code == 2  # what the user gave names nothing: configuration


def test_a_bad_token_is_one_clear_line_without_the_token(
    fake_gitlab: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUR_GITLAB", "glpat-wrong-secret")
    fake = fake_gitlab(nested_group())
    with pytest.raises(ConnectorError) as caught:
        open_gitlab(fake, "top", token_env="OUR_GITLAB")

    line = caught.value.one_line()
    assert "rejected the token in OUR_GITLAB" in line
    assert "glpat-wrong-secret" not in line
    assert "\n" not in line
    assert caught.value.exit_code == 2


@pytest.mark.usefixtures("no_token")
def test_an_instance_under_a_path_prefix_is_found(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(nested_group(), prefix="/tools/gitlab")
    host = fake.url.removesuffix("/tools/gitlab")
    target = Target(TargetKind.GITLAB, "tools/gitlab/top/sub1", base_url=host)

    items = read_all(GitLabConnector().open(target, ScanOptions()))
    assert set(items) == {"top/sub1/b", "top/sub1/sub2/c", "top/sub1/sub2/sub3/d"}
    assert snapshot(items, "top/sub1/b").url == f"{fake.url}/top/sub1/b"

    fake.requests.clear()
    given = ScanOptions(gitlab_url=fake.url)
    items = read_all(GitLabConnector().open(target, given))
    assert set(items) == {"top/sub1/b", "top/sub1/sub2/c", "top/sub1/sub2/sub3/d"}
    assert not any(path.endswith("/version") for _, path, _ in fake.requests)


@pytest.mark.usefixtures("no_token")
def test_a_url_that_is_not_gitlab_is_one_clear_line(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(nested_group(), prefix="/gitlab")
    host = fake.url.removesuffix("/gitlab")

    with pytest.raises(ConnectorError) as caught:
        GitLabConnector().open(Target(TargetKind.GITLAB, "top"), ScanOptions(gitlab_url=host))
    assert "does not answer as a GitLab instance" in caught.value.one_line()

    with pytest.raises(ConnectorError) as caught:
        GitLabConnector().open(
            Target(TargetKind.GITLAB, "elsewhere/top", base_url=host), ScanOptions()
        )
    assert "does not answer as a GitLab instance" in caught.value.one_line()


def test_the_token_goes_in_a_header_only(fake_gitlab: FakeFactory, gitlab_token: str) -> None:
    fake = fake_gitlab(nested_group())
    read_all(open_gitlab(fake, "top"))

    assert fake.requests
    assert not any(TOKEN in path for _, path, _ in fake.requests)


@pytest.mark.usefixtures("no_token")
def test_a_web_url_under_the_gitlab_url_scans_end_to_end(fake_gitlab: FakeFactory) -> None:
    fake = fake_gitlab(nested_group(), prefix="/code")
    options = ScanOptions(gitlab_url=fake.url + "/")
    ruleset = load_ruleset("un-ospo", load_plugins=False)

    report = Scanner(ruleset, options).scan([f"{fake.url}/top/sub1/-/tree/main"])
    names = [r.name for r in report.repositories]
    assert names == ["top/sub1/b", "top/sub1/sub2/c", "top/sub1/sub2/sub3/d"]
    assert report.entity.source == "gitlab"
    assert report.entity.name == "top/sub1"
    in_scope = {r.name: r.in_scope for r in report.repositories}
    assert in_scope == {"top/sub1/b": False, "top/sub1/sub2/c": False, "top/sub1/sub2/sub3/d": True}
