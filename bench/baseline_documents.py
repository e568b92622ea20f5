"""Benchmark: the OSPS Baseline's documented-topic rules on documents at the read bound.

    python bench/baseline_documents.py

Builds one repository (a real `git init`, tagged as released) whose README, CONTRIBUTING,
SECURITY and GOVERNANCE each fill the scanner's read bound, with ordinary prose or hostile
near-misses, and prints how long every rule of the `osps-baseline` ruleset built on documented
topics takes on it, and all of them together. Documents are read once per repository and their
lines and headings worked out once, however many rules look.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ospo_scan.config import load_ruleset  # noqa: E402
from ospo_scan.connectors.interface import ScanOptions, Target, TargetKind  # noqa: E402
from ospo_scan.connectors.local import LocalConnector  # noqa: E402
from ospo_scan.rules._topic_rule import TopicRule  # noqa: E402
from ospo_scan.rules.interface import RuleContext  # noqa: E402
from ospo_scan.snapshot import MAX_READ_BYTES, Snapshot  # noqa: E402

PROSE = (
    "## Working together\n\nWe review every change, keep the documentation in step with the "
    "code and answer questions in the discussions; the maintainers meet monthly.\n\n"
)
HOSTILE = "never commit the within dependenc critical ## Secret [ ] test " * 8 + "\n## x\n"
DOCUMENTS = ("README.md", "CONTRIBUTING.md", "SECURITY.md", "GOVERNANCE.md")


def _repository(root: Path, unit: str) -> Snapshot:
    text = unit * (MAX_READ_BYTES // len(unit))
    for name in DOCUMENTS:
        (root / name).write_text(text, encoding="utf-8")
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "docs"], ["tag", "v1"]):
        subprocess.run(
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *command],
            cwd=root,
            check=True,
        )
    source = LocalConnector().open(Target(TargetKind.LOCAL, str(root)), ScanOptions())
    (snapshot,) = source.repositories
    assert isinstance(snapshot, Snapshot)
    return snapshot


def main() -> None:
    ruleset = load_ruleset("osps-baseline", load_plugins=False)
    configs = [c for c in ruleset.rules if isinstance(c.rule, TopicRule)]
    for label, unit in (("prose", PROSE), ("hostile", HOSTILE)):
        with tempfile.TemporaryDirectory() as scratch:
            snapshot = _repository(Path(scratch), unit)
            base = RuleContext(snapshot, {}, ruleset.licence_policy)
            total = time.perf_counter()
            for config in configs:
                started = time.perf_counter()
                finding = config.rule.check(base.with_options(config.options))
                took = time.perf_counter() - started
                print(f"{label:8} {config.rule.id:30} {took * 1000:8.1f} ms  {finding.outcome}")
            print(f"{label:8} {'all':30} {(time.perf_counter() - total) * 1000:8.1f} ms\n")


if __name__ == "__main__":
    main()
