"""`scan --shard I/N` on GitHub: the parts together are the whole, and each is read once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.scan.scanner import Scanner
from ospo_scan.scan.sharding import Shard
from tests.connectors.github.conftest import FakeFactory
from tests.connectors.github.fake_repos import FakeRepo
from tests.connectors.github.test_github_equivalence import REPOSITORIES
from tests.scanning import comparable_results


def test_github_shards_read_each_repository_once(fake_github: FakeFactory) -> None:
    repos = {name: FakeRepo(name, files) for name, files in REPOSITORIES.items()}
    ruleset = load_ruleset("un-ospo", load_plugins=False)
    whole_fake = fake_github({"un-org": ("Organization", repos)})
    whole = Scanner(ruleset, ScanOptions(github_url=whole_fake.api_url)).scan(["github:un-org"])
    count = 3
    part_fake = fake_github({"un-org": ("Organization", repos)})
    joined: dict[str, list[tuple[object, ...]]] = {}
    for index in range(1, count + 1):
        options = ScanOptions(github_url=part_fake.api_url, shard=Shard(index, count))
        joined.update(
            comparable_results(Scanner(ruleset, options).scan(["github:un-org"]), "un-org/")
        )
    assert joined == comparable_results(whole, "un-org/")
    # Each part lists the organisation once and fetches only its own repositories' texts.
    assert len(part_fake.requests) <= 1.5 * len(whole_fake.requests) + count


def test_the_system_audit_steps_merge_shard_processes_into_the_unsharded_report(
    fake_github: FakeFactory, tmp_path: Path
) -> None:
    """The workflow's steps, run here: plan, one process per shard against the fake GitHub
    (each uploading its report as an artefact), then merge and survey."""
    repos = {name: FakeRepo(name, files) for name, files in REPOSITORIES.items()}
    fake = fake_github({"un-org": ("Organization", repos)})
    entities = json.dumps(
        [{"name": "UN example", "targets": "github:un-org", "shards": 3, "token-secret": "T"}]
    )
    env = {**os.environ, "OSPO_SCAN_ENTITIES": entities, "OSPO_SCAN_HISTORY": str(tmp_path / "h")}
    plan = tmp_path / "github-output"
    subprocess.run(
        [sys.executable, "-m", "ospo_scan.action.system_audit", "plan"],
        env={**env, "GITHUB_OUTPUT": str(plan)},
        check=True,
    )
    matrix = json.loads(plan.read_text(encoding="utf-8").partition("=")[2])["include"]
    common = ["--github-url", fake.api_url, "--format", "json", "--no-history"]
    jobs = []
    for row in matrix:
        artefact = tmp_path / "shards" / row["artefact"]
        artefact.mkdir(parents=True)
        command = [sys.executable, "-m", "ospo_scan", "scan", *json.loads(row["targets"])]
        command += [*common, "--shard", row["shard"], "--output", str(artefact / "report.json")]
        jobs.append(subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True))
    for job in jobs:
        _, err = job.communicate(timeout=300)
        assert job.returncode == 0, err
    summary = tmp_path / "summary.md"
    step = subprocess.run(
        [sys.executable, "-m", "ospo_scan.action.system_audit", "survey", "shards", "survey"],
        cwd=tmp_path,
        env={**env, "GITHUB_STEP_SUMMARY": str(summary)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert step.returncode == 0, step.stderr
    whole = tmp_path / "whole.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ospo_scan",
            "scan",
            "github:un-org",
            *common,
            "--output",
            str(whole),
        ],
        env=env,
        check=True,
    )
    merged = json.loads((tmp_path / "survey" / "reports" / "un-example.json").read_text("utf-8"))
    expected = json.loads(whole.read_text(encoding="utf-8"))
    for document in (merged, expected):
        del document["scan"]["started"], document["scan"]["finished"]
    assert merged == expected
    assert summary.read_text(encoding="utf-8").startswith("# Open source readiness survey")
    survey = json.loads((tmp_path / "survey" / "survey.json").read_text(encoding="utf-8"))
    assert [entity["name"] for entity in survey["entities"]] == ["un-org"]
