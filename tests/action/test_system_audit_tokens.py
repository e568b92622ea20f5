"""The system audit's scan jobs: each host's token goes to that host only.

The plan step runs as a process; each matrix row's scan step `env` is then resolved as GitHub
resolves `secrets[matrix.NAME]` (a missing or empty name gives the empty string), from a set of
the caller's secrets, to see which token each job would export.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = yaml.safe_load(
    (ROOT / ".github" / "workflows" / "system-audit.yml").read_text(encoding="utf-8")
)
SECRETS = {
    "GITHUB_TOKEN": "ghs_job_token",
    "GITLAB_TOKEN": "glpat_default",
    "AGENCY_GITHUB": "ghp_agency_github",
    "AGENCY_GITLAB": "glpat_agency_gitlab",
    "LABS_TOKEN": "ghp_labs",
}
_SECRET = re.compile(r"^\$\{\{\s*secrets\[matrix\.([a-z-]+)\]\s*\}\}$")


def _plan(entities: list[dict[str, Any]], tmp_path: Path) -> list[dict[str, str]]:
    output = tmp_path / "github-output"
    done = subprocess.run(
        [sys.executable, "-m", "ospo_scan.action.system_audit", "plan"],
        env={"OSPO_SCAN_ENTITIES": json.dumps(entities), "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows: list[dict[str, str]] = json.loads(output.read_text("utf-8").partition("=")[2])["include"]
    return rows


def _tokens(row: dict[str, str]) -> dict[str, str]:
    """The scan step's token variables for one matrix row."""
    (scan,) = [s for s in WORKFLOW["jobs"]["scan"]["steps"] if s.get("name") == "Scan"]
    tokens = {}
    for name, value in scan["env"].items():
        if "TOKEN" not in name:
            continue
        match = _SECRET.match(str(value))
        assert match, f"{name}: {value}"
        tokens[name] = SECRETS.get(row[match.group(1)], "")
    return tokens


def test_an_entity_on_both_hosts_sends_each_host_its_own_token(tmp_path: Path) -> None:
    rows = _plan(
        [
            {
                "name": "Agency",
                "targets": "github:agency gitlab:agency",
                "github-token-secret": "AGENCY_GITHUB",
                "gitlab-token-secret": "AGENCY_GITLAB",
            },
            {"name": "Labs", "targets": "github:labs", "token-secret": "LABS_TOKEN"},
            {"name": "Lab B", "targets": "https://gitlab.com/lab-b"},
            {"name": "Mirror", "targets": "github:mirror"},
        ],
        tmp_path,
    )
    assert [_tokens(row) for row in rows] == [
        {"GITHUB_TOKEN": "ghp_agency_github", "GITLAB_TOKEN": "glpat_agency_gitlab"},
        {"GITHUB_TOKEN": "ghp_labs", "GITLAB_TOKEN": ""},
        {"GITHUB_TOKEN": "", "GITLAB_TOKEN": "glpat_default"},
        {"GITHUB_TOKEN": "ghs_job_token", "GITLAB_TOKEN": ""},
    ]


def test_one_secret_for_two_hosts_is_refused(tmp_path: Path) -> None:
    entities = [{"name": "Agency", "targets": ["github:a", "gitlab:a"], "token-secret": "T"}]
    done = subprocess.run(
        [sys.executable, "-m", "ospo_scan.action.system_audit", "plan"],
        env={"OSPO_SCAN_ENTITIES": json.dumps(entities), "GITHUB_OUTPUT": str(tmp_path / "o")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "GitHub and GitLab, which never share a token" in done.stderr
    assert not (tmp_path / "o").exists()
