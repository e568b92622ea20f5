"""The Action remembers: its steps run twice (and at once) against a persisted history branch.

The history branch lives in a bare git repository in `tmp_path`, standing for the repository
the workflow runs in; each run gets a fresh runner directory, as on GitHub's hosted runners.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from ospo_scan.action.history import RESTORED_REPORTS, HistoryPlace, Restored, restore, save
from ospo_scan.history.store import open_store
from tests.action.test_steps import ROOT, Runner

BRANCH = "ospo-scan-history"


def _git(*arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments],
        check=True,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout


CACHE: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def runner_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One cache directory for every runner of this module: the licence index is built once."""
    CACHE[:] = [tmp_path_factory.mktemp("runner-cache")]


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    path = tmp_path / "agency-audit.git"
    _git("init", "--quiet", "--bare", str(path))
    return path


@pytest.fixture
def entity(tmp_path: Path) -> Path:
    path = tmp_path / "noncompliant"
    shutil.copytree(ROOT / "fixtures" / "noncompliant", path)
    return path


Steps = dict[str, subprocess.CompletedProcess[str]]


def _run(
    tmp_path: Path, remote: Path, entity: Path, name: str, **inputs: str
) -> tuple[Runner, Steps]:
    temp = tmp_path / name
    temp.mkdir()
    (temp / ".cache").symlink_to(CACHE[0], target_is_directory=True)
    runner = Runner(workspace=ROOT, temp=temp, inputs={"targets": str(entity)})
    runner.inputs["history-repository"] = str(remote)
    runner.inputs.update(inputs)
    steps = runner.run_action()
    assert steps["scan"].returncode == 0, steps["scan"].stderr
    return runner, steps


def _saved(remote: Path) -> list[str]:
    listing = _git("--git-dir", str(remote), "ls-tree", "-r", "--name-only", BRANCH)
    return listing.split()


def test_the_second_audit_says_what_changed_since_the_first(
    tmp_path: Path, remote: Path, entity: Path
) -> None:
    first, first_steps = _run(tmp_path, remote, entity, "week-1")
    assert "This is the first audit remembered" in first.job_summary()
    (saved,) = _saved(remote)
    assert saved.startswith("reports/")
    assert saved.endswith(".json.gz")
    assert "::warning" not in first_steps["scan"].stdout

    second, _ = _run(tmp_path, remote, entity, "week-2")
    summary = second.job_summary()
    report_part = Path(second.outputs()["summary-file"]).read_text(encoding="utf-8")
    assert summary.startswith(report_part)
    assert "### What changed since the last audit" in summary[len(report_part) :]
    assert "Nothing changed." in summary
    assert len(_saved(remote)) == 2
    html = Path(second.outputs()["html-file"]).read_text(encoding="utf-8")
    assert 'id="trends"' in html
    assert "Entity score over 2 scans" in html


def test_fail_on_regression_fails_the_check_and_names_the_rule(
    tmp_path: Path, remote: Path, entity: Path
) -> None:
    _run(tmp_path, remote, entity, "week-1")
    (entity / "half" / "LICENSE").unlink()
    second, steps = _run(tmp_path, remote, entity, "week-2", **{"fail-on-regression": "true"})
    summary = second.job_summary()
    assert "**Regressions (" in summary
    assert "- half: `license` partial → fail" in summary
    check = steps["check"]
    assert check.returncode == 1
    assert "some rules got worse since the previous audit" in check.stdout
    assert len(_saved(remote)) == 2  # a failing audit is remembered too


def test_an_unreachable_history_is_a_warning_not_a_failure(tmp_path: Path, entity: Path) -> None:
    runner, steps = _run(tmp_path, tmp_path / "no-such-repository.git", entity, "week-1")
    scan = steps["scan"]
    assert "::warning title=ospo-scan history::the history branch" in scan.stdout
    assert runner.outputs()["exit-code"] == "0"
    assert steps["check"].returncode == 0
    assert "What changed" not in runner.job_summary()


def test_two_audits_at_once_both_land_on_the_branch(
    tmp_path: Path, remote: Path, entity: Path
) -> None:
    _run(tmp_path, remote, entity, "week-1")
    week_1 = tmp_path / "week-1" / "ospo-scan" / "ospo-scan.json"
    text = week_1.read_text(encoding="utf-8")
    started = json.loads(text)["scan"]["started"]
    week_2 = tmp_path / "week-2.json"
    week_2.write_text(text.replace(started, "2099-03-09T06:00:00.000Z"), encoding="utf-8")
    places = []
    for name in ("run-a", "run-b"):
        env = {"RUNNER_TEMP": str(tmp_path / name), "PATH": "/usr/bin:/bin"}
        (tmp_path / name).mkdir()
        place = HistoryPlace.from_environment(
            {**env, "OSPO_SCAN_HISTORY_REPOSITORY": str(remote)}, (str(entity),)
        )
        assert restore(place, env).usable  # both start from the same branch
        places.append((place, env))
    (place_a, env_a), (place_b, env_b) = places
    assert save(place_b, env_b, week_2, "2026-03-09-b").endswith(BRANCH)
    assert save(place_a, env_a, week_1, "2026-03-09-a").endswith(BRANCH)  # rebased, then pushed
    names = [Path(p).name for p in _saved(remote)]
    assert sorted(names)[:2] == ["2026-03-09-a.json.gz", "2026-03-09-b.json.gz"]
    assert len(names) == 3
    # the next audit restores all three reports; week 1's, saved twice, is one scan
    env = {"RUNNER_TEMP": str(tmp_path / "week-3"), "PATH": "/usr/bin:/bin"}
    (tmp_path / "week-3").mkdir()
    place = HistoryPlace.from_environment(
        {**env, "OSPO_SCAN_HISTORY_REPOSITORY": str(remote)}, (str(entity),)
    )
    assert restore(place, env) == Restored(True, f"3 earlier audits restored from branch {BRANCH}")
    with open_store(place.store, create=False) as store:  # type: ignore[union-attr]
        assert len(store.scans()) == 2


