"""The local connector on hostile repositories: links out, FIFOs, huge files, odd names."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import tracemalloc
from pathlib import Path

import pytest

from ospo_scan.connectors.interface import (
    EntitySource,
    RepoFailure,
    ScanOptions,
    Target,
    TargetKind,
)
from ospo_scan.connectors.local import LocalConnector
from ospo_scan.snapshot import MAX_READ_BYTES, EntryKind, Snapshot
from tests.conftest import RepoFactory
from tests.gitrepos import Symlink, write_files

PASSWD = Path("/etc/passwd")


def open_local(path: Path) -> EntitySource:
    return LocalConnector().open(Target(TargetKind.LOCAL, str(path)), ScanOptions())


def only_snapshot(path: Path) -> Snapshot:
    (repository,) = open_local(path).repositories
    assert isinstance(repository, Snapshot), repository
    return repository


def everything_readable(found: Snapshot) -> list[bytes]:
    """The bytes of every listed entry, read both through the snapshot and the raw reader."""
    contents: list[bytes] = []
    for entries in found.listings.values():
        for entry in entries:
            for data in (found.read_bytes(entry.path), found.reader(entry.path, MAX_READ_BYTES)):
                if data is not None:
                    contents.append(data)
    return contents


@pytest.mark.skipif(not PASSWD.is_file(), reason="needs /etc/passwd")
def test_licence_linked_to_etc_passwd_is_never_read(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(
        tmp_path / "hostile",
        {"README.md": "# Hostile\n", "LICENSE": Symlink(str(PASSWD))},
    )

    found = only_snapshot(repo)

    licence = found.entry("LICENSE")
    assert licence is not None
    assert licence.kind is EntryKind.OUTSIDE_LINK
    assert licence.size is None
    assert found.read_bytes("LICENSE") is None
    assert found.read_text("LICENSE") is None
    assert found.reader("LICENSE", MAX_READ_BYTES) is None
    assert found.warnings == ("LICENSE: symbolic link leaving the repository, not followed",)
    secret = PASSWD.read_bytes()[:32]
    readable = everything_readable(found)
    assert readable == [b"# Hostile\n", b"# Hostile\n"]
    assert not any(secret in data for data in readable)
    assert secret.decode("utf-8", "replace") not in repr(found)


@pytest.mark.parametrize(
    "path",
    [
        "../outside.txt",
        "docs/../../outside.txt",
        "./../outside.txt",
        "/etc/passwd",
        str(PASSWD),
        "README.md\x00",
        ".git/config",
        "",
    ],
)
def test_paths_that_leave_the_repository_are_refused(
    tmp_path: Path, git_repo_factory: RepoFactory, path: str
) -> None:
    (tmp_path / "outside.txt").write_text("outside the repository\n")
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n", "docs/a.md": "A\n"})

    found = only_snapshot(repo)

    assert found.reader(path, MAX_READ_BYTES) is None
    assert found.read_bytes(path) is None


def test_a_directory_linked_out_of_the_repository_is_not_listed(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    elsewhere = tmp_path / "elsewhere"
    write_files(elsewhere, {"SECURITY.md": "someone else's policy\n"})
    repo = git_repo_factory(
        tmp_path / "repo",
        {
            "README.md": "# Repo\n",
            "docs": Symlink(str(elsewhere)),
            ".github": Symlink("../elsewhere"),
        },
    )

    found = only_snapshot(repo)

    assert set(found.listings) == {""}
    assert {e.path: e.kind for e in found.entries()} == {
        ".github": EntryKind.OUTSIDE_LINK,
        "README.md": EntryKind.FILE,
        "docs": EntryKind.OUTSIDE_LINK,
    }
    assert found.read_bytes("docs/SECURITY.md") is None
    assert found.reader("docs/SECURITY.md", MAX_READ_BYTES) is None
    assert found.reader(".github/SECURITY.md", MAX_READ_BYTES) is None


def test_links_inside_the_repository_are_followed(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(
        tmp_path / "repo",
        {
            "legal/LICENSE.txt": "MIT License\n",
            "meta/CONTRIBUTING.md": "# Contributing\n",
            "LICENSE": Symlink("legal/LICENSE.txt"),
            ".github": Symlink("meta"),
            "docs/CODE_OF_CONDUCT.md": Symlink("../meta/CONTRIBUTING.md"),
        },
    )

    found = only_snapshot(repo)

    licence = found.entry("LICENSE")
    assert licence is not None
    assert (licence.kind, licence.size) == (EntryKind.FILE, len("MIT License\n"))
    assert found.read_bytes("LICENSE") == b"MIT License\n"
    assert [e.path for e in found.entries(".github")] == [".github/CONTRIBUTING.md"]
    assert found.read_bytes(".github/CONTRIBUTING.md") == b"# Contributing\n"
    assert found.read_bytes("docs/CODE_OF_CONDUCT.md") == b"# Contributing\n"
    assert found.warnings == ()


def test_chained_dangling_looping_and_git_links_are_outside_links(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(
        tmp_path / "repo",
        {
            "COPYING": Symlink("hop"),
            "hop": Symlink("/etc/passwd"),
            "CHANGELOG.md": Symlink("does-not-exist.md"),
            "loop-a": Symlink("loop-b"),
            "loop-b": Symlink("loop-a"),
            "README.md": Symlink(".git/config"),
        },
    )

    found = only_snapshot(repo)

    kinds = {e.path: e.kind for e in found.entries()}
    assert kinds == dict.fromkeys(
        ["CHANGELOG.md", "COPYING", "README.md", "hop", "loop-a", "loop-b"],
        EntryKind.OUTSIDE_LINK,
    )
    assert everything_readable(found) == []
    assert "CHANGELOG.md: dangling symbolic link" in found.warnings


def test_links_are_checked_again_at_read_time(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    outside = tmp_path / "outside"
    write_files(outside, {"SECURITY.md": "outside\n", "README.md": "outside\n"})
    repo = git_repo_factory(
        tmp_path / "repo", {"README.md": "# Repo\n", "docs/SECURITY.md": "inside\n"}
    )
    found = only_snapshot(repo)
    assert found.read_bytes("README.md") == b"# Repo\n"

    (repo / "README.md").unlink()
    (repo / "README.md").symlink_to(outside / "README.md")
    shutil.rmtree(repo / "docs")
    (repo / "docs").symlink_to(outside)

    assert found.read_bytes("README.md") is None
    assert found.read_bytes("docs/SECURITY.md") is None


def test_a_30_mb_contributing_is_read_only_up_to_the_bound(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "huge", {"README.md": "# Huge\n"})
    size = 30 * 1024 * 1024
    line = b"Please follow the contribution guide.\n"
    with (repo / "CONTRIBUTING.md").open("wb") as out:
        out.write(line * (size // len(line)) + b"x" * (size % len(line)))
    found = only_snapshot(repo)

    entry = found.entry("CONTRIBUTING.md")
    assert entry is not None
    assert (entry.kind, entry.size) == (EntryKind.FILE, size)
    tracemalloc.start()
    try:
        data = found.read_bytes("CONTRIBUTING.md", MAX_READ_BYTES)
        text = found.read_text("CONTRIBUTING.md")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data is not None
    assert len(data) == MAX_READ_BYTES
    assert data.startswith(line)
    assert text is not None
    assert text.truncated
    assert len(text.text) <= MAX_READ_BYTES
    assert found.read_bytes("CONTRIBUTING.md", 10) == line[:10]
    assert found.read_bytes("CONTRIBUTING.md", 0) == b""
    assert peak < 8 * MAX_READ_BYTES  # the 30 MB were never loaded


def test_a_binary_readme_is_reported_as_binary(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    repo = git_repo_factory(tmp_path / "repo", {"README.md": png})

    text = only_snapshot(repo).read_text("README.md")

    assert text is not None
    assert (text.binary, text.text) == (True, "")


def test_latin_1_text_is_decoded(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    content = "# Café\n\nContributions bienvenues, merci à tous — voir la FAQ.\n"
    repo = git_repo_factory(tmp_path / "repo", {"CONTRIBUTING.md": content.encode("cp1252")})

    text = only_snapshot(repo).read_text("CONTRIBUTING.md")

    assert text is not None
    assert text.text == content
    assert not text.binary


def test_names_that_are_not_utf8_are_reported_not_fatal(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    latin_name = os.fsdecode(b"caf\xe9.md")
    repo = git_repo_factory(
        tmp_path / "repo",
        {"README.md": "# Repo\n", latin_name: "bonjour\n", f"docs/{latin_name}": "doc\n"},
    )

    found = only_snapshot(repo)

    assert [e.path for e in found.entries()] == ["README.md", "docs"]
    assert found.entries("docs") == ()
    assert found.warnings == (
        "skipped a file name that is not valid UTF-8: caf\\xe9.md",
        "skipped a file name that is not valid UTF-8: docs/caf\\xe9.md",
    )
    assert found.read_bytes("README.md") == b"# Repo\n"


def test_entity_children_whose_names_are_not_utf8_are_noted(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = tmp_path / "agency"
    git_repo_factory(entity / "fine", {"README.md": "# Fine\n"})
    git_repo_factory(entity / os.fsdecode(b"r\xe9seau"), {"README.md": "# Réseau\n"})

    source = open_local(entity)

    assert [r.name for r in source.repositories] == ["fine"]
    assert source.notes == ("skipped a directory whose name is not valid UTF-8: r\\xe9seau",)


def test_a_fifo_is_never_opened(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})
    os.mkfifo(repo / "CONTRIBUTING.md")
    os.mkfifo(repo / "SECURITY.md")
    results: list[object] = []

    def scan() -> None:
        found = only_snapshot(repo)
        results.extend(
            [
                found,
                found.read_bytes("CONTRIBUTING.md"),
                found.reader("CONTRIBUTING.md", MAX_READ_BYTES),
                found.read_text("SECURITY.md"),
            ]
        )

    worker = threading.Thread(target=scan, daemon=True)
    worker.start()
    worker.join(timeout=60)  # a guard against hanging the suite, not a speed check

    assert not worker.is_alive(), "opening a FIFO blocked the scan"
    found, *reads = results
    assert reads == [None, None, None]
    assert isinstance(found, Snapshot)
    assert {e.path: e.kind for e in found.entries()} == {
        "CONTRIBUTING.md": EntryKind.OTHER,
        "README.md": EntryKind.FILE,
        "SECURITY.md": EntryKind.OTHER,
    }
    assert "CONTRIBUTING.md: not a regular file, not read" in found.warnings


def test_a_socket_is_never_opened(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    repo = git_repo_factory(tmp_path / "r", {"README.md": "# Repo\n"})
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(repo / "SUPPORT.md"))
        found = only_snapshot(repo)
        entry = found.entry("SUPPORT.md")
        assert entry is not None
        assert entry.kind is EntryKind.OTHER
        assert found.reader("SUPPORT.md", MAX_READ_BYTES) is None
    finally:
        server.close()


def test_a_submodule_is_not_listed_through(tmp_path: Path, git_repo_factory: RepoFactory) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})
    git_repo_factory(repo / "docs", {"SECURITY.md": "the submodule's policy\n"})

    found = only_snapshot(repo)

    docs = found.entry("docs")
    assert docs is not None
    assert docs.kind is EntryKind.OTHER
    assert "docs" not in found.listings


def test_an_entity_child_linked_out_of_the_entity_is_skipped(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    git_repo_factory(tmp_path / "elsewhere", {"README.md": "# Elsewhere\n"})
    entity = tmp_path / "agency"
    git_repo_factory(entity / "own", {"README.md": "# Own\n"})
    (entity / "borrowed").symlink_to(tmp_path / "elsewhere")

    source = open_local(entity)

    assert [r.name for r in source.repositories] == ["own"]
    assert source.notes == ("skipped borrowed: a symbolic link leaving the entity directory",)
    assert not any(isinstance(r, RepoFailure) for r in source.repositories)


def test_directories_inside_a_submodule_are_not_listed(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": "# Repo\n"})
    git_repo_factory(repo / ".github", {"ISSUE_TEMPLATE/bug.md": "the submodule's template\n"})

    found = only_snapshot(repo)

    assert set(found.listings) == {""}


def test_a_repository_whose_own_name_is_not_utf8_gets_an_escaped_name(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / os.fsdecode(b"caf\xe9"), {"README.md": "# Caf\xe9\n"})

    source = open_local(repo)

    (found,) = source.repositories
    assert source.name == found.name == "caf\\xe9"
    assert found.url.endswith("/caf%E9")
    assert isinstance(found, Snapshot)
    assert found.read_bytes("README.md") == "# Café\n".encode()
