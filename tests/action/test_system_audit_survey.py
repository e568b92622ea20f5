"""The system audit's survey step: each entity's artefacts by exact name, merged with the ruleset
the scan jobs were given.

Each scan job is a real `ospo-scan scan --shard` process over a local entity, writing its report
where the download-artifact step puts it (`shards/ARTEFACT/report.json`); the survey step then
runs as the workflow runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ospo_scan.action.system_audit import parse_entities, scan_matrix

ENTITIES: list[dict[str, Any]] = [
    {"name": "UN", "targets": "un", "shards": 2},
    {"name": "UN Women", "targets": "un-women", "shards": 2},
]


def _entity(root: Path, directory: str, name: str) -> None:
    (root / directory).mkdir()
    (root / directory / "ospo-entity.toml").write_text(f'name = "{name}"\n', encoding="utf-8")
    for repository in ("alpha", "beta", "gamma"):
        (root / directory / repository).mkdir()
        (root / directory / repository / "README.md").write_text(
            f"# {repository}\n", encoding="utf-8"
        )


def _scan_jobs(tmp_path: Path, ruleset: str, *, failed: str | None = None) -> None:
    """The matrix's scan jobs; the entity named `failed` uploads nothing, as a failed job."""
    for row in scan_matrix(parse_entities(json.dumps(ENTITIES))):
        if row["name"] == failed:
            continue
        artefact = tmp_path / "shards" / row["artefact"]
        artefact.mkdir(parents=True)
        command = [sys.executable, "-m", "ospo_scan", "scan", *json.loads(row["targets"])]
        command += ["--ruleset", ruleset, "--format", "json", "--no-history"]
        command += ["--shard", row["shard"], "--output", str(artefact / "report.json")]
        subprocess.run(command, cwd=tmp_path, check=True, capture_output=True)


def _survey(tmp_path: Path, ruleset: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "OSPO_SCAN_ENTITIES": json.dumps(ENTITIES),
        "OSPO_SCAN_RULESET": ruleset,
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    return subprocess.run(
        [sys.executable, "-m", "ospo_scan.action.system_audit", "survey", "shards", "survey"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _entity_names(tmp_path: Path) -> dict[str, str]:
    reports = sorted((tmp_path / "survey" / "reports").glob("*.json"))
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))["entity"]["name"]
        for path in reports
    }


def test_an_entity_whose_name_starts_another_takes_none_of_its_shards(tmp_path: Path) -> None:
    _entity(tmp_path, "un", "UN")
    _entity(tmp_path, "un-women", "UN Women")
    _scan_jobs(tmp_path, "un-ospo")
    step = _survey(tmp_path, "un-ospo")
    assert step.returncode == 0, step.stderr
    assert _entity_names(tmp_path) == {"un.json": "UN", "un-women.json": "UN Women"}
    survey = json.loads((tmp_path / "survey" / "survey.json").read_text(encoding="utf-8"))
    assert sorted(entity["name"] for entity in survey["entities"]) == ["UN", "UN Women"]


def test_a_failed_entity_has_no_report_rather_than_another_ones(tmp_path: Path) -> None:
    _entity(tmp_path, "un", "UN")
    _entity(tmp_path, "un-women", "UN Women")
    _scan_jobs(tmp_path, "un-ospo", failed="UN")
    step = _survey(tmp_path, "un-ospo")
    assert step.returncode == 3, step.stderr
    assert "ospo-scan: warning: UN: no report (its scan jobs failed)" in step.stderr.splitlines()
    assert _entity_names(tmp_path) == {"un-women.json": "UN Women"}
    assert "- UN: no report" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_shards_scanned_with_a_ruleset_file_are_merged_with_it(tmp_path: Path) -> None:
    _entity(tmp_path, "un", "UN")
    _entity(tmp_path, "un-women", "UN Women")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "agency.toml").write_text(
        'id = "agency"\nversion = "3"\nextends = "un-ospo"\n', encoding="utf-8"
    )
    _scan_jobs(tmp_path, "rules/agency.toml")
    step = _survey(tmp_path, "rules/agency.toml")
    assert step.returncode == 0, step.stderr
    merged = json.loads((tmp_path / "survey" / "reports" / "un.json").read_text("utf-8"))
    assert (merged["ruleset"]["id"], merged["ruleset"]["version"]) == ("agency", "3")
    assert [repo["name"] for repo in merged["repositories"]] == ["alpha", "beta", "gamma"]