def _push_to_branch(
    tmp_path: Path, remote: Path, directory: str, files: Mapping[str, bytes | str]
) -> None:
    """Commit files (bytes, or a `str` target for a symbolic link) into the branch's directory,
    as anyone who can push to it could."""
    clone = tmp_path / "pusher"
    _git("clone", "--quiet", "--branch", BRANCH, str(remote), str(clone))
    for name, content in files.items():
        path = clone / directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.symlink_to(content)
        else:
            path.write_bytes(content)
    author = ["-c", "user.name=someone", "-c", "user.email=someone@example.org"]
    _git("-C", str(clone), "add", "--all")
    _git("-C", str(clone), *author, "commit", "--quiet", "-m", "planted")
    _git("-C", str(clone), "push", "--quiet", "origin", BRANCH)


def test_crafted_files_on_the_branch_are_skipped_and_the_audit_goes_on(
    tmp_path: Path, remote: Path, entity: Path
) -> None:
    _run(tmp_path, remote, entity, "week-1")
    (saved,) = _saved(remote)
    directory = str(Path(saved).parent)
    nested = b"[" * 200_000 + b"]" * 200_000
    _push_to_branch(
        tmp_path,
        remote,
        directory,
        {
            "2000-01-01-nested.json.gz": gzip.compress(nested),
            "2000-01-02-zero.json.gz": "/dev/zero",
            "2000-01-03-bomb.json.gz": gzip.compress(bytes(100 * 2**20)),
            "2000-01-04-not-gzip.json.gz": b"{}",
            "2000-01-05-not-a-report.json.gz": gzip.compress(b'{"schema": "other"}'),
            "2000-01-06-directory.json.gz/x": b"",
        },
    )
    runner, steps = _run(tmp_path, remote, entity, "week-2")
    scan = steps["scan"].stdout
    assert "1 earlier audits restored from branch" in scan
    warnings = [line for line in scan.splitlines() if "a kept report was skipped" in line]
    assert [line.split("skipped: ")[1].split(":")[0] for line in warnings] == [
        "2000-01-01-nested.json.gz",
        "2000-01-02-zero.json.gz",
        "2000-01-03-bomb.json.gz",
        "2000-01-04-not-gzip.json.gz",
        "2000-01-05-not-a-report.json.gz",
        "2000-01-06-directory.json.gz",
    ]
    assert all(line.startswith("::warning title=ospo-scan history::") for line in warnings)
    assert "nested too deeply" in warnings[0]
    assert "once decompressed" in warnings[2]
    outputs = runner.outputs()
    assert outputs["exit-code"] == "0"
    assert Path(outputs["sarif-file"]).is_file()
    assert "Nothing changed." in runner.job_summary()  # compared with week 1's report
    assert steps["check"].returncode == 0
    assert len(_saved(remote)) == 8  # week 2 is remembered beside what was there


def test_only_the_newest_reports_are_restored(tmp_path: Path, remote: Path, entity: Path) -> None:
    _run(tmp_path, remote, entity, "week-1")
    (saved,) = _saved(remote)
    text = (tmp_path / "week-1" / "ospo-scan" / "ospo-scan.json").read_text(encoding="utf-8")
    started = json.loads(text)["scan"]["started"]
    older = {
        f"2001-{week:02d}.json.gz": gzip.compress(
            text.replace(started, f"2001-01-01T00:{week:02d}:00.000Z").encode("utf-8")
        )
        for week in range(1, RESTORED_REPORTS + 10)
    }
    _push_to_branch(tmp_path, remote, str(Path(saved).parent), older)
    env = {"RUNNER_TEMP": str(tmp_path / "week-2"), "PATH": "/usr/bin:/bin"}
    (tmp_path / "week-2").mkdir()
    place = HistoryPlace.from_environment(
        {**env, "OSPO_SCAN_HISTORY_REPOSITORY": str(remote)}, (str(entity),)
    )
    restored = restore(place, env)
    kept = RESTORED_REPORTS + 10
    assert restored == Restored(
        True,
        f"{RESTORED_REPORTS} earlier audits restored from branch {BRANCH} "
        f"(the newest {RESTORED_REPORTS} of {kept})",
    )
    with open_store(place.store, create=False) as store:  # type: ignore[union-attr]
        starts = [scan.started for scan in store.scans()]
    assert len(starts) == RESTORED_REPORTS
    assert starts[0] == "2001-01-01T00:11:00.000Z"  # weeks 1 to 10 are left on the branch
