"""One scan writes every artefact: `--output` repeated, each file's format from its extension."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from ospo_scan.cli import main

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


def test_one_scan_writes_every_format(tmp_path: Path) -> None:
    names = ["report.html", "results.sarif", "summary.md", "scores.csv", "report.json"]
    names.append("ospo.badge.json")
    arguments = ["scan", str(ROOT / "fixtures" / "noncompliant")]
    for name in names:
        arguments += ["--output", str(tmp_path / name)]
    result = CliRunner().invoke(main, arguments, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""

    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    score = report["entity"]["score"]
    assert report["entity"]["name"] == "Non-compliant demo"

    sarif = json.loads((tmp_path / "results.sarif").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(sarif)) == []
    failing = sum(
        1
        for repo in report["repositories"]
        for rule in repo["results"]
        if rule["outcome"] in ("fail", "partial")
    )
    assert len(sarif["runs"][0]["results"]) == failing > 0

    rows = list(
        csv.DictReader(io.StringIO((tmp_path / "scores.csv").read_bytes().decode(), newline=""))
    )
    assert [row["repository"] for row in rows] == ["bare", "half", "Non-compliant demo"]
    assert [row["score"] for row in rows[:2]] == [
        f"{repo['score']:.1f}" for repo in report["repositories"]
    ]
    # the principles in every format, all from the report's one view
    principles = report["entity"]["frameworks"]["un-principles"]["items"]
    assert list(principles) == [str(n) for n in range(1, 9)]
    assert (rows[2]["status"], rows[2]["score"]) == ("entity", f"{score:.1f}")
    assert [rows[2][f"un-principles:{n}"] for n in principles] == [
        "" if item["score"] is None else f"{item['score']:.1f}" for item in principles.values()
    ]
    license_rule = next(
        rule
        for rule in sarif["runs"][0]["tool"]["driver"]["rules"]
        if rule["id"].endswith("/license")
    )
    assert license_rule["properties"]["tags"] == [
        "licensing",
        "un-principles:1",
        "dpg:2",
        "osps-baseline:OSPS-LE-03.01",
    ]

    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert f"**Score {score:.1f} / 100** · level **{report['entity']['level']}**" in summary
    assert "| 2 | Contribute back | — | not evidenced by repositories | no rule | — |" in summary
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f'<div class="score">{score:.1f}</div>' in html
    # principles, DPG indicators, and the Baseline controls un-ospo maps
    assert html.count('<div class="card status-') == 8 + 9 + 5
    badge = json.loads((tmp_path / "ospo.badge.json").read_text(encoding="utf-8"))
    assert badge["message"] == f"{score:.0f}% {report['entity']['level']}"
