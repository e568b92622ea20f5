"""The steps of the GitHub Action (`action.yml`), as a script the action runs and tests can run.

`python -m ospo_scan.action scan` runs one `ospo-scan scan` that writes every artefact (Markdown
summary, SARIF, JSON, HTML, CSV, badge), appends the summary to `GITHUB_STEP_SUMMARY`, writes
the step outputs to `GITHUB_OUTPUT`, and always exits 0, so the SARIF upload that follows is
never skipped. `python -m ospo_scan.action check` then decides whether the job fails: the scan did
not run, the scan was incomplete, the score is below `fail-under`, or (with
`fail-on-regression`) a rule got worse since the previous audit.

Unless `remember` is off, the scan step first rebuilds the history store from the reports kept
on the history branch (`action.history`), scans into it, appends "What changed since the last
audit" to the job summary, and saves its report to the branch.

Inputs come from environment variables (the action maps its inputs to them), never from text
interpolated into a shell script.
"""

from __future__ import annotations

import json
import math
import os
import shlex
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.action.history import GitFailed, HistoryPlace, audit_name, restore, save
from ospo_scan.errors import UsageError
from ospo_scan.untrusted.display import neutralise

EXIT_SCAN_DID_NOT_RUN = 2
EXIT_INCOMPLETE = 3
EXIT_BELOW_THRESHOLD = 1
PUBLIC_GITHUB_API = "https://api.github.com"

ARTEFACTS = {
    "summary-file": "ospo-scan.md",
    "sarif-file": "ospo-scan.sarif",
    "report-file": "ospo-scan.json",
    "html-file": "ospo-scan.html",
    "csv-file": "ospo-scan.csv",
    "badge-file": "ospo-scan.badge.json",
}
"""Step output name -> file name in the output directory."""


@dataclass(frozen=True)
class ScanStep:
    """What the scan step was asked to do, read from the environment."""

    targets: tuple[str, ...]
    ruleset: str | None
    """None: the entity profile's ruleset, else un-ospo (as `ospo-scan scan` chooses)."""
    output_dir: Path
    extra_arguments: tuple[str, ...]

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> ScanStep:
        targets = tuple(shlex.split(env.get("OSPO_SCAN_TARGETS", "")))
        if not targets:
            owner = env.get("GITHUB_REPOSITORY_OWNER", "").strip()
            if not owner:
                raise UsageError(
                    "no target to scan",
                    hint="set the action's `targets` input, e.g. github:my-org",
                )
            targets = (f"github:{owner}",)
        arguments: list[str] = []
        for flag, variable in (
            ("--include-archived", "OSPO_SCAN_INCLUDE_ARCHIVED"),
            ("--include-forks", "OSPO_SCAN_INCLUDE_FORKS"),
        ):
            if _truthy(env.get(variable, "")):
                arguments.append(flag)
        visibility = env.get("OSPO_SCAN_VISIBILITY", "").strip()
        if visibility:
            arguments += ["--visibility", visibility]
        entity_file = env.get("OSPO_SCAN_ENTITY_FILE", "").strip()
        if entity_file:
            arguments += ["--entity-file", entity_file]
        api_url = env.get("OSPO_SCAN_GITHUB_API_URL", "").strip().rstrip("/")
        if api_url and api_url != PUBLIC_GITHUB_API:
            arguments += ["--github-url", api_url]
        arguments += shlex.split(env.get("OSPO_SCAN_ARGS", ""))
        temp = env.get("RUNNER_TEMP") or tempfile.gettempdir()
        output_dir = Path(env.get("OSPO_SCAN_OUTPUT_DIR") or Path(temp) / "ospo-scan")
        return cls(
            targets=targets,
            ruleset=env.get("OSPO_SCAN_RULESET", "").strip() or None,
            output_dir=output_dir,
            extra_arguments=tuple(arguments),
        )

    def command(self, python: str) -> list[str]:
        outputs = [arg for name in ARTEFACTS.values() for arg in ("--output", self.path(name))]
        return [
            python,
            "-m",
            "ospo_scan",
            "scan",
            *self.targets,
            *(("--ruleset", self.ruleset) if self.ruleset else ()),
            *outputs,
            *self.extra_arguments,
        ]

    def path(self, name: str) -> str:
        return str(self.output_dir / name)


def run_scan(env: Mapping[str, str]) -> int:
    """The scan step: never fails the job itself; `check` does."""
    try:
        step = ScanStep.from_environment(env)
    except UsageError as exc:
        print(f"::error title=ospo-scan::{exc.one_line()}", flush=True)
        _write_outputs(env, {"exit-code": str(EXIT_SCAN_DID_NOT_RUN), "score": "", "level": ""})
        return 0
    step.output_dir.mkdir(parents=True, exist_ok=True)
    place = None
    if _truthy(env.get("OSPO_SCAN_REMEMBER", "true")):
        place = HistoryPlace.from_environment(env, step.targets)
        restored = restore(place, env)
        note = neutralise(restored.note)
        print(note if restored.usable else f"::warning title=ospo-scan history::{note}", flush=True)
        for skipped in restored.skipped:
            print(
                f"::warning title=ospo-scan history::a kept report was skipped: "
                f"{neutralise(skipped)}",
                flush=True,
            )
        if not restored.usable:
            place = None
    command = step.command(sys.executable)
    if place is not None:
        command += ["--history", str(place.store)]
    else:
        command += ["--no-history"]
    if _truthy(env.get("OSPO_SCAN_FAIL_ON_REGRESSION", "")):
        command += ["--fail-on-regression"]
    print("Running: " + shlex.join(command[1:]), flush=True)
    exit_code = subprocess.run(command, check=False).returncode
    report_file = Path(step.path(ARTEFACTS["report-file"]))
    score, level = _score_and_level(report_file)
    outputs = {"exit-code": str(exit_code), "score": score, "level": level}
    for output, name in ARTEFACTS.items():
        path = Path(step.path(name))
        outputs[output] = str(path) if path.is_file() else ""
    _write_outputs(env, outputs)
    summary = Path(outputs["summary-file"]) if outputs["summary-file"] else None
    _append_summary(env, summary, exit_code)
    if place is not None and report_file.is_file() and exit_code != EXIT_SCAN_DID_NOT_RUN:
        _append_text(env, what_changed(place))
        _remember(place, env, report_file)
    return 0


