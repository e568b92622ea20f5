"""Benchmark: one zizmor process over the workflows of N repositories, or one per repository.

    python bench/workflow_audit.py [N]

Builds N repositories' CI definitions in memory (four workflows each, one of them with template
injection and excessive permissions), then times `audit_workflows` over all of them at once (what
a scan does) and, for comparison, once per repository for the first 20. Prints wall-clock seconds
and the findings found, so a change to the runner shows in both figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from ospo_scan.rules.ci import CiFile  # noqa: E402
from ospo_scan.scan.zizmor import audit_workflows  # noqa: E402
from tests.rules import ci_fixtures  # noqa: E402

WORKFLOWS = {
    **{k: v for k, v in ci_fixtures.GOOD_GITHUB.items() if k.startswith(".github/workflows/")},
    ".github/workflows/triage.yml": ci_fixtures.BAD_GITHUB[".github/workflows/triage.yml"],
}


def main(count: int) -> None:
    repositories = [
        tuple(CiFile(path, text) for path, text in WORKFLOWS.items()) for _ in range(count)
    ]
    started = time.perf_counter()
    audits = audit_workflows(repositories)
    together = time.perf_counter() - started
    findings = sum(len(a.findings) for a in audits)
    failures = sum(a.failure is not None for a in audits)
    print(f"{count} repositories, {count * len(WORKFLOWS)} workflows, one zizmor process:")
    print(f"  {together:.2f} s, {findings} findings, {failures} repositories without an audit")
    sample = repositories[:20]
    started = time.perf_counter()
    for repository in sample:
        audit_workflows([repository])
    apart = time.perf_counter() - started
    print(f"one process per repository, first {len(sample)}: {apart:.2f} s")
    print(f"  ({apart / len(sample) * count:.1f} s projected for {count})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repositories", type=int, nargs="?", default=200)
    main(parser.parse_args().repositories)
