"""The GitHub Action: its `run` steps from action.yml, executed as a runner would execute them.

A small runner reads action.yml, resolves the `${{ }}` expressions of each step's `env` from the
inputs (with the action's defaults), the step outputs so far and the runner context, runs the
step's script with bash (as GitHub does: `bash --noprofile --norc -eo pipefail`) with fake
`GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files, and collects the outputs. The install step is
replaced by this interpreter (ospo-scan is installed here already); the `uses:` steps (SARIF
upload, artifact) are not run, but their `with:` values are resolved and checked.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ospo_scan.action.steps import ScanStep, run_check

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
FIXTURE = "fixtures/noncompliant"
SARIF_SCHEMA = json.loads(
    (ROOT / "tests" / "formats" / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8")
)
_EXPRESSION = re.compile(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


@dataclass
class Runner:
    """Runs the action's steps in a temporary runner environment."""

    workspace: Path
    temp: Path
    inputs: dict[str, str]
    steps: dict[str, dict[str, str]] = field(default_factory=dict)
    used: dict[str, dict[str, str]] = field(default_factory=dict)
    summaries: list[Path] = field(default_factory=list)

    def job_summary(self) -> str:
        """The job summary GitHub shows: every step's summary file, in order."""
        return "".join(path.read_text(encoding="utf-8") for path in self.summaries)

    def context(self, name: str) -> str:
        parts = name.split(".")
        if parts[0] == "inputs":
            declared = ACTION["inputs"][parts[1]]
            default = str(declared.get("default", ""))
            return self.inputs.get(parts[1], "" if "${{" in default else default)
        if parts[0] == "steps" and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        github = {
            "action_path": str(ROOT),
            "api_url": "https://api.github.com",
            "token": "",
            "repository_owner": "un-example",
        }
        if parts[0] == "github" and parts[1] in github:
            return github[parts[1]]
        raise AssertionError(f"the test runner cannot evaluate ${{{{ {name} }}}}")

    def resolve(self, text: str) -> str:
        return _EXPRESSION.sub(lambda match: self.context(match.group(1)), text)

    def run(self, step: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        output_file = self.temp / f"output-{step['id']}"
        output_file.write_text("", encoding="utf-8")
        summary = self.temp / f"summary-{step['id']}.md"  # each step has its own
        summary.write_text("", encoding="utf-8")
        self.summaries.append(summary)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.temp),
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_REPOSITORY_OWNER": "un-example",
            "GITHUB_WORKSPACE": str(self.workspace),
        }
        env.update({key: self.resolve(str(value)) for key, value in step.get("env", {}).items()})
        assert step["shell"] == "bash"
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        self.steps[step["id"]] = _parse_outputs(output_file.read_text(encoding="utf-8"))
        return result

    def condition(self, text: str) -> bool:
        """An `if:` made of `always()` and `X == 'v'` / `X != 'v'` terms joined by `&&`."""
        verdict = True
        for term in (part.strip() for part in text.split("&&")):
            if term == "always()":
                continue
            match = re.fullmatch(r"([A-Za-z0-9_.-]+) (==|!=) '([^']*)'", term)
            assert match, f"the test runner cannot evaluate `if: {text}`"
            equal = self.context(match.group(1)) == match.group(3)
            verdict = verdict and (equal if match.group(2) == "==" else not equal)
        return verdict

    def run_action(self) -> dict[str, subprocess.CompletedProcess[str]]:
        """Every step in order; returns the finished `run` steps by id.

        The `uses:` steps are not run: `self.used` records the ones whose `if:` holds, with their
        resolved `with:` values.
        """
        finished = {}
        for step in ACTION["runs"]["steps"]:
            if step.get("id") == "install":
                self.steps["install"] = {"python": sys.executable}
            elif "run" in step:
                assert "if" not in step, "every run step of the action runs"
                finished[step["id"]] = self.run(step)
            elif self.condition(step.get("if", "always()")):
                with_values = {k: self.resolve(str(v)) for k, v in step.get("with", {}).items()}
                self.used[step["uses"].split("@")[0]] = with_values
        return finished

    def outputs(self) -> dict[str, str]:
        return {name: self.resolve(spec["value"]) for name, spec in ACTION["outputs"].items()}


