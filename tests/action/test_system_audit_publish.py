"""The system audit's last job remembers each entity's reports on the history branch, runs the
survey for the survey year and builds the site of every kept audit.

The steps run as the workflow runs them: real `ospo-scan scan --shard` processes stand for the
scan jobs, then the survey step, then the publish step, twice, with a bare git repository in
`tmp_path` standing for the repository whose history branch keeps the reports. Each run has a
runner of its own (a fresh RUNNER_TEMP), as on GitHub; the site directory is kept between the two
runs to show which pages a new audit rewrites.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from ospo_scan.action.system_audit import parse_entities, scan_matrix
from ospo_scan.site.links import entity_page
from tests.site.pages import pages_of

ENTITIES: list[dict[str, Any]] = [
    {"name": "UN", "targets": "un", "shards": 2},
    {"name": "UN Women", "targets": "un-women"},
]
BRANCH = "ospo-scan-history"
MIT = "MIT License\n\nCopyright (c) 2026 UN\n\nPermission is hereby granted, free of charge\n"


def _git(*arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments],
        check=True,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout


def _entity(root: Path, directory: str, name: str) -> None:
    (root / directory).mkdir()
    (root / directory / "ospo-entity.toml").write_text(f'name = "{name}"\n', encoding="utf-8")
    for repository in ("alpha", "beta", "gamma"):
        (root / directory / repository).mkdir()
        (root / directory / repository / "README.md").write_text(
            f"# {repository}\n", encoding="utf-8"
        )


def _run(tmp_path: Path, remote: Path, run: int) -> subprocess.CompletedProcess[str]:
    """One run of the workflow: the scan jobs, the survey step, the publish step."""
    for leftover in ("shards", "survey"):
        shutil.rmtree(tmp_path / leftover, ignore_errors=True)
    for row in scan_matrix(parse_entities(json.dumps(ENTITIES))):
        artefact = tmp_path / "shards" / row["artefact"]
        artefact.mkdir(parents=True)
        command = [sys.executable, "-m", "ospo_scan", "scan", *json.loads(row["targets"])]
        command += ["--format", "json", "--no-history", "--output", str(artefact / "report.json")]
        if row["shard"]:
            command += ["--shard", row["shard"]]
        subprocess.run(command, cwd=tmp_path, check=True, capture_output=True)
    runner = tmp_path / f"runner-{run}"
    runner.mkdir()
    env = {
        **os.environ,
        "OSPO_SCAN_ENTITIES": json.dumps(ENTITIES),
        "OSPO_SCAN_RULESET": "un-ospo",
        "OSPO_SCAN_SURVEY_YEAR": "2025",
        "OSPO_SCAN_HISTORY_REPOSITORY": str(remote),
        "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        "GITHUB_OUTPUT": str(runner / "output"),
        "GITHUB_RUN_ID": str(run),
        "RUNNER_TEMP": str(runner),
    }
    survey = subprocess.run(
        [sys.executable, "-m", "ospo_scan.action.system_audit", "survey", "shards", "survey"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert survey.returncode == 0, survey.stderr
    return subprocess.run(
        [sys.executable, "-m", "ospo_scan.action.system_publish", "survey", "site"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _kept(remote: Path) -> dict[str, list[dict[str, Any]]]:
    """The reports on the history branch, by entity directory."""
    names = _git("-C", str(remote), "ls-tree", "-r", "--name-only", BRANCH).split()
    kept: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        blob = subprocess.run(
            ["git", "-C", str(remote), "show", f"{BRANCH}:{name}"],
            check=True,
            capture_output=True,
        ).stdout
        kept.setdefault(name.rsplit("/", 1)[0], []).append(json.loads(gzip.decompress(blob)))
    return kept


def _site_files(site: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(site).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in site.rglob("*")
        if path.is_file()
    }


def test_the_second_run_restores_the_first_and_the_site_shows_both(tmp_path: Path) -> None:
    _entity(tmp_path, "un", "UN")
    _entity(tmp_path, "un-women", "UN Women")
    remote = tmp_path / "audits.git"
    _git("init", "--quiet", "--bare", str(remote))
    site = tmp_path / "site"

    first = _run(tmp_path, remote, 1)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "UN: 0 earlier audits restored from branch ospo-scan-history" in first.stdout
    assert "UN Women: audit " in first.stdout
    assert "::warning" not in first.stdout
    kept = _kept(remote)
    assert sorted(kept) == ["system-audit/un", "system-audit/un-women"]
    assert [len(reports) for reports in kept.values()] == [1, 1]
    # the kept report is the merged one, counting for the survey year
    (merged,) = kept["system-audit/un"]
    assert [repo["name"] for repo in merged["repositories"]] == ["alpha", "beta", "gamma"]
    assert merged["entity"]["survey_year"] == 2025
    assert (tmp_path / "runner-1" / "output").read_text(encoding="utf-8") == "site=true\n"
    pages = pages_of(site)
    for name in ("UN", "UN Women"):
        assert "This is the first audit." in pages[entity_page(name)].all_text, name
    survey = json.loads((tmp_path / "survey" / "survey.json").read_text(encoding="utf-8"))
    # audited now, both entities count for the survey year given
    assert [(year["year"], year["evidence"]["entities"]) for year in survey["years"]] == [(2025, 2)]

    (tmp_path / "un" / "alpha" / "LICENSE").write_text(MIT, encoding="utf-8")
    before = _site_files(site)
    second = _run(tmp_path, remote, 2)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "UN: 1 earlier audits restored from branch ospo-scan-history" in second.stdout
    assert "UN Women: 1 earlier audits restored from branch ospo-scan-history" in second.stdout
    assert [len(reports) for reports in _kept(remote).values()] == [2, 2]
    pages = pages_of(site)
    for name in ("UN", "UN Women"):
        text = pages[entity_page(name)].all_text
        assert "Since the previous audit" in text, name
        assert "This is the first audit." not in text, name

    after = _site_files(site)
    assert set(after) == set(before)
    rewritten = {path for path in after if after[path][1] != before[path][1]}
    changed = {path for path in after if after[path][0] != before[path][0]}
    assert rewritten == changed
    assert {"index.html", entity_page("UN"), entity_page("UN Women")} <= rewritten
    pages_rewritten = {path for path in rewritten if path.endswith(".html")}
    assert f", {len(pages_rewritten)} written, 0 removed;" in second.stderr
    assert len(rewritten) < len(after)


def test_an_unreachable_history_is_a_warning_and_the_site_has_this_run(tmp_path: Path) -> None:
    _entity(tmp_path, "un", "UN")
    _entity(tmp_path, "un-women", "UN Women")
    step = _run(tmp_path, tmp_path / "no-such-repository.git", 1)
    assert step.returncode == 0, step.stdout + step.stderr
    warnings = [line for line in step.stdout.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 2
    assert all("could not be fetched" in line for line in warnings)
    pages = pages_of(tmp_path / "site")
    assert {entity_page("UN"), entity_page("UN Women")} <= set(pages)


def test_a_survey_year_that_is_not_a_year_is_one_clear_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "OSPO_SCAN_ENTITIES": json.dumps(ENTITIES),
        "OSPO_SCAN_SURVEY_YEAR": "last year",
    }
    step = subprocess.run(
        [sys.executable, "-m", "ospo_scan.action.system_audit", "survey", "shards", "survey"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert step.returncode == 2
    assert step.stderr.splitlines() == [
        "ospo-scan: error: survey-year: expected a year such as 2025, not 'last year'"
    ]
    assert not (tmp_path / "survey").exists()
