"""`scan` records into the history store; `history` lists what it holds (SPEC §8)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.entity import Entity, run, validated


def test_every_scan_is_recorded_and_listed(entity: Entity, history_store: Path) -> None:
    for _ in range(2):
        code, _out, err = run("scan", str(entity.root), "--format", "json")
        assert code == 0, err
    code, out, err = run("history", "--format", "json")
    assert code == 0, err
    document = validated(out, "history-v1.json")
    assert document["schema"] == "ospo-scan/history/v1"
    scans = document["scans"]
    assert [s["id"] for s in scans] == [1, 2]
    for item in scans:
        assert set(item) == {
            "id",
            "started",
            "entity",
            "ruleset",
            "score",
            "level",
            "repositories",
            "errors",
        }
        assert (item["entity"], item["ruleset"], item["repositories"], item["errors"]) == (
            "agency",
            "un-ospo",
            2,
            0,
        )
    code, table, _ = run("history")
    assert code == 0
    lines = table.splitlines()
    assert lines[0].split() == [
        "id",
        "started",
        "entity",
        "ruleset",
        "score",
        "level",
        "repositories",
        "errors",
    ]
    assert [line.split()[0] for line in lines[2:]] == ["1", "2"]
    assert history_store.is_file()


def test_the_report_carries_the_scan_and_each_commit(entity: Entity) -> None:
    code, out, err = run("scan", str(entity.root), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    scan = report["scan"]
    assert scan["targets"] == [str(entity.root)]
    assert scan["shard"] is None
    assert scan["started"] <= scan["finished"]
    assert scan["started"].endswith("Z")
    commits = {r["name"]: (r["commit"], r["default_branch"]) for r in report["repositories"]}
    assert commits == {"app": (entity.head("app"), "main"), "lib": (entity.head("lib"), "main")}


def test_history_of_one_entity(entity: Entity, tmp_path: Path, git_home: Path) -> None:
    other = Entity(tmp_path / "ministry", git_home)
    for root in (entity.root, other.root, entity.root):
        assert run("scan", str(root))[0] == 0
    code, out, _ = run("history", "--entity", "agency", "--format", "json")
    assert code == 0
    assert [(s["id"], s["entity"]) for s in json.loads(out)["scans"]] == [
        (1, "agency"),
        (3, "agency"),
    ]


def test_no_history_records_nothing(entity: Entity, history_store: Path) -> None:
    code, _, err = run("scan", str(entity.root), "--no-history")
    assert code == 0, err
    assert not history_store.exists()
    code, out, _ = run("history")
    assert (code, out) == (0, "No scans recorded yet.\n")


def test_history_option_chooses_the_store(entity: Entity, tmp_path: Path) -> None:
    chosen = tmp_path / "elsewhere" / "audit.sqlite3"
    assert run("scan", str(entity.root), "--history", str(chosen))[0] == 0
    assert chosen.is_file()
    _, out, _ = run("history", "--history", str(chosen), "--format", "json")
    assert len(json.loads(out)["scans"]) == 1
    _, out, _ = run("history", "--format", "json")  # the environment's store: still empty
    assert json.loads(out)["scans"] == []


@pytest.mark.parametrize("content", [b"not a database\n", b"SQLite format 3\x00" + b"\x00" * 84])
def test_a_store_that_is_not_ours_is_exit_2_and_never_written(
    entity: Entity, history_store: Path, tmp_path: Path, content: bytes
) -> None:
    history_store.write_bytes(content)
    output = tmp_path / "report.json"
    for arguments in (
        ("scan", str(entity.root), "--output", str(output)),
        ("history",),
        ("diff",),
        ("report", "1"),
    ):
        code, out, err = run(*arguments)
        assert code == 2, (arguments, out, err)
        assert err.startswith("ospo-scan: error: ")
        assert len(err.strip().splitlines()) == 1
        assert "history store" in err
    assert history_store.read_bytes() == content
    assert sorted(p.name for p in history_store.parent.iterdir()) == [history_store.name]
    assert not output.exists()  # the scan did not run


def test_no_history_leaves_even_a_foreign_store_alone(entity: Entity, history_store: Path) -> None:
    history_store.write_bytes(b"somebody else's file\n")
    code, _, err = run("scan", str(entity.root), "--no-history")
    assert (code, err) == (0, "")
    assert history_store.read_bytes() == b"somebody else's file\n"


def test_fail_on_regression_needs_the_history(entity: Entity) -> None:
    code, out, err = run("scan", str(entity.root), "--no-history", "--fail-on-regression")
    assert (code, out) == (2, "")
    assert err.startswith("ospo-scan: error: --fail-on-regression compares with the history")


def test_a_scan_of_several_entities_is_recorded_entity_by_entity(
    tmp_path: Path, history_store: Path
) -> None:
    demo = Path(__file__).resolve().parents[2] / "fixtures" / "survey-demo" / "entities"
    targets = []
    for name in ("open-data-agency", "maritime-standards-body"):
        shutil.copytree(demo / name, tmp_path / name)
        targets.append(str(tmp_path / name))
    code, _, err = run("scan", *targets, "--format", "json")
    assert code == 0, err
    code, out, _ = run("history", "--entity", "Maritime Standards Body", "--format", "json")
    (scan,) = json.loads(out)["scans"]
    assert scan["repositories"] == 2
    code, out, _ = run("report", str(scan["id"]), "--format", "json")
    part = json.loads(out)
    assert part["entity"]["name"] == "Maritime Standards Body"
    assert [r["name"] for r in part["repositories"]] == [
        "maritime-standards-body/port-schema",
        "maritime-standards-body/vessel-codes",
    ]

    (tmp_path / "maritime-standards-body" / "port-schema" / "SECURITY.md").unlink()
    code, _, err = run("scan", *targets, "--fail-on-regression", "--format", "json")
    assert code == 1
    assert "  regression: maritime-standards-body/port-schema: security-policy pass -> fail" in err
    code, out, _ = run("history", "--format", "json")
    entities = [s["entity"] for s in json.loads(out)["scans"]]
    assert entities == ["Open Data Agency", "Maritime Standards Body"] * 2
