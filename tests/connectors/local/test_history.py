"""The default branch's recent history and the tags, read from `.git` as plain files: loose
objects, packs (deltas included), shallow clones and the read bound, on real repositories."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ospo_scan.connectors.local.objects import ObjectStore, apply_delta
from ospo_scan.snapshot import MAX_HISTORY_COMMITS, RecentCommits, Snapshot
from tests.conftest import RepoFactory
from tests.gitrepos import commit_as, git, git_environment
from tests.scanning import local_snapshot, local_snapshots


def days_ago(days: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days)).replace(microsecond=0).isoformat()


def recent(snapshot: Snapshot) -> RecentCommits:
    found = snapshot.metadata.recent_commits
    assert found is not None
    return found


def two_people(path: Path, git_repo_factory: RepoFactory, git_home: Path) -> Path:
    """Created in January 2024, then changed by Ada, Bo and Dependabot in the last months."""
    repo = git_repo_factory(path, {"README.md": "# App\n"})
    for days, (name, email) in (
        (90, ("Ada Tester", "ada@example.org")),
        (60, ("Bo Builder", "BO@example.org")),
        (30, ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")),
        (10, ("Ada Tester", "ada@example.org")),
    ):
        commit_as(
            repo,
            {"notes.txt": f"{days}\n"},
            author=name,
            email=email,
            date=days_ago(days),
            home=git_home,
        )
    return repo


def test_a_one_person_history_has_one_person(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = git_repo_factory(tmp_path / "solo", {"README.md": "# Solo\n"})
    for days in (40, 20, 5):
        commit_as(
            repo,
            {"a.txt": str(days)},
            author="Ada",
            email="ada@example.org",
            date=days_ago(days),
            home=git_home,
        )

    found = recent(local_snapshot(repo))

    assert found.people == ("ada@example.org",)
    assert found.commits == 3  # the 2024 commit is outside the window
    assert found.complete  # the walk reached a commit older than the window


def test_people_are_counted_once_and_bots_not_at_all(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = two_people(tmp_path / "app", git_repo_factory, git_home)

    snapshot = local_snapshot(repo)

    found = recent(snapshot)
    assert found.people == ("ada@example.org", "bo@example.org")
    assert found.commits == 4
    assert found.complete
    assert snapshot.metadata.last_commit_at is not None
    assert datetime.now(timezone.utc) - snapshot.metadata.last_commit_at < timedelta(days=11)


def test_packed_history_with_deltas_reads_as_the_loose_one(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = two_people(tmp_path / "app", git_repo_factory, git_home)
    loose = recent(local_snapshot(repo))
    # Long, nearly equal messages make git store commits as deltas of each other.
    message = "Release notes\n\n" + "".join(f"- item {n} of a long list\n" for n in range(200))
    for days in (8, 7, 6):
        subprocess.run(
            ["git", "commit", "--quiet", "--allow-empty", "-m", message + str(days)],
            cwd=repo,
            env={**git_environment(git_home), "GIT_COMMITTER_DATE": days_ago(days)},
            check=True,
        )
    git(repo, "repack", "-a", "-d", "-f", "--window=50", "--depth=50", "--quiet", home=git_home)
    git(repo, "prune-packed", home=git_home)
    packs = list((repo / ".git" / "objects" / "pack").glob("*.idx"))
    verify = git(repo, "verify-pack", "-v", str(packs[0]), home=git_home)
    delta_commits = [
        line for line in verify.splitlines() if " commit " in line and len(line.split()) >= 7
    ]
    assert delta_commits, "the test needs a commit stored as a delta"
    assert not [p for p in (repo / ".git" / "objects").iterdir() if len(p.name) == 2]

    packed = recent(local_snapshot(repo))

    assert packed.people == loose.people
    assert packed.commits == loose.commits + 3  # the three empty commits are Ada Tester's
    with ObjectStore(repo / ".git") as store:
        for line in delta_commits:
            object_id = line.split()[0]
            found = store.read(object_id)
            expected = git(repo, "cat-file", "commit", object_id, home=git_home)
            assert found is not None
            assert found == ("commit", expected.encode())


def test_a_shallow_clone_reads_as_incomplete(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    origin = two_people(tmp_path / "origin", git_repo_factory, git_home)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--depth", "1", origin.as_uri(), str(clone), home=git_home)

    found = recent(local_snapshot(clone))

    assert (found.commits, found.people, found.complete) == (1, ("ada@example.org",), False)


def test_the_walk_stops_at_the_read_bound(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = git_repo_factory(tmp_path / "busy", {"README.md": "# Busy\n"})
    start = datetime.now(timezone.utc) - timedelta(days=200)
    stream = []
    for n in range(MAX_HISTORY_COMMITS + 20):
        when = int((start + timedelta(hours=n)).timestamp())
        stream.append(
            f"commit refs/heads/main\ncommitter Ada <ada@example.org> {when} +0000\n"
            f"data 6\nwork {n % 10}\n" + ("from refs/heads/main^0\n" if n == 0 else "") + "\n"
        )
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=repo,
        input="".join(stream).encode(),
        env=git_environment(git_home),
        check=True,
    )

    found = recent(local_snapshot(repo))

    assert found.commits == MAX_HISTORY_COMMITS
    assert not found.complete


def test_tags_come_from_loose_and_packed_refs(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = git_repo_factory(tmp_path / "lib", {"README.md": "# Lib\n"})
    git(repo, "tag", "v1.0.0", home=git_home)
    git(repo, "pack-refs", "--all", home=git_home)
    git(repo, "tag", "-a", "v1.1.0", "-m", "Release 1.1.0", home=git_home)
    git(repo, "tag", "tools/v0.2.0", home=git_home)

    assert local_snapshot(repo).metadata.tags == ("tools/v0.2.0", "v1.0.0", "v1.1.0")


def test_a_directory_without_git_knows_no_history_and_no_tags(tmp_path: Path) -> None:
    (tmp_path / "ospo-entity.toml").write_text('name = "Agency"\n', encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "README.md").write_text("# App\n", encoding="utf-8")

    (snapshot,) = (s for s in local_snapshots(tmp_path) if s.name == "app")

    assert snapshot.metadata.recent_commits is None
    assert snapshot.metadata.tags is None
    assert snapshot.metadata.last_commit_at is None


def test_a_corrupt_object_ends_the_walk_as_incomplete(
    tmp_path: Path, git_repo_factory: RepoFactory, git_home: Path
) -> None:
    repo = two_people(tmp_path / "app", git_repo_factory, git_home)
    parent = git(repo, "rev-parse", "HEAD^", home=git_home).strip()
    loose = repo / ".git" / "objects" / parent[:2] / parent[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"not zlib at all")

    found = recent(local_snapshot(repo))

    assert (found.commits, found.complete) == (1, False)


def test_a_delta_that_reaches_outside_its_base_is_refused() -> None:
    base = b"hello world"
    copy_all = bytes([len(base), len(base), 0x90, len(base)])  # copy 11 bytes from offset 0
    assert apply_delta(base, copy_all) == base
    beyond = bytes([len(base), 20, 0x91, 5, 20])  # copy 20 bytes from offset 5
    assert apply_delta(base, beyond) is None
    truncated = bytes([len(base), len(base), 0x91])
    assert apply_delta(base, truncated) is None
