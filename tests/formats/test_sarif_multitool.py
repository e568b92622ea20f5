"""SARIF checked by Microsoft's SARIF Multitool with GitHub's ingestion rules (optional).

The Multitool ships in the npm package `@microsoft/sarif-multitool-linux` (a self-contained
binary, `Sarif.Multitool`). Point `SARIF_MULTITOOL` at it, or put it on PATH, to run this test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ospo_scan.formats.sarif import format_sarif
from ospo_scan.model import Report

MULTITOOL = os.environ.get("SARIF_MULTITOOL") or shutil.which("Sarif.Multitool")


@pytest.mark.skipif(
    MULTITOOL is None,
    reason="SARIF Multitool not installed "
    "(npm @microsoft/sarif-multitool-linux; set SARIF_MULTITOOL)",
)
def test_multitool_finds_nothing_github_would_reject(report: Report, tmp_path: Path) -> None:
    assert MULTITOOL is not None
    log = tmp_path / "ospo-scan.sarif"
    log.write_text(format_sarif(report), encoding="utf-8")
    verdict = tmp_path / "validation.sarif"
    subprocess.run(
        [MULTITOOL, "validate", "--rule-kind", "Gh;Ghas;Sarif", "-o", str(verdict), str(log)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
    )
    findings = json.loads(verdict.read_text(encoding="utf-8"))["runs"][0]["results"]
    github_rules = [f for f in findings if f["ruleId"].startswith("GH")]
    errors = [f for f in findings if f.get("level", "warning") == "error"]
    assert (github_rules, errors) == ([], [])
    # The only remarks allowed: a result located at a repository root (a directory) has no
    # line region (SARIF2017, a warning).
    assert {f["ruleId"] for f in findings} <= {"SARIF2017"}
