"""The GitHub connector over real HTTP against the fake GitHub: enumeration, files, defaults."""

from __future__ import annotations

import pytest

from ospo_scan.connectors import connector_for
from ospo_scan.connectors.github.connector import GitHubConnector, api_root
from ospo_scan.connectors.interface import EntitySource, RepoFailure, ScanOptions, TargetKind
from ospo_scan.errors import ConnectorError
from ospo_scan.evidence import FileKind, locate
from ospo_scan.model import EvidenceSource
from ospo_scan.snapshot import EntryKind, Snapshot
from tests.connectors.github.conftest import FAST_RETRY, FakeFactory, open_github
from tests.connectors.github.fake_github import TOKEN
from tests.connectors.github.fake_repos import FakeRepo
from tests.gitrepos import FileContent, Symlink

README = "# Web app\n\nUsage: `make run`.\n"
MIT = "MIT License\n\nPermission is hereby granted, free of charge, to any person...\n"


def by_name(source: EntitySource) -> dict[str, Snapshot | RepoFailure]:
    return {item.name: item for item in source.repositories}


def snapshot_of(items: dict[str, Snapshot | RepoFailure], name: str) -> Snapshot:
    found = items[name]
    assert isinstance(found, Snapshot), found
    return found


def org() -> dict[str, FakeRepo]:
    return {
        ".github": FakeRepo(
            ".github",
            {
                "CONTRIBUTING.md": "# Contributing\n\nOpen a pull request.\n",
                ".github/SECURITY.md": "Report vulnerabilities to security@un.example.org\n",
            },
        ),
        "web-app": FakeRepo(
            "web-app",
            {
                "README.md": README,
                "LICENSE": MIT,
                "docs/CONTRIBUTING.md": "# Contributing to the web app\n",
                "src/main.py": "print('hello')\n",
            },
            description="The web app",
            topics=("un", "health"),
            protected=True,
            licence_spdx="MIT",
            security_policy=True,
        ),
        "old-tool": FakeRepo("old-tool", {"README.md": "# Old\n"}, archived=True),
        "forked-lib": FakeRepo("forked-lib", {"README.md": "# Fork\n"}, fork=True),
        "internal": FakeRepo("internal", {"README.md": "# Secret\n"}, private=True),
        "nothing-yet": FakeRepo("nothing-yet", {}),
    }


def test_dispatch_gives_the_github_connector() -> None:
    assert isinstance(connector_for(TargetKind.GITHUB), GitHubConnector)


