"""The workflow and action files pass actionlint, and say what the issue promises."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from ospo_scan.action import history, system_publish

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = shutil.which("actionlint")
needs_actionlint = pytest.mark.skipif(
    ACTIONLINT is None, reason="actionlint is not installed (the `test` extra installs it)"
)


def _load(path: Path) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def _actionlint(cwd: Path) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT is not None
    return subprocess.run(
        [ACTIONLINT, "-no-color"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@needs_actionlint
def test_actionlint_reports_nothing() -> None:
    result = _actionlint(ROOT)
    assert (result.returncode, result.stdout) == (0, "")


@needs_actionlint
def test_actionlint_checks_the_local_action_inputs(tmp_path: Path) -> None:
    """A misspelt input of `uses: ./` is caught, so actionlint really reads action.yml."""
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    selftest = (WORKFLOWS / "selftest.yml").read_text(encoding="utf-8")
    broken = selftest.replace("fail-under:", "fail-below:", 1)
    (tmp_path / ".github" / "workflows" / "selftest.yml").write_text(broken, encoding="utf-8")
    # actionlint finds the project by its git repository
    subprocess.run(
        ["git", "init", "-q", str(tmp_path)], check=True, env={"PATH": os.environ.get("PATH", "")}
    )
    result = _actionlint(tmp_path)
    assert result.returncode == 1
    assert 'input "fail-below" is not defined in action "ospo-scan"' in result.stdout


def test_ci_tests_every_supported_python() -> None:
    ci = _load(WORKFLOWS / "ci.yml")
    matrix = ci["jobs"]["test"]["strategy"]["matrix"]["python-version"]
    assert matrix == ["3.10", "3.11", "3.12", "3.13"]
    runs = " ".join(step.get("run", "") for step in ci["jobs"]["test"]["steps"])
    assert "pytest" in runs
    assert "mypy" in runs


def test_selftest_runs_the_local_action_on_the_non_compliant_fixture() -> None:
    selftest = _load(WORKFLOWS / "selftest.yml")
    for job in selftest["jobs"].values():
        action_steps = [step for step in job["steps"] if step.get("uses") == "./"]
        assert len(action_steps) == 1
        assert action_steps[0]["with"]["targets"] == "fixtures/noncompliant"
    assert (ROOT / "fixtures" / "noncompliant" / "ospo-entity.toml").is_file()


def test_audit_example_is_scheduled_with_least_privilege() -> None:
    audit = _load(WORKFLOWS / "ospo-audit.yml")
    triggers = audit[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    # contents: write only to push the audit history branch the action keeps
    assert audit["permissions"] == {"contents": "write", "security-events": "write"}
    assert list(audit["jobs"]) == ["audit"]
    steps = audit["jobs"]["audit"]["steps"]
    assert [s["uses"] for s in steps if s.get("uses", "").startswith("ospo-scan/")]


def test_workflows_never_interpolate_expressions_into_scripts() -> None:
    for path in [*WORKFLOWS.glob("*.yml"), ROOT / "action.yml"]:
        document = _load(path)
        jobs = document.get("jobs", {"action": {"steps": document.get("runs", {}).get("steps")}})
        for job in jobs.values():
            for step in job.get("steps", []):
                assert "${{" not in step.get("run", ""), (path.name, step.get("name"))


SHELLCHECK = shutil.which("shellcheck")


@pytest.mark.skipif(SHELLCHECK is None, reason="shellcheck is not installed (Debian `shellcheck`)")
def test_action_scripts_pass_shellcheck() -> None:
    """actionlint checks the workflows' scripts; the composite action's are checked here."""
    assert SHELLCHECK is not None
    action = _load(ROOT / "action.yml")
    scripts = [step["run"] for step in action["runs"]["steps"] if "run" in step]
    assert len(scripts) == 3
    for script in scripts:
        result = subprocess.run(
            [SHELLCHECK, "--shell=bash", "--severity=style", "-"],
            input=script,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (result.returncode, result.stdout) == (0, ""), script


def test_the_system_audit_publish_step_gets_every_input_it_reads() -> None:
    """The environment variables the publish step reads are the ones the workflow sets."""
    workflow = _load(WORKFLOWS / "system-audit.yml")
    (step,) = [s for s in workflow["jobs"]["survey"]["steps"] if s.get("id") == "publish"]
    assert step["run"] == "python -m ospo_scan.action.system_publish survey site"
    read = set()
    for module in (history, system_publish):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        read |= set(re.findall(r'env\.get\("(OSPO_SCAN_\w+)"', source))
    # the history repository defaults to the calling one (GITHUB_REPOSITORY)
    assert read - {"OSPO_SCAN_HISTORY_REPOSITORY", "OSPO_SCAN_HISTORY_TOKEN"} == {
        name for name in step["env"] if name.startswith("OSPO_SCAN_")
    }
    assert step["env"]["GITHUB_TOKEN"] == "${{ github.token }}"
    inputs = workflow[True]["workflow_call"]["inputs"]  # YAML 1.1 reads `on` as true
    assert step["env"]["OSPO_SCAN_HISTORY_BRANCH"] == "${{ inputs.history-branch }}"
    assert inputs["history-branch"]["default"] == history.DEFAULT_BRANCH


def test_the_readme_schedules_the_system_audit_and_deploys_its_site() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("**The system audit workflow.**")
    block = readme.index("```yaml\n", start) + len("```yaml\n")
    example = yaml.safe_load(readme[block : readme.index("```\n", block)])
    assert list(example[True]) == ["schedule", "workflow_dispatch"]  # YAML 1.1: `on` is true
    assert example[True]["schedule"][0]["cron"]
    assert example["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    audit = example["jobs"]["audit"]
    assert audit["uses"].startswith("ospo-scan/ospo-scan/.github/workflows/system-audit.yml@")
    assert audit["with"]["deploy-pages"] is True
    inputs = _load(WORKFLOWS / "system-audit.yml")[True]["workflow_call"]["inputs"]
    assert set(audit["with"]) <= set(inputs)
    section = " ".join(readme[start : readme.index("\n## ", start)].split())
    assert "`system-audit/<entity>/`" in section
    assert "unless the workflow passes `--include-private`" in section
