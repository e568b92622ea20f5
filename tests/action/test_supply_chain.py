"""The action's supply chain: actions pinned by commit SHA, dependencies by exact version."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from importlib.metadata import requires
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from ospo_scan._compat import tomllib

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "action.yml", *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]
CONSTRAINTS = ROOT / "action-constraints.txt"
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(?P<ref>\S+)(?P<comment>\s+#.*)?$")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
TAG_COMMENT = re.compile(r"^\s+# v\d+(?:\.\d+){1,2}$")


def _uses() -> list[tuple[str, str, str]]:
    found = []
    for path in FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = USES.match(line)
            if match:
                found.append((path.name, match["ref"], match["comment"] or ""))
    return found


def test_third_party_actions_are_pinned_by_commit_sha_with_the_tag_beside() -> None:
    third_party = [(f, ref, c) for f, ref, c in _uses() if not ref.startswith(("./", "ospo-scan/"))]
    assert len(third_party) >= 5
    for file, ref, comment in third_party:
        assert PINNED.match(ref), (file, ref)
        assert TAG_COMMENT.match(comment), (file, ref, comment)


def test_the_audit_example_pins_ospo_scan_to_a_release_not_a_branch() -> None:
    (ref,) = [ref for _, ref, _ in _uses() if ref.startswith("ospo-scan/ospo-scan@")]
    version = ref.split("@", 1)[1]
    assert re.fullmatch(r"v\d+\.\d+\.\d+|[0-9a-f]{40}", version), ref
    text = (ROOT / ".github" / "workflows" / "ospo-audit.yml").read_text(encoding="utf-8")
    assert "full commit SHA" in text


SYSTEM_AUDIT = ROOT / ".github" / "workflows" / "system-audit.yml"
BUILD_BACKEND = ("hatchling", "packaging", "pathspec", "pluggy", "tomlkit", "trove-classifiers")
"""pyproject.toml's build backend and what it requires."""
_RECORDING_PYTHON = """#!/bin/sh
# stands for the interpreter: records each call, one argument a line, and makes venvs of itself
{ printf '%s\\n' "$@"; printf -- '--\\n'; } >> "$CALLS"
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; fi
"""


def _load(path: Path) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def _pip_installs(script: str, tmp_path: Path, env: dict[str, str]) -> list[list[str]]:
    """Run an install script with bash, `python` standing for the interpreter; its pip calls."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.write_text(_RECORDING_PYTHON, encoding="utf-8")
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    calls = tmp_path / "calls"
    environment = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "CALLS": str(calls),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "github-output"),
        **env,
    }
    subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=tmp_path,
        env=environment,
        check=True,
        timeout=60,
    )
    recorded = [c.strip("\n").split("\n") for c in calls.read_text("utf-8").split("--\n") if c]
    return [call[3:] for call in recorded if call[:3] == ["-m", "pip", "install"]]


def _assert_constrained_with_the_backend(
    installs: list[list[str]], project: str, cwd: Path
) -> None:
    """Every install is constrained; the backend comes from the constraints before the build."""
    assert installs
    for arguments in installs:
        constraint = cwd / arguments[arguments.index("--constraint") + 1]
        assert constraint.resolve() == CONSTRAINTS, arguments
    *before, last = installs
    assert last[-1] == project
    assert "--no-build-isolation" in last, "pip's isolated build resolves hatchling afresh"
    assert any(arguments[-1] == "hatchling" for arguments in before)


def test_the_action_installs_from_the_constraints_beside_it_build_backend_included(
    tmp_path: Path,
) -> None:
    action = _load(ROOT / "action.yml")
    (install,) = [step for step in action["runs"]["steps"] if step.get("id") == "install"]
    installs = _pip_installs(
        install["run"], tmp_path, {"ACTION_PATH": str(ROOT), "PYTHON": "python"}
    )
    _assert_constrained_with_the_backend(installs, str(ROOT), tmp_path)


def test_the_system_audit_installs_as_the_action_does(tmp_path: Path) -> None:
    workflow = _load(SYSTEM_AUDIT)
    scripts = [
        step["run"]
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("name") == "Install ospo-scan"
    ]
    assert len(scripts) == 2  # the scan jobs and the survey job
    for index, script in enumerate(scripts):
        run = tmp_path / f"job-{index}"
        run.mkdir()
        (run / ".ospo-scan").symlink_to(ROOT, target_is_directory=True)
        installs = _pip_installs(script, run, {})
        _assert_constrained_with_the_backend(installs, "./.ospo-scan", run)


def test_the_system_audit_installs_the_commit_it_is_given_not_a_branch() -> None:
    inputs = _load(SYSTEM_AUDIT)[True]["workflow_call"]["inputs"]  # YAML 1.1 reads `on` as true
    assert inputs["ospo-scan-ref"]["required"] is True
    assert "default" not in inputs["ospo-scan-ref"]


def test_the_build_backend_is_pinned_to_a_version_pyproject_allows() -> None:
    pinned = _constraints()
    build = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]
    for requirement in map(Requirement, build["requires"]):
        backend = canonicalize_name(requirement.name)
        assert backend in pinned, f"the build backend {backend} is not pinned"
        assert requirement.specifier.contains(pinned[backend])
    for name in BUILD_BACKEND:
        assert canonicalize_name(name) in pinned, f"{name} (the build backend needs it)"


def _constraints() -> dict[str, str]:
    pinned: dict[str, str] = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        requirement, _, _marker = line.partition(";")
        name, separator, version = requirement.partition("==")
        assert separator == "==", f"not an exact pin: {line}"
        assert version.strip(), f"not an exact pin: {line}"
        pinned[canonicalize_name(name)] = version.strip()
    return pinned


def test_every_runtime_dependency_is_pinned_to_a_version_it_allows() -> None:
    pinned = _constraints()
    runtime = [Requirement(r) for r in requires("ospo-scan") or ()]
    needed = [r for r in runtime if r.marker is None or r.marker.evaluate({"extra": ""})]
    assert needed
    for requirement in needed:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not pinned in {CONSTRAINTS.name}"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            requirement,
            pinned[name],
        )


PAGES_ACTIONS = ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages")


def test_only_the_deploy_job_publishes_pages_with_the_pinned_pages_actions() -> None:
    workflow = _load(SYSTEM_AUDIT)
    inputs = workflow[True]["workflow_call"]["inputs"]  # YAML 1.1 reads `on` as true
    assert (inputs["deploy-pages"]["type"], inputs["deploy-pages"]["default"]) == ("boolean", False)
    pinned = {
        ref.split("@")[0]: (ref, comment)
        for file, ref, comment in _uses()
        if file == SYSTEM_AUDIT.name and ref.startswith(PAGES_ACTIONS)
    }
    assert sorted(pinned) == sorted(PAGES_ACTIONS)
    for ref, comment in pinned.values():
        assert PINNED.match(ref), ref
        assert TAG_COMMENT.match(comment), (ref, comment)
    jobs = workflow["jobs"]
    users = {
        name
        for name, job in jobs.items()
        for step in job["steps"]
        if step.get("uses", "").startswith(PAGES_ACTIONS)
    }
    assert users == {"deploy"}
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert "inputs.deploy-pages" in deploy["if"]
    # the only other job allowed more than reading: the one pushing the history branch
    assert jobs["survey"]["permissions"] == {"contents": "write"}
    assert workflow["permissions"] == {"contents": "read"}
    assert [name for name, job in jobs.items() if "permissions" in job] == ["survey", "deploy"]