def test_an_organisation_is_listed_with_metadata_and_files(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    source = open_github(fake, "un-org")
    items = by_name(source)

    assert source.name == "un-org"
    assert source.url == "https://github.com/un-org"
    assert source.defaults_repository == "un-org/.github"
    # Private repositories are left out by default; archived, forks and empty ones are reported.
    assert set(items) == {
        "un-org/.github",
        "un-org/web-app",
        "un-org/old-tool",
        "un-org/forked-lib",
        "un-org/nothing-yet",
    }
    app = snapshot_of(items, "un-org/web-app")
    assert app.url == "https://github.com/un-org/web-app"
    assert [(e.path, e.kind, e.size) for e in app.entries("")] == [
        ("LICENSE", EntryKind.FILE, len(MIT)),
        ("README.md", EntryKind.FILE, len(README)),
        ("docs", EntryKind.DIRECTORY, None),
        ("src", EntryKind.DIRECTORY, None),
    ]
    assert [e.path for e in app.entries("docs")] == ["docs/CONTRIBUTING.md"]
    assert "src" not in app.listings
    text = app.read_text("LICENSE")
    assert text is not None
    assert text.text == MIT
    assert app.read_bytes("README.md", 6) == b"# Web "

    meta = app.metadata
    assert (meta.archived, meta.fork, meta.empty, meta.visibility) == (
        False,
        False,
        False,
        "public",
    )
    assert meta.description == "The web app"
    assert meta.topics == ("un", "health")
    assert meta.default_branch == "main"
    assert meta.pushed_at is not None
    assert meta.pushed_at.isoformat() == "2024-01-15T12:00:00+00:00"
    assert meta.host.default_branch_protected is True
    assert meta.host.licence_spdx == "MIT"
    assert meta.host.security_policy_url == "https://github.com/un-org/web-app/security/policy"
    assert meta.host.has_org_defaults is True

    assert snapshot_of(items, "un-org/old-tool").metadata.archived
    assert snapshot_of(items, "un-org/forked-lib").metadata.fork
    empty = items["un-org/nothing-yet"]
    assert isinstance(empty, RepoFailure)
    assert empty.reason == "repository has no commits"
    assert empty.metadata.empty


def test_rules_reads_are_prefetched_in_batches(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    items = by_name(open_github(fake, "un-org"))
    app = snapshot_of(items, "un-org/web-app")
    before = len(fake.requests)
    for path in ("README.md", "LICENSE", "docs/CONTRIBUTING.md"):
        assert app.read_text(path) is not None
    assert len(fake.requests) == before, "a community file was fetched one by one"
    # One page of repositories plus one batch of texts for the whole organisation.
    assert fake.graphql_requests == 2


def test_organisation_defaults_supply_inherited_files(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    items = by_name(open_github(fake, "un-org"))
    app = snapshot_of(items, "un-org/web-app")
    assert app.org_defaults is not None
    assert app.org_defaults.name == "un-org/.github"
    security = locate(app, FileKind.SECURITY)
    assert security is not None
    assert security.source is EvidenceSource.ORGANISATION_DEFAULT
    assert security.entry.path == ".github/SECURITY.md"
    text = security.snapshot.read_text(security.entry.path)
    assert text is not None
    assert "security@un.example.org" in text.text
    own = locate(app, FileKind.CONTRIBUTING)
    assert own is not None
    assert (own.source, own.entry.path) == (EvidenceSource.REPOSITORY, "docs/CONTRIBUTING.md")


def test_a_private_defaults_repository_supplies_nothing(fake_github: FakeFactory) -> None:
    repos = org()
    repos[".github"].private = True
    fake = fake_github({"un-org": ("Organization", repos)})
    source = open_github(fake, "un-org", ScanOptions(visibility="all"))
    assert source.defaults_repository is None
    items = by_name(source)
    assert snapshot_of(items, "un-org/web-app").org_defaults is None
    assert "un-org/.github" in items


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        ("private", {"un-org/internal"}),
        ("all", {"un-org/internal", "un-org/web-app", "un-org/.github"}),
    ],
)
def test_private_repositories_when_asked(
    fake_github: FakeFactory, visibility: str, expected: set[str]
) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    items = by_name(open_github(fake, "un-org", ScanOptions(visibility=visibility)))
    assert expected <= set(items)
    if visibility == "private":
        assert set(items) == expected
    internal = snapshot_of(items, "un-org/internal")
    assert internal.metadata.visibility == "private"


def test_pages_of_repositories_are_followed(fake_github: FakeFactory) -> None:
    repos = {f"repo-{i:02}": FakeRepo(f"repo-{i:02}", {"README.md": f"# {i}\n"}) for i in range(7)}
    fake = fake_github({"big-org": ("Organization", repos)})
    connector = GitHubConnector(retry=FAST_RETRY, page_size=3)
    items = by_name(open_github(fake, "big-org", connector=connector))
    assert sorted(items) == [f"big-org/repo-{i:02}" for i in range(7)]
    assert all(isinstance(i, Snapshot) for i in items.values())
    # 3 pages of listing, each followed by one batch of texts.
    assert fake.graphql_requests == 6


def test_include_and_exclude_globs(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    options = ScanOptions(include=("web-*", "old-*"), exclude=("old-*",))
    assert set(by_name(open_github(fake, "un-org", options))) == {"un-org/web-app"}


def test_a_user_account_is_an_owner_too(fake_github: FakeFactory) -> None:
    fake = fake_github({"ada": ("User", {"notes": FakeRepo("notes", {"README.md": "# Notes\n"})})})
    source = open_github(fake, "ada")
    assert source.defaults_repository is None
    assert set(by_name(source)) == {"ada/notes"}


def test_one_repository(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    source = open_github(fake, "un-org/web-app")
    items = by_name(source)
    assert set(items) == {"un-org/web-app"}
    app = snapshot_of(items, "un-org/web-app")
    assert app.org_defaults is not None
    assert fake.graphql_requests == 2


def test_symbolic_links_are_resolved_like_a_working_tree(fake_github: FakeFactory) -> None:
    files: dict[str, FileContent] = {
        "LICENSE": Symlink("legal/licence.txt"),
        "legal/licence.txt": MIT,
        "README.md": Symlink("README-chain"),
        "README-chain": Symlink("legal/../legal/readme.txt"),
        "legal/readme.txt": "# Linked readme\n",
        "SECURITY.md": Symlink("../../etc/passwd"),
        "CHANGELOG.md": Symlink("missing.md"),
        "code": Symlink("src"),
        "src/app.py": "x = 1\n",
        "root-link": Symlink("."),
        "docs": Symlink("documentation"),
        "documentation/GOVERNANCE.md": "# Governance\n",
        "documentation/CODEOWNERS": Symlink("../owners.txt"),
        "owners.txt": "* @un-org/team\n",
    }
    fake = fake_github({"un-org": ("Organization", {"linked": FakeRepo("linked", files)})})
    linked = snapshot_of(by_name(open_github(fake, "un-org")), "un-org/linked")
    kinds = {e.path: e.kind for e in linked.entries("")}
    assert kinds["LICENSE"] is EntryKind.FILE
    assert kinds["README.md"] is EntryKind.FILE
    assert kinds["SECURITY.md"] is EntryKind.OUTSIDE_LINK
    assert kinds["CHANGELOG.md"] is EntryKind.OUTSIDE_LINK
    assert kinds["code"] is EntryKind.DIRECTORY
    assert kinds["root-link"] is EntryKind.OTHER
    assert linked.entry("LICENSE") is not None
    assert linked.entry("LICENSE").size == len(MIT)  # type: ignore[union-attr]
    licence = linked.read_text("LICENSE")
    readme = linked.read_text("README.md")
    assert licence is not None
    assert licence.text == MIT
    assert readme is not None
    assert readme.text == "# Linked readme\n"
    assert linked.read_bytes("SECURITY.md") is None
    # A listed directory that is a link inside the repository is listed where it leads.
    assert [(e.path, e.kind) for e in linked.entries("docs")] == [
        ("docs/CODEOWNERS", EntryKind.FILE),
        ("docs/GOVERNANCE.md", EntryKind.FILE),
    ]
    assert linked.read_bytes("docs/CODEOWNERS") == b"* @un-org/team\n"
    assert linked.read_bytes("docs/GOVERNANCE.md") == b"# Governance\n"
    assert set(linked.warnings) == {
        "SECURITY.md: symbolic link leaving the repository, not followed",
        "CHANGELOG.md: dangling symbolic link",
    }


def test_reads_are_exact_and_bounded(fake_github: FakeFactory) -> None:
    latin1 = "Licence: café\n".encode("cp1252")
    files: dict[str, FileContent] = {
        "README.md": "# Readme\n" + "word " * 1000,
        "NOTICE.txt": "x",
        "LICENSE": latin1,
        "COPYING": b"\x00\x01binary",
        "src/notes.md": "notes\n",
    }
    fake = fake_github({"un-org": ("Organization", {"odd": FakeRepo("odd", files)})})
    odd = snapshot_of(by_name(open_github(fake, "un-org")), "un-org/odd")
    readme = odd.read_text("README.md", limit=100)
    assert readme is not None
    assert readme.truncated
    assert len(readme.text) == 100
    # GitHub's text of a non-UTF-8 file is lossy, so the exact bytes come from the REST API.
    assert odd.read_bytes("LICENSE") == latin1
    text = odd.read_text("LICENSE")
    assert text is not None
    assert text.text == "Licence: café\n"
    binary = odd.read_text("COPYING")
    assert binary is not None
    assert binary.binary
    # Absent from a listed directory: known without asking.
    assert odd.read_bytes("not-there.md") is None
    # Outside the listed directories: asked for once (GraphQL text, exact here), then remembered.
    queries = fake.graphql_requests
    assert odd.read_bytes("src/notes.md") == b"notes\n"
    assert odd.read_bytes("src/notes.md", 3) == b"not"
    assert odd.read_bytes("src/missing.md") is None
    assert fake.graphql_requests == queries + 2
    rest = [path for method, path, _ in fake.requests if method == "GET"]
    assert rest == [
        "/api/v3/repos/un-org/odd/contents/LICENSE",
        "/api/v3/repos/un-org/odd/contents/COPYING",
    ]


def test_a_repository_that_cannot_be_read_does_not_stop_the_others(
    fake_github: FakeFactory,
) -> None:
    repos = org()
    repos["blocked"] = FakeRepo(
        "blocked", {"README.md": "# Blocked\n"}, broken="Resource protected by SAML enforcement"
    )
    fake = fake_github({"un-org": ("Organization", repos)})
    items = by_name(open_github(fake, "un-org"))
    blocked = items["un-org/blocked"]
    assert isinstance(blocked, RepoFailure)
    assert "SAML" in blocked.reason
    assert blocked.url == "https://github.com/un-org/blocked"
    assert isinstance(items["un-org/web-app"], Snapshot)


def test_an_unreadable_host_fact_is_unknown_not_a_failure(fake_github: FakeFactory) -> None:
    repos = {"guarded": FakeRepo("guarded", {"README.md": "# Guarded\n"}, protection_hidden=True)}
    fake = fake_github({"un-org": ("Organization", repos)})
    guarded = snapshot_of(by_name(open_github(fake, "un-org")), "un-org/guarded")
    assert guarded.metadata.host.default_branch_protected is None
    assert [e.path for e in guarded.entries("")] == ["README.md"]


def test_a_bad_token_is_one_clear_line_without_the_token(
    fake_github: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_wrong0token0000000000000000000000")
    with pytest.raises(ConnectorError) as caught:
        open_github(fake, "un-org")
    line = caught.value.one_line()
    assert "rejected the token in GITHUB_TOKEN" in line
    assert "401" in line
    assert "ghp_wrong0token" not in line
    assert TOKEN not in line
    assert "\n" not in line


def test_a_token_variable_named_but_empty_is_an_error(
    fake_github: FakeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    monkeypatch.delenv("GITHUB_TOKEN")
    with pytest.raises(ConnectorError, match="OSPO_TOKEN \\(named by --token-env\\) is not set"):
        open_github(fake, "un-org", ScanOptions(token_env="OSPO_TOKEN"))
    monkeypatch.setenv("OSPO_TOKEN", TOKEN)
    source = open_github(fake, "un-org/web-app", ScanOptions(token_env="OSPO_TOKEN"))
    assert set(by_name(source)) == {"un-org/web-app"}


def test_an_unknown_owner_or_repository_is_a_connector_error(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    with pytest.raises(ConnectorError, match="no GitHub organisation or user named 'nobody'"):
        open_github(fake, "nobody")
    with pytest.raises(ConnectorError, match="no GitHub repository un-org/ghost"):
        open_github(fake, "un-org/ghost")


def test_private_scans_need_the_repo_scope(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org())}, scopes="read:org")
    with pytest.raises(ConnectorError, match="lacks the repo scope"):
        open_github(fake, "un-org", ScanOptions(visibility="all"))
    assert set(by_name(open_github(fake, "un-org"))) >= {"un-org/web-app"}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "https://api.github.com"),
        ("https://github.com", "https://api.github.com"),
        ("https://ghe.example.org", "https://ghe.example.org/api/v3"),
        ("https://ghe.example.org/api/v3/", "https://ghe.example.org/api/v3"),
    ],
)
def test_api_root(given: str | None, expected: str) -> None:
    assert api_root(given) == expected


def test_an_older_enterprise_server_schema_is_met_with_older_queries(
    fake_github: FakeFactory,
) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    fake.graphql.older = True
    items = by_name(open_github(fake, "un-org"))
    app = snapshot_of(items, "un-org/web-app")
    # Tree entry sizes are unknown there; everything rules need is the same.
    assert [(e.path, e.kind) for e in app.entries("")] == [
        ("LICENSE", EntryKind.FILE),
        ("README.md", EntryKind.FILE),
        ("docs", EntryKind.DIRECTORY),
        ("src", EntryKind.DIRECTORY),
    ]
    assert app.read_bytes("LICENSE") == MIT.encode()
    assert app.metadata.host.security_policy_url is None
    assert app.metadata.host.default_branch_protected is True
    # The first query asked for newer fields and was refused; no other query was.
    assert set(fake.graphql.invalid) == {
        "Cannot query field 'size' on type 'TreeEntry'.",
        "Cannot query field 'refUpdateRule' on type 'Ref'.",
        "Cannot query field 'isSecurityPolicyEnabled' on type 'Repository'.",
        "Cannot query field 'securityPolicyUrl' on type 'Repository'.",
    }
    assert fake.requests[0][2] == 200
    assert fake.graphql_requests == 3
    fake.graphql.invalid.clear()


def test_an_organisation_behind_sso_is_one_clear_error(fake_github: FakeFactory) -> None:
    fake = fake_github({"un-org": ("Organization", org())})
    fake.graphql.saml_protected.add("un-org")
    with pytest.raises(ConnectorError, match="SAML enforcement") as caught:
        open_github(fake, "un-org")
    assert caught.value.hint == "the token may need SSO authorisation for this organisation"
