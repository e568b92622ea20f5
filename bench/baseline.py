"""What the OSPS Baseline's host facts cost a scan of an organisation: requests and time.

    python bench/baseline.py [--repositories 1000] [--latency 0.1] [--host github]

Serves the organisation of `bench/github_scan.py` from the test suite's fake GitHub (GraphQL
validated against GitHub's schema, REST answers against its OpenAPI description, every request
delayed by `--latency` seconds), with the Baseline's host facts set as a real organisation has
them (rulesets, releases with assets, discussions, private vulnerability reporting, advisories,
security settings, code scanning's default setup), and scans it three times:

1. `un-ospo` (today's scan: it reads no Baseline host fact);
2. `osps-baseline` with a reader's token (settings only owners see are withheld, not asked);
3. `osps-baseline` with an organisation owner's token (every setting visible).

For each it prints HTTP requests per repository, GraphQL points and wall time, and for the
Baseline scans the requests each host fact cost beyond today's scan.

`--host gitlab` runs `bench/baseline_gitlab.py` (its `main(argv)`), which measures the same on the
fake GitLab.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from github_scan import ORG, organisation  # noqa: E402

from ospo_scan.config import load_ruleset  # noqa: E402
from ospo_scan.connectors.interface import ScanOptions  # noqa: E402
from ospo_scan.scan.scanner import Scanner  # noqa: E402
from tests.connectors.github.fake_github import TOKEN, FakeGitHub  # noqa: E402
from tests.connectors.github.fake_repos import FakeRelease, FakeRepo, FakeRule  # noqa: E402

_FACT_OF_PATH = (
    ("private-vulnerability-reporting", "vulnerability reporting (REST)"),
    ("security-advisories", "published advisories (REST)"),
    ("code-scanning/default-setup", "code scanning default setup (REST)"),
    ("/git/trees/", "recursive tree, the binary-artefact controls (REST)"),
    ("permissions/workflow", "workflow permissions (REST)"),
    (f"/orgs/{ORG}/repos", "secret scanning (REST, organisation listing)"),
    (f"/orgs/{ORG}", "collaborator default (REST, organisation)"),
)


def with_baseline_facts(repos: dict[str, FakeRepo]) -> dict[str, FakeRepo]:
    """The organisation's repositories with the host settings a real organisation shows."""
    shaped = {}
    for index, (name, repo) in enumerate(sorted(repos.items())):
        rules: tuple[FakeRule, ...] = (FakeRule("DELETION", "org-default", organisation=True),)
        if index % 3 == 0:
            rules += (FakeRule("PULL_REQUEST", approvals=1), FakeRule("NON_FAST_FORWARD"))
        if index % 4 == 0:
            rules += (FakeRule("REQUIRED_STATUS_CHECKS", checks=("ci/test", "dco")),)
        releases: tuple[FakeRelease, ...] = ()
        if repo.tags:
            version = repo.tags[0].removeprefix("v")
            releases = tuple(
                FakeRelease(
                    tag,
                    "## Changes\n\n- Faster imports.\n" if index % 2 else "",
                    (f"{name}-{version}-linux.tar.gz", f"{name}-{version}-linux.tar.gz.sig")
                    if index % 5 == 0
                    else (),
                )
                for tag in repo.tags
            )
        shaped[name] = replace(
            repo,
            rules=rules,
            releases=releases,
            discussions=index % 5 == 0,
            signoff=index % 7 == 0,
            vulnerability_reporting=index % 2 == 0,
            advisories=1 if index % 25 == 0 else 0,
            secret_scanning=True,
            push_protection=index % 2 == 0,
            code_scanning="configured" if index % 4 == 0 else "not-configured",
        )
    return shaped


def scan(fake: FakeGitHub, ruleset_id: str, label: str) -> tuple[int, Counter[str]]:
    """Scan the organisation; prints and returns its requests and what they were for."""
    ruleset = load_ruleset(ruleset_id, load_plugins=False)
    before = len(fake.requests)
    operations_before = len(fake.graphql.operations)
    points_before = fake.budget.used_points
    started = time.monotonic()
    report = Scanner(ruleset, ScanOptions(github_url=fake.api_url)).scan([f"github:{ORG}"])
    elapsed = time.monotonic() - started
    requests = fake.requests[before:]
    repositories = len(report.repositories)
    graphql = sum(1 for _, path, _ in requests if path == "/api/graphql")
    kinds: Counter[str] = Counter()
    for _, path, _ in requests:
        kind = next((k for marker, k in _FACT_OF_PATH if marker in path), None)
        if kind is not None:
            kinds[kind] += 1
    facts_queries = fake.graphql.operations[operations_before:].count("ospoHostFacts")
    if facts_queries:
        kinds["first page's GraphQL facts (GraphQL)"] = facts_queries
    print(f"{label}: {repositories} repositories")
    print(
        f"  {len(requests)} requests ({len(requests) / repositories:.3f} per repository; "
        f"{graphql} GraphQL, {len(requests) - graphql} REST), "
        f"{fake.budget.used_points - points_before} GraphQL points, {elapsed:.1f} s"
    )
    return len(requests), kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--host", choices=("github", "gitlab"), default="github")
    args, rest = parser.parse_known_args()
    if args.host == "gitlab":
        try:
            gitlab = importlib.import_module("baseline_gitlab")
        except ModuleNotFoundError:
            sys.exit("bench/baseline_gitlab.py is not there yet: the GitLab measurement is its own")
        gitlab.main(["--projects", str(args.repositories), "--latency", str(args.latency), *rest])
        return
    os.environ["GITHUB_TOKEN"] = TOKEN
    os.environ.pop("GH_TOKEN", None)
    repos = with_baseline_facts(organisation(args.repositories))
    print(f"fake GitHub: {len(repos)} repositories, {args.latency * 1000:.0f} ms per request")
    with FakeGitHub({ORG: ("Organization", repos)}, latency=args.latency) as fake:
        today, _ = scan(fake, "un-ospo", "un-ospo (today)")
        fake.check_clean()
    for owner in (False, True):
        with FakeGitHub({ORG: ("Organization", repos)}, latency=args.latency) as fake:
            if owner:
                fake.graphql.viewer_permission = "ADMIN"
                fake.graphql.owner_of.add(ORG)
                fake.graphql.two_factor[ORG] = True
                fake.org_workflow[ORG] = "read"
            who = "an owner's token" if owner else "a reader's token"
            total, kinds = scan(fake, "osps-baseline", f"osps-baseline ({who})")
            extra = total - today
            print(f"  beyond today: {extra} requests, {extra / len(repos):.3f} per repository")
            for kind, count in sorted(kinds.items()):
                print(f"    {kind}: {count} ({count / len(repos):.3f} per repository)")
            fake.check_clean()


if __name__ == "__main__":
    main()
