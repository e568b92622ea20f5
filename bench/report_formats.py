"""How fast each report format renders a large entity.

    python bench/report_formats.py [--repositories 2000] [--rules 12] [--repeat 3]

Builds a synthetic report (every outcome represented, evidence on passing rules) straight from
the model, then times each formatter and prints the best of --repeat runs with the output size.
"""

from __future__ import annotations

import argparse
import sys
import time

from ospo_scan.formats import OutputFormat, formatter_for
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
    ScanSummary,
)

_CYCLE = (Outcome.PASS, Outcome.FAIL, Outcome.PARTIAL, Outcome.PASS, Outcome.NOT_APPLICABLE)


def build(repositories: int, rules: int) -> Report:
    rule_ids = [f"rule-{n:02d}" for n in range(rules)]
    repos = []
    for n in range(repositories):
        results = tuple(
            RuleResult(
                rule=rule,
                category=("documentation", "licensing", "security", "governance")[r % 4],
                outcome=(outcome := _CYCLE[(n + r) % len(_CYCLE)]),
                score={Outcome.PASS: 1.0, Outcome.FAIL: 0.0, Outcome.PARTIAL: 0.5}.get(outcome),
                weight=float(1 + r % 10),
                message=f"{rule} found nothing useful in repository {n}.",
                remediation=f"Do what {rule} asks.",
                help_url=f"https://example.org/rules/{rule}",
                evidence=(Evidence(f"docs/{rule}.md", EvidenceSource.REPOSITORY),)
                if outcome is Outcome.PASS
                else (),
            )
            for r, rule in enumerate(rule_ids)
        )
        repos.append(
            RepoReport(
                name=f"org/repository-{n:05d}",
                url=f"https://github.com/org/repository-{n:05d}",
                status=RepoStatus.OK,
                score=float((n * 37) % 101),
                in_scope=n % 10 != 0,
                archived=n % 10 == 0,
                description=f"Repository number {n}",
                licence=LicenceSummary("Apache-2.0", ("LICENSE",), approved=True),
                results=results,
            )
        )
    return Report(
        tool_version="bench",
        ruleset=RulesetInfo("bench", "1"),
        entity=EntitySummary("Bench entity", "github", 50.0, "developing"),
        repositories=tuple(repos),
        summary=ScanSummary(
            repositories=repositories,
            in_scope=sum(1 for repo in repos if repo.in_scope),
            errors=0,
            rule_pass_rates={rule: 0.4 for rule in rule_ids},
        ),
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repositories", type=int, default=2000)
    parser.add_argument("--rules", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    report = build(arguments.repositories, arguments.rules)
    print(f"{arguments.repositories} repositories x {arguments.rules} rules")
    for output_format in OutputFormat:
        formatter = formatter_for(output_format)
        best = float("inf")
        size = 0
        for _ in range(arguments.repeat):
            started = time.perf_counter()
            text = formatter(report)
            best = min(best, time.perf_counter() - started)
            size = len(text.encode())
        print(f"  {output_format.value:<9} {best * 1000:8.1f} ms  {size / 1024:9.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