def what_changed(place: HistoryPlace) -> str:
    """The job summary's "What changed since the last audit" section."""
    diff = ["diff", "--history", str(place.store), "--format", "markdown"]
    completed = subprocess.run(
        [sys.executable, "-m", "ospo_scan", *diff],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode == 0:
        return "\n" + completed.stdout
    return (
        "\n### What changed since the last audit\n\nThis is the first audit remembered; the "
        "next one will say what changed.\n"
    )


def _remember(place: HistoryPlace, env: Mapping[str, str], report_file: Path) -> None:
    name = audit_name(report_file, env.get("GITHUB_RUN_ID", ""))
    try:
        print(save(place, env, report_file, name), flush=True)
    except GitFailed as exc:
        print(
            f"::warning title=ospo-scan history::this audit could not be saved to branch "
            f"{place.branch}: {exc}",
            flush=True,
        )


def _append_text(env: Mapping[str, str], text: str) -> None:
    target = env.get("GITHUB_STEP_SUMMARY")
    if target:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(text)


def run_check(env: Mapping[str, str]) -> int:
    """The check step: the job's verdict from the scan step's outputs."""
    exit_code = int(env.get("OSPO_SCAN_EXIT_CODE", "").strip() or EXIT_SCAN_DID_NOT_RUN)
    score_text = env.get("OSPO_SCAN_SCORE", "").strip()
    fail_under_text = env.get("OSPO_SCAN_FAIL_UNDER", "").strip()
    if exit_code not in (0, EXIT_BELOW_THRESHOLD, EXIT_INCOMPLETE):
        print("::error title=ospo-scan::the scan did not run; see the scan step's log")
        return EXIT_SCAN_DID_NOT_RUN
    if exit_code == EXIT_BELOW_THRESHOLD:  # the scan's own threshold: fail-on-regression
        print(
            "::error title=ospo-scan::some rules got worse since the previous audit "
            "(listed in the job summary under What changed)"
        )
        return EXIT_BELOW_THRESHOLD
    if exit_code == EXIT_INCOMPLETE and _truthy(env.get("OSPO_SCAN_FAIL_ON_INCOMPLETE", "true")):
        print(
            "::error title=ospo-scan::the scan is incomplete: some repositories or rules could "
            "not be evaluated (listed in the job summary)"
        )
        return EXIT_INCOMPLETE
    if not fail_under_text:
        print(f"Entity score: {score_text or 'none'}")
        return 0
    fail_under = _finite(fail_under_text)
    if fail_under is None or not 0 <= fail_under <= 100:
        print(
            "::error title=ospo-scan::fail-under must be a number from 0 to 100, "
            f"not {fail_under_text!r}"
        )
        return EXIT_SCAN_DID_NOT_RUN
    score = _finite(score_text)
    if score is None or score < fail_under:
        print(
            f"::error title=ospo-scan::entity score {score_text or 'none'} is below "
            f"fail-under {fail_under:g}"
        )
        return EXIT_BELOW_THRESHOLD
    print(f"Entity score {score_text} is at least {fail_under:g}")
    return 0


def _finite(text: str) -> float | None:
    """The number `text` holds, or None when it holds none or one that is not finite."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _score_and_level(report: Path) -> tuple[str, str]:
    try:
        entity = json.loads(report.read_text(encoding="utf-8"))["entity"]
    except (OSError, ValueError, KeyError, TypeError):
        return "", ""
    score = entity.get("score")
    level = entity.get("level")
    return ("" if score is None else f"{float(score):.1f}"), (level or "")


def _write_outputs(env: Mapping[str, str], outputs: Mapping[str, str]) -> None:
    target = env.get("GITHUB_OUTPUT")
    lines = []
    for name, value in outputs.items():
        if "\n" in value:
            delimiter = f"ospo_scan_{uuid.uuid4().hex}"
            lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}")
        else:
            lines.append(f"{name}={value}")
    text = "\n".join(lines) + "\n"
    if target:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(text)
    else:
        print(text, end="")


def _append_summary(env: Mapping[str, str], summary: Path | None, exit_code: int) -> None:
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    if summary is not None:
        text = summary.read_text(encoding="utf-8")
    else:
        text = (
            "## OSPO compliance\n\nThe scan did not run (exit code "
            f"{exit_code}); its log says why.\n"
        )
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.write(text)


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    steps = {"scan": run_scan, "check": run_check}
    if len(arguments) != 1 or arguments[0] not in steps:
        print("usage: python -m ospo_scan.action scan|check", file=sys.stderr)
        return 2
    return steps[arguments[0]](os.environ)
