"""How fast the history store records and answers, and how much it grows.

    python bench/history.py [--repositories 10000] [--rules 12] [--scans 100]

Into a fresh store in a temporary directory it records generated reports of an entity (every
outcome represented, a few outcomes changing from one scan to the next), then times:

- recording one report of --repositories repositories (the JSON text is made beforehand, as
  the scan makes it for its own output), and the store's growth per 1,000 repositories;
- `ospo-scan history` over --scans recorded scans;
- `ospo-scan diff` of the last two --repositories-repository scans, in each format.

The commands run in-process through click's test runner, the way a user's shell would call them,
minus interpreter start-up.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main as cli
from ospo_scan.formats.json import format_json
from ospo_scan.history.store import open_store
from ospo_scan.model import (
    EntitySummary,
    Evidence,
    EvidenceSource,
    LicenceSummary,
    Outcome,
    RepoReport,
    Report,
    RepoStatus,
    RuleResult,
    RulesetInfo,
    ScanInfo,
    ScanSummary,
)

_OUTCOMES = (Outcome.PASS, Outcome.PASS, Outcome.FAIL, Outcome.PARTIAL, Outcome.NOT_APPLICABLE)
_SCORES = {Outcome.PASS: 1.0, Outcome.FAIL: 0.0, Outcome.PARTIAL: 0.5}


def rule_results(
    rule_ids: list[str], repository: int, week: int, entity: int | None = None
) -> list[RuleResult]:
    """A generated repository's results in a given week: about 2% of outcomes differ from the
    week before. Repositories of different entities (`entity`) differ from one another."""
    shift = entity or 0
    seed = f"{repository}" if entity is None else f"{entity}-{repository}"
    results = []
    for r, rule in enumerate(rule_ids):
        base = (repository * 7 + r * 3 + shift) % len(_OUTCOMES)
        drift = random.Random(f"{seed}-{r}-{week}").random() < 0.02
        outcome = _OUTCOMES[(base + drift) % len(_OUTCOMES)]
        results.append(
            RuleResult(
                rule=rule,
                category=("documentation", "licensing", "security", "governance")[r % 4],
                outcome=outcome,
                score=_SCORES.get(outcome),
                weight=float(1 + r % 10),
                message=f"{rule}: what was found in repository {repository}, in one sentence.",
                remediation=f"Do what {rule} asks." if outcome is not Outcome.PASS else "",
                help_url=f"https://example.org/rules/{rule}",
                evidence=(Evidence(f"docs/{rule}.md", EvidenceSource.REPOSITORY),)
                if outcome is Outcome.PASS
                else (),
            )
        )
    return results


def build(repositories: int, rules: int, week: int) -> Report:
    """The entity's report in a given week: about 2% of outcomes differ from the week before."""
    rule_ids = [f"rule-{n:02d}" for n in range(rules)]
    repos = []
    for n in range(repositories):
        results = rule_results(rule_ids, n, week)
        repos.append(
            RepoReport(
                name=f"org/repository-{n:05d}",
                url=f"https://github.com/org/repository-{n:05d}",
                status=RepoStatus.OK,
                score=float((n * 37 + week) % 101),
                in_scope=n % 10 != 0,
                archived=n % 10 == 0,
                description=f"Repository number {n}",
                licence=LicenceSummary("Apache-2.0", ("LICENSE",), approved=True),
                results=tuple(results),
                commit=f"{n:08x}{week:032x}",
                default_branch="main",
            )
        )
    started = f"2026-{1 + week // 28:02d}-{1 + week % 28:02d}T06:00:00.000Z"
    return Report(
        tool_version="bench",
        ruleset=RulesetInfo("bench", "1"),
        entity=EntitySummary("Bench entity", "github", 50.0 + week % 7, "developing"),
        repositories=tuple(repos),
        summary=ScanSummary(
            repositories=repositories,
            in_scope=sum(1 for repo in repos if repo.in_scope),
            errors=0,
            rule_pass_rates={rule: 0.4 for rule in rule_ids},
        ),
        scan=ScanInfo(started, started.replace("06:00", "06:30"), ("github:org",)),
    )


def _timed(*arguments: str) -> tuple[float, int]:
    started = time.perf_counter()
    result = CliRunner().invoke(cli, list(arguments), catch_exceptions=False)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    return elapsed, len(result.stdout_bytes)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repositories", type=int, default=10_000)
    parser.add_argument("--rules", type=int, default=12)
    parser.add_argument("--scans", type=int, default=100)
    arguments = parser.parse_args()
    large = arguments.repositories
    with tempfile.TemporaryDirectory(prefix="ospo-scan-bench-") as scratch:
        path = Path(scratch) / "history.sqlite3"
        small = max(1, large // 100)
        with open_store(path) as store:
            for week in range(arguments.scans - 2):
                report = build(small, arguments.rules, week)
                store.record(report, format_json(report))
        print(f"{arguments.scans - 2} scans of {small} repositories recorded beforehand")
        for week in (arguments.scans - 2, arguments.scans - 1):
            report = build(large, arguments.rules, week)
            text = format_json(report)
            size_before = _store_size(path)
            with open_store(path) as store:
                started = time.perf_counter()
                store.record(report, text)
                elapsed = time.perf_counter() - started
            growth = _store_size(path) - size_before
            print(
                f"record {large} repositories x {arguments.rules} rules: {elapsed * 1000:8.1f} ms,"
                f" report JSON {len(text.encode()) / 2**20:.1f} MiB, store +{growth / 2**20:.2f}"
                f" MiB ({growth / 2**20 / (large / 1000):.2f} MiB per 1,000 repositories)"
            )
        elapsed, size = _timed("history", "--history", str(path))
        print(f"history over {arguments.scans} scans (table): {elapsed * 1000:8.1f} ms")
        elapsed, size = _timed("history", "--history", str(path), "--format", "json")
        print(f"history over {arguments.scans} scans (json):  {elapsed * 1000:8.1f} ms")
        for output_format in ("table", "markdown", "json"):
            elapsed, size = _timed("diff", "--history", str(path), "--format", output_format)
            print(
                f"diff of two {large}-repository scans ({output_format}): "
                f"{elapsed * 1000:8.1f} ms, {size / 1024:.0f} KiB"
            )
        print(f"store size: {_store_size(path) / 2**20:.1f} MiB")
    return 0


def _store_size(path: Path) -> int:
    """The store file with its write-ahead log (checkpointed when the last connection closes)."""
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


if __name__ == "__main__":
    sys.exit(main())