def _parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and "=" not in line.split("<<", 1)[0]:
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            outputs[name] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    return Runner(workspace=ROOT, temp=temp, inputs={"targets": FIXTURE})


def test_action_reports_the_non_compliant_fixture(runner: Runner) -> None:
    runner.inputs["fail-under"] = "50"
    runner.inputs["fail-on-incomplete"] = "false"
    steps = runner.run_action()
    assert steps["scan"].returncode == 0, steps["scan"].stderr
    outputs = runner.outputs()
    report = json.loads(Path(outputs["report-file"]).read_text(encoding="utf-8"))
    assert report["entity"]["name"] == "Non-compliant demo"
    assert [repo["name"] for repo in report["repositories"]] == ["bare", "half"]
    assert float(outputs["score"]) == round(report["entity"]["score"], 1)
    assert float(outputs["score"]) < 50
    assert outputs["level"] == report["entity"]["level"] == "initial"
    # the job summary is the Markdown report
    summary = runner.job_summary()
    assert summary.startswith("## OSPO compliance: Non-compliant demo")
    assert f"**Score {outputs['score']} / 100**" in summary
    assert summary == Path(outputs["summary-file"]).read_text(encoding="utf-8")
    # SARIF for the upload step: valid, with alerts in both repositories
    sarif = json.loads(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(sarif)) == []
    alerted = {r["properties"]["repository"] for r in sarif["runs"][0]["results"]}
    assert alerted == {"bare", "half"}
    assert "Non-compliant demo" in Path(outputs["html-file"]).read_text(encoding="utf-8")
    # the SARIF upload and the artifact steps would run, with these files
    upload = runner.used["github/codeql-action/upload-sarif"]
    assert upload == {"sarif_file": outputs["sarif-file"], "category": "ospo-scan"}
    artifact = runner.used["actions/upload-artifact"]["path"].split()
    assert artifact == [
        outputs["html-file"],
        outputs["report-file"],
        outputs["sarif-file"],
        outputs["csv-file"],
        outputs["badge-file"],
    ]
    with Path(outputs["csv-file"]).open(encoding="utf-8", newline="") as handle:
        rows = [(row["repository"], row["status"]) for row in csv.DictReader(handle)]
    assert rows == [("bare", "ok"), ("half", "ok"), ("Non-compliant demo", "entity")]
    badge = json.loads(Path(outputs["badge-file"]).read_text(encoding="utf-8"))
    assert badge["message"] == f"{report['entity']['score']:.0f}% initial"
    # below fail-under: the check step fails the job, saying why
    assert steps["check"].returncode == 1
    assert f"entity score {outputs['score']} is below fail-under 50" in steps["check"].stdout


def test_the_fixture_scan_is_complete_and_passes_without_a_threshold(runner: Runner) -> None:
    steps = runner.run_action()
    assert runner.outputs()["exit-code"] == "0", runner.job_summary()
    assert steps["check"].returncode == 0
    assert f"Entity score: {runner.outputs()['score']}" in steps["check"].stdout


def test_a_bad_target_fails_the_check_but_not_the_scan_step(runner: Runner) -> None:
    runner.inputs["targets"] = "nosuchhost:whatever"
    steps = runner.run_action()
    assert steps["scan"].returncode == 0
    outputs = runner.outputs()
    assert outputs["exit-code"] == "2"
    assert (outputs["score"], outputs["sarif-file"]) == ("", "")
    assert "The scan did not run (exit code 2)" in runner.job_summary()
    assert runner.used == {}  # nothing to upload
    assert steps["check"].returncode == 2
    assert "::error title=ospo-scan::the scan did not run" in steps["check"].stdout


def test_inputs_with_shell_metacharacters_are_not_executed(runner: Runner) -> None:
    marker = runner.temp / "pwned"
    runner.inputs["ruleset"] = f"un-ospo; touch {marker}; $(touch {marker})"
    steps = runner.run_action()
    assert not marker.exists()
    assert runner.outputs()["exit-code"] == "2"
    assert "ruleset" in steps["scan"].stderr


def test_uploads_can_be_turned_off(runner: Runner) -> None:
    runner.inputs["upload-sarif"] = "false"
    runner.inputs["upload-report"] = "false"
    runner.run_action()
    assert runner.outputs()["sarif-file"]
    assert runner.used == {}


