"""Counting a working tree's file types: never a link followed, never dependencies or `.git`."""

from __future__ import annotations

from pathlib import Path

from ospo_scan.connectors.local.tree import count_file_types
from tests.conftest import RepoFactory
from tests.scanning import local_snapshot


def test_the_snapshot_counts_the_repositorys_own_files(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    (outside / "lib").mkdir(parents=True)
    for index in range(5):
        (outside / "lib" / f"m{index}.py").write_text("x = 1\n")
    repo = git_repo_factory(
        tmp_path / "app",
        {
            "README.md": "# App\n",
            "src/app.py": "print(1)\n",
            "src/data/points.csv": "a,b\n",
            "node_modules/left-pad/index.js": "module.exports = 1\n",
            ".cache/blob.bin": "x",
            "vendor/dep/dep.go": "package dep\n",
        },
    )
    (repo / "linked").symlink_to(outside / "lib")
    (repo / "sub").mkdir()
    (repo / "sub" / ".git").write_text("gitdir: elsewhere\n")
    (repo / "sub" / "other.rs").write_text("fn main() {}\n")

    counted = local_snapshot(repo).file_types()

    assert counted is not None
    assert dict(counted.extensions) == {"md": 1, "py": 1, "csv": 1}
    assert counted.complete


def test_the_walk_stops_at_its_bound(tmp_path: Path) -> None:
    for index in range(12):
        (tmp_path / f"f{index}.txt").write_text("x")

    counted = count_file_types(tmp_path, limit=10)

    assert counted is not None
    assert counted.total == 10
    assert not counted.complete


def test_the_count_keeps_the_first_paths_of_each_extension(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    for index in range(7):
        (tmp_path / "lib" / f"m{index}.so").write_bytes(b"\x7fELF")
    (tmp_path / "README.md").write_text("# r\n")

    counted = count_file_types(tmp_path)

    assert counted is not None
    assert counted.extensions["so"] == 7
    assert len(counted.samples["so"]) == 5
    assert all(p.startswith("lib/m") and p.endswith(".so") for p in counted.samples["so"])
    assert counted.samples["md"] == ("README.md",)


def test_an_undecodable_name_is_kept_escaped(tmp_path: Path) -> None:
    (tmp_path / "caf\udce9.exe").write_bytes(b"MZ")

    counted = count_file_types(tmp_path)

    assert counted is not None
    assert counted.samples["exe"] == ("caf\\xe9.exe",)
