"""Entities in a scan: the profile in the report, the profile's ruleset, `--entity-file`,
several entities with a row each and unique repository names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from tests.conftest import RepoFactory
from tests.gitrepos import write_files
from tests.scanning import validated

PROFILE = """\
name = "Demo Agency"
description = "Open source of a demo agency"
url = "https://agency.example.org"

[metadata]
country = "CH"

[contacts]
security = "security@agency.example.org"
maintainers = ["@agency/ospo"]

[readiness.2024]
ospo = "established"
best-practices = true
"""


def _scan(*arguments: str) -> tuple[int, dict[str, object] | None, str]:
    result = CliRunner().invoke(
        main, ["scan", *arguments, "--format", "json"], catch_exceptions=False
    )
    report = validated(json.loads(result.stdout)) if result.stdout else None
    return result.exit_code, report, result.stderr


def _entity(report: dict[str, object] | None) -> dict[str, object]:
    assert report is not None
    entity = report["entity"]
    assert isinstance(entity, dict)
    return entity


def test_the_profile_reaches_the_report(tmp_path: Path) -> None:
    entity = tmp_path / "agency"
    write_files(entity, {"ospo-entity.toml": PROFILE, "app/README.md": "# App\n"})
    code, report, err = _scan(str(entity))
    assert code == 0, err
    found = _entity(report)
    assert found["name"] == "Demo Agency"
    assert found["description"] == "Open source of a demo agency"
    assert found["metadata"] == {"country": "CH"}
    assert found["contacts"] == {
        "security": "security@agency.example.org",
        "maintainers": ["@agency/ospo"],
    }
    assert found["readiness"] == {"2024": {"ospo": "established", "best-practices": True}}


def test_an_entity_file_gives_a_profile_to_any_target(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "tool", {"README.md": "# Tool\n"})
    profile = tmp_path / "profile.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    code, report, err = _scan(str(repo), "--entity-file", str(profile))
    assert code == 0, err
    found = _entity(report)
    assert found["name"] == "Demo Agency"
    assert found["url"] == "https://agency.example.org"
    assert found["readiness"] == {"2024": {"ospo": "established", "best-practices": True}}


def test_a_bad_entity_file_is_a_configuration_error(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    repo = git_repo_factory(tmp_path / "tool", {"README.md": "# Tool\n"})
    profile = tmp_path / "profile.toml"
    profile.write_text('name = "A"\n[readiness.2024]\nospo = "maybe"\n', encoding="utf-8")
    code, report, err = _scan(str(repo), "--entity-file", str(profile))
    assert code == 2
    assert report is None
    assert f"{profile}:3: readiness.2024.ospo: must be one of" in err


def test_the_profile_ruleset_is_used_unless_the_command_line_names_one(tmp_path: Path) -> None:
    entity = tmp_path / "agency"
    write_files(
        entity,
        {
            "ospo-entity.toml": 'name = "Agency"\nruleset = "rules/lean.toml"\n',
            "rules/lean.toml": 'id = "lean"\nversion = "3"\n[rules.readme]\n',
        },
    )
    write_files(entity / "app", {"README.md": "# App\n"})
    code, report, err = _scan(str(entity))
    assert code == 0, err
    assert report is not None
    assert report["ruleset"] == {"id": "lean", "version": "3", "title": ""}
    code, report, err = _scan(str(entity), "--ruleset", "un-ospo")
    assert code == 0, err
    assert report is not None
    assert report["ruleset"]["id"] == "un-ospo"  # type: ignore[index]


def test_a_profile_naming_a_missing_ruleset_says_where(tmp_path: Path) -> None:
    entity = tmp_path / "agency"
    write_files(entity, {"ospo-entity.toml": 'ruleset = "nope"\n', "app/README.md": "# App\n"})
    code, _, err = _scan(str(entity))
    assert code == 2
    assert f"{entity / 'ospo-entity.toml'}: ruleset: unknown ruleset 'nope'" in err


def test_a_directory_of_entity_directories_is_several_entities(tmp_path: Path) -> None:
    root = tmp_path / "un-system"
    write_files(
        root,
        {
            "agency-a/ospo-entity.toml": 'name = "Agency A"\n',
            "agency-a/portal/README.md": "# Portal A\n",
            "agency-b/ospo-entity.toml": 'name = "Agency B"\n',
            "agency-b/portal/README.md": "# Portal B\n",
            "agency-b/data/README.md": "# Data\n",
        },
    )
    code, report, err = _scan(str(root))
    assert code == 0, err
    assert report is not None
    rows = {r["name"]: r for r in report["repositories"]}  # type: ignore[attr-defined]
    assert set(rows) == {"agency-a/portal", "agency-b/portal", "agency-b/data"}
    assert rows["agency-a/portal"]["entity"] == "Agency A"
    entities = {e["name"]: e for e in report["entities"]}  # type: ignore[attr-defined]
    assert set(entities) == {"Agency A", "Agency B"}
    assert entities["Agency A"]["score"] == rows["agency-a/portal"]["score"]
    assert _entity(report)["name"] == "Agency A + Agency B"


def test_an_empty_directory_is_nothing_to_scan(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, report, err = _scan(str(empty))
    assert code == 2
    assert report is None
    assert err.strip().splitlines() == [
        f"ospo-scan: error: nothing to scan in {empty}: the directory is empty (hint: give a "
        "repository, a directory of repositories or an entity directory)"
    ]


def test_same_named_repositories_of_two_entities_never_collide(tmp_path: Path) -> None:
    first, second = tmp_path / "agency-a", tmp_path / "agency-b"
    write_files(first, {"ospo-entity.toml": 'name = "A"\n', "portal/README.md": "# A\n"})
    write_files(second, {"ospo-entity.toml": 'name = "B"\n', "portal/README.md": "# B\n"})
    result = CliRunner().invoke(
        main, ["scan", str(first), str(second), "--format", "sarif"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    run = json.loads(result.stdout)["runs"][0]
    alerts = [
        (r["ruleId"], r["partialFingerprints"]["ospoScanRepositoryRule/v1"]) for r in run["results"]
    ]
    assert len(alerts) == len(set(alerts))
    located = {
        loc["physicalLocation"]["artifactLocation"]["uri"].split("/")[0]
        for r in run["results"]
        for loc in r["locations"]
    }
    assert located == {"agency-a", "agency-b"}
    assert [e["name"] for e in run["properties"]["entities"]] == ["A", "B"]


def test_entity_notes_reach_stderr_and_sarif(tmp_path: Path) -> None:
    entity = tmp_path / "agency"
    write_files(entity, {"ospo-entity.toml": 'name = "Agency"\n', "app/README.md": "# App\n"})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (entity / "linked").symlink_to(outside)
    result = CliRunner().invoke(
        main, ["scan", str(entity), "--format", "sarif"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    note = "skipped linked: a symbolic link leaving the entity directory"
    assert f"ospo-scan: note: Agency: {note}" in result.stderr.splitlines()
    notifications = json.loads(result.stdout)["runs"][0]["invocations"][0][
        "toolExecutionNotifications"
    ]
    assert {"level": "note", "message": {"text": f"Agency: {note}"}} in notifications


def test_each_entity_has_its_own_framework_view_and_declarations(tmp_path: Path) -> None:
    root = tmp_path / "un-system"
    write_files(
        root,
        {
            "agency-a/ospo-entity.toml": (
                'name = "Agency A"\n[principles.2]\nanswer = "yes"\n'
                'evidence = "https://a.example/upstream"\n'
            ),
            "agency-a/portal/README.md": "# Portal A\n\nInstall with pip and run it.\n" * 3,
            "agency-a/portal/LICENSE": "MIT License\n",
            "agency-b/ospo-entity.toml": 'name = "Agency B"\n',
            "agency-b/data/README.md": "# Data\n",
        },
    )
    code, report, err = _scan(str(root))
    assert code == 0, err
    assert report is not None
    entities = {e["name"]: e for e in report["entities"]}  # type: ignore[attr-defined]
    rows = {r["name"]: r for r in report["repositories"]}  # type: ignore[attr-defined]
    a = entities["Agency A"]["frameworks"]["un-principles"]["items"]
    b = entities["Agency B"]["frameworks"]["un-principles"]["items"]
    combined = _entity(report)["frameworks"]["un-principles"]["items"]  # type: ignore[index]
    # an entity of one repository: its item scores are that repository's
    portal = rows["agency-a/portal"]["frameworks"]["un-principles"]["items"]
    assert a["6"]["score"] == portal["6"]
    assert b["6"]["score"] == rows["agency-b/data"]["frameworks"]["un-principles"]["items"]["6"]
    # declarations belong to the entity that makes them, not to the combination
    assert a["2"]["status"] == "declared"
    assert a["2"]["declared"] == {"answer": "yes", "evidence": "https://a.example/upstream"}
    assert "declared" not in b["2"]
    assert b["2"]["status"] == "not-evidenced"
    assert "declared" not in combined["2"]
    # each figure is rounded to two decimals on its own
    assert combined["6"]["score"] == pytest.approx(
        (a["6"]["score"] + b["6"]["score"]) / 2, abs=0.01
    )