def test_extra_arguments_reach_the_scan(runner: Runner) -> None:
    runner.inputs["args"] = "--exclude 'ha*'"
    runner.run_action()
    report = json.loads(Path(runner.outputs()["report-file"]).read_text(encoding="utf-8"))
    assert [repo["name"] for repo in report["repositories"]] == ["bare"]


def test_default_target_is_the_repository_owner() -> None:
    step = ScanStep.from_environment(
        {"GITHUB_REPOSITORY_OWNER": "un-example", "RUNNER_TEMP": "/runner/temp"}
    )
    assert step.targets == ("github:un-example",)
    assert step.output_dir == Path("/runner/temp/ospo-scan")
    assert step.extra_arguments == ()


def test_options_become_cli_arguments() -> None:
    step = ScanStep.from_environment(
        {
            "OSPO_SCAN_TARGETS": "github:a gitlab:b/c",
            "OSPO_SCAN_INCLUDE_ARCHIVED": "true",
            "OSPO_SCAN_INCLUDE_FORKS": "false",
            "OSPO_SCAN_VISIBILITY": "all",
            "OSPO_SCAN_GITHUB_API_URL": "https://ghe.example.org/api/v3",
            "OSPO_SCAN_ARGS": "--exclude 'sandbox *' --include-forks",
            "RUNNER_TEMP": "/t",
        }
    )
    assert step.targets == ("github:a", "gitlab:b/c")
    assert step.extra_arguments == (
        "--include-archived",
        "--visibility",
        "all",
        "--github-url",
        "https://ghe.example.org/api/v3",
        "--exclude",
        "sandbox *",
        "--include-forks",
    )
    command = step.command("python")
    assert command[:6] == ["python", "-m", "ospo_scan", "scan", "github:a", "gitlab:b/c"]
    assert command.count("--output") == 6
    assert "--ruleset" not in command  # the entity profile's ruleset, else un-ospo


def _step_env(exit_code: str | None, score: str | None = None, **inputs: str) -> dict[str, str]:
    env = {f"OSPO_SCAN_{name.upper()}": value for name, value in inputs.items()}
    if exit_code is not None:
        env["OSPO_SCAN_EXIT_CODE"] = exit_code
    if score is not None:
        env["OSPO_SCAN_SCORE"] = score
    return env


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (_step_env("0", "72.5"), 0),
        (_step_env("0", "72.5", fail_under="72.5"), 0),
        (_step_env("0", "72.4", fail_under="72.5"), 1),
        (_step_env("0", "", fail_under="10"), 1),
        (_step_env("3", "90"), 3),
        (_step_env("3", "90", fail_on_incomplete="false"), 0),
        (_step_env("2"), 2),
        (_step_env(None), 2),
        (_step_env("0", "50", fail_under="high"), 2),
        (_step_env("0", "50", fail_under="nan"), 2),
        (_step_env("0", "50", fail_under="-inf"), 2),
        (_step_env("0", "50", fail_under="101"), 2),
        (_step_env("0", "nan", fail_under="50"), 1),
    ],
)
def test_check_decides_the_job(env: dict[str, str], expected: int) -> None:
    assert run_check(env) == expected


def test_sarif_upload_uses_the_ospo_scan_category_and_always_runs() -> None:
    upload = next(
        step
        for step in ACTION["runs"]["steps"]
        if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")
    )
    assert upload["with"]["category"] == "ospo-scan"
    assert upload["if"].startswith("always()")
    assert ACTION["runs"]["using"] == "composite"


def test_an_entity_file_input_reaches_the_scan(runner: Runner, tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text('name = "Agency from the profile"\n', encoding="utf-8")
    runner.inputs["entity-file"] = str(profile)
    runner.run_action()
    report = json.loads(Path(runner.outputs()["report-file"]).read_text(encoding="utf-8"))
    assert report["entity"]["name"] == "Agency from the profile"


def test_the_first_audit_never_fails_on_the_score_by_default() -> None:
    assert ACTION["inputs"]["fail-under"]["default"] == ""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    workflow = (ROOT / ".github" / "workflows" / "ospo-audit.yml").read_text(encoding="utf-8")
    assert "inputs.fail-under || '" not in readme + workflow  # no fixed score in the example
    assert "### Choosing fail-under" in readme
