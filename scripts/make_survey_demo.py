"""Regenerate the survey demo's reports from its entity directories.

    python scripts/make_survey_demo.py

Each entity directory under `fixtures/survey-demo/entities/` is scanned with the default
ruleset, as `ospo-scan scan DIR --format json` would, and the report is written to
`fixtures/survey-demo/reports/`. The fixture is a survey of one year, so each report's scan
dates are set to that year's audit day; everything else is the scan as it ran.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ospo_scan.config import load_ruleset  # noqa: E402
from ospo_scan.formats.json import format_json  # noqa: E402
from ospo_scan.model import ScanInfo  # noqa: E402
from ospo_scan.scan.scanner import Scanner  # noqa: E402

DEMO = ROOT / "fixtures" / "survey-demo"
AUDIT_DAY = ("2025-06-02T06:00:00.000Z", "2025-06-02T06:00:01.000Z")


def main() -> None:
    ruleset = load_ruleset("un-ospo", load_plugins=False)
    reports = DEMO / "reports"
    reports.mkdir(exist_ok=True)
    for entity in sorted((DEMO / "entities").iterdir()):
        target = f"fixtures/survey-demo/entities/{entity.name}"
        report = Scanner(ruleset).scan([str(ROOT / target)])
        dated = dataclasses.replace(report, scan=ScanInfo(*AUDIT_DAY, (target,)))
        text = format_json(dated).replace(ROOT.as_uri() + "/", "")
        (reports / f"{entity.name}-2025.json").write_text(text, encoding="utf-8")
        print(f"{entity.name}: {report.entity.score} ({report.entity.level})")


if __name__ == "__main__":
    main()
