"""`scan --shard I/N` then `merge`: the shards of a scan joined give the unsharded report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from tests.conftest import RepoFactory
from tests.connectors.github.test_github_equivalence import REPOSITORIES
from tests.scanning import validated


def run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(arguments), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def without_times(document: dict[str, Any]) -> dict[str, Any]:
    scan = dict(document["scan"])
    del scan["started"], scan["finished"]
    return document | {"scan": scan}


@pytest.fixture
def entities(tmp_path: Path, git_repo_factory: RepoFactory) -> list[str]:
    """Two local entities: the equivalence organisation and a second with a shared name."""
    first = tmp_path / "un-org"
    for name, files in REPOSITORIES.items():
        git_repo_factory(first / name, files)
    second = tmp_path / "agency"
    for name in ("complete", "tool", "Zeta", "alpha"):
        git_repo_factory(second / name, REPOSITORIES.get(name, {"README.md": f"# {name}\n"}))
    return [str(first), str(second)]


def scan_shards(targets: list[str], out: Path, count: int) -> list[str]:
    out.mkdir(exist_ok=True)
    paths = []
    for index in range(1, count + 1):
        path = out / f"shard-{index}.json"
        code, _, err = run("scan", *targets, "--shard", f"{index}/{count}", "--output", str(path))
        assert code == 0, err
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("count", [1, 3])
def test_merged_shards_are_the_unsharded_report(
    entities: list[str], tmp_path: Path, count: int
) -> None:
    whole = tmp_path / "whole.json"
    assert run("scan", *entities, "--output", str(whole))[0] == 0
    shards = scan_shards(entities, tmp_path, count)
    merged = tmp_path / "merged.json"
    code, _, err = run("merge", *shards, "--output", str(merged))
    assert (code, err) == (0, "")
    expected = json.loads(whole.read_text(encoding="utf-8"))
    found = validated(json.loads(merged.read_text(encoding="utf-8")))
    assert found["scan"]["shard"] is None
    assert without_times(found) == without_times(expected)
    assert len(found["entities"]) == 2  # each entity's own row, recomputed from its parts


def test_a_missing_shard_is_an_error_row_and_exit_3(entities: list[str], tmp_path: Path) -> None:
    shards = scan_shards(entities[:1], tmp_path, 3)
    code, out, err = run("merge", shards[0], shards[2])
    assert code == 3
    assert err == (
        "ospo-scan: shard(s) 2/3 missing: the merged report is incomplete and says so in "
        "error rows\n"
    )
    report = validated(json.loads(out))
    missing = [r for r in report["repositories"] if r["status"] == "error" and "2/3" in r["name"]]
    assert len(missing) == 1
    assert "shard 2/3 of the scan is missing" in missing[0]["error"]


def test_shards_of_different_scans_are_refused(entities: list[str], tmp_path: Path) -> None:
    first = scan_shards(entities[:1], tmp_path / "a", 2)
    other = scan_shards(entities[1:], tmp_path / "b", 2)
    three = scan_shards(entities[:1], tmp_path / "c", 3)
    whole = tmp_path / "whole.json"
    run("scan", entities[0], "--output", str(whole))
    own = tmp_path / "agency.toml"
    own.write_text('id = "agency"\nversion = "1"\nextends = "un-ospo"\n', encoding="utf-8")
    cases = [
        ([first[0], other[1]], "entities 'agency', not 'un-org'"),
        ([first[0], first[0]], "shard 1/2 is given twice"),
        ([first[0], three[1]], "split the scan differently: into [2, 3] parts"),
        ([first[0], str(whole)], "is not a shard"),
        ([first[0], first[1], "--ruleset", str(own)], "not agency 1"),
    ]
    for arguments, message in cases:
        code, out, err = run("merge", *arguments)
        assert code == 2, (arguments, err)
        assert message in err
        assert err.count("\n") == 1
        assert out == ""


def test_a_missing_shard_is_not_counted_as_a_repository_in_scope(
    entities: list[str], tmp_path: Path
) -> None:
    shards = scan_shards(entities[:1], tmp_path, 3)
    parts = [json.loads(Path(shard).read_text(encoding="utf-8")) for shard in shards]
    present = len(parts[0]["repositories"]) + len(parts[2]["repositories"])
    in_scope = parts[0]["summary"]["in_scope"] + parts[2]["summary"]["in_scope"]
    code, out, _ = run("merge", shards[0], shards[2], "--format", "table")
    assert code == 3
    headline = out.splitlines()[1]
    assert f"; {present} repositories, {in_scope} in scope, 1 error" in headline


def test_a_shard_says_it_is_one(entities: list[str], tmp_path: Path) -> None:
    code, out, _ = run("scan", entities[0], "--shard", "2/3", "--no-history")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].endswith("; shard 2/3")
    assert lines[2].startswith("note: this is shard 2/3 of the scan: it holds only that part")
    code, out, _ = run(
        "scan", entities[0], "--shard", "2/3", "--no-history", "--format", "markdown"
    )
    assert "> This is shard 2/3 of the scan" in out


def _rows(path: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return document, document["repositories"]


def _write(path: str, document: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(document), encoding="utf-8")


def test_a_repository_in_two_shards_is_refused_whatever_the_order(
    entities: list[str], tmp_path: Path
) -> None:
    """Before, the first shard's row won: the merged score depended on the argument order."""
    shards = scan_shards(entities[:1], tmp_path, 2)
    first_rows = _rows(shards[0])[1]
    second, second_rows = _rows(shards[1])
    moved = first_rows[0]
    second_rows.append(moved | {"score": 0.0})  # the same repository, scored differently
    _write(shards[1], second)
    for arguments in (shards, shards[::-1]):
        code, out, err = run("merge", *arguments)
        assert code == 2, err
        assert f"{moved['name']} is in two shards" in err
        assert err.count("\n") == 1
        assert out == ""


def test_a_repository_in_the_wrong_shard_is_refused(entities: list[str], tmp_path: Path) -> None:
    shards = scan_shards(entities, tmp_path, 2)
    first, first_rows = _rows(shards[0])
    second, second_rows = _rows(shards[1])
    moved = next(row for row in first_rows if row["status"] == "ok")
    first_rows.remove(moved)
    second_rows.append(moved)
    _write(shards[0], first)
    _write(shards[1], second)
    code, out, err = run("merge", *shards)
    assert code == 2, err
    assert f"{moved['name']} does not belong in shard 2/2" in err
    assert out == ""
