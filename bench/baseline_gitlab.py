"""Benchmark: what the OSPS Baseline's host facts cost a GitLab scan.

    python bench/baseline_gitlab.py [--projects 1000] [--latency 0.1]

Serves a simulated group of N projects (`bench/gitlab_scan.py`'s, with branch protection,
releases, push rules, approval rules and group two-factor requirements spread over it) from the
fake GitLab of the test suite (REST and GraphQL over real HTTP, every query checked against
GitLab's schema and complexity limits) and reports:

- HTTP requests per project of today's scan (no Baseline fact asked), of each fact asked alone,
  of the level 1 and 2 facts, and of every fact, with a maintainer's token; every fact with a
  reporter's token (what it cannot see is withheld, and costs the same requests); every fact
  on the same group without GitLab Premium (no push or approval rules to ask for);
- wall time of the connector at the given latency per request (default concurrency), today's
  scan beside one asking for every fact;
- what counting each project's files by type costs (the binary-artefact controls ask for it
  once a project: the recursive tree, a hundred entries a request).

Snapshots are iterated as a scan does, without running rules: the figures are the connector's.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gitlab_scan import simulated_group  # noqa: E402

from ospo_scan.connectors.gitlab import GitLabConnector  # noqa: E402
from ospo_scan.connectors.interface import (  # noqa: E402
    EntitySource,
    ScanOptions,
    Target,
    TargetKind,
)
from ospo_scan.snapshot import HostFact, Snapshot  # noqa: E402
from tests.connectors.gitlab.fake_gitlab import FakeGitLab  # noqa: E402
from tests.connectors.gitlab.fake_model import FakeInstance  # noqa: E402

MAINTAINER = "glpat-bench-maintainer"
REPORTER = "glpat-bench-reporter"
LEVELS_1_2 = frozenset(
    {
        HostFact.BRANCH_RULES,  # AC-03.01, AC-03.02 (1); QA-03.01 (2)
        HostFact.RELEASES,  # BR-02.01, BR-04.01 (2)
        HostFact.VULNERABILITY_REPORTING,  # VM-03.01 (2)
        HostFact.ADVISORIES,  # VM-04.01 (2)
        HostFact.DISCUSSIONS,  # GV-02.01 (1)
        HostFact.SECRET_SCANNING,  # BR-07.01 (1)
        HostFact.MFA,  # AC-01.01 (1)
        HostFact.WORKFLOW_PERMISSIONS,  # AC-04.01 (2)
        HostFact.COLLABORATOR_PERMISSIONS,  # AC-02.01 (1)
        HostFact.SIGNOFF,  # LE-01.01 (2)
    }
)
"""Every fact serves a level 1 or 2 control; branch rules also carry QA-07.01's approvals (3)."""


def with_settings(instance: FakeInstance, seed: int = 11) -> FakeInstance:
    """Branch protection, releases, push and approval rules on the projects; some groups
    requiring two-factor authentication."""
    rng = random.Random(seed)
    for group in instance.groups.values():
        group.require_two_factor = rng.random() < 0.3
    for project in instance.projects.values():
        project.push_access_levels = (0,) if rng.random() < 0.6 else (40,)
        project.allow_force_push = rng.random() < 0.1
        project.pipelines_must_succeed = rng.random() < 0.5
        project.job_token_push = rng.random() < 0.2
        tags = tuple(f"v1.{n}.0" for n in range(rng.randrange(0, 4)))
        project.releases = tags
        project.release_notes = {t: f"## Changes in {t}\n\n- fixed\n" for t in tags}
        project.release_assets = {t: (f"p-{t}.tar.gz", "SHA256SUMS") for t in tags}
        if rng.random() < 0.5:
            project.push_rule = {"reject_non_dco_commits": rng.random() < 0.5}
        if rng.random() < 0.5:
            project.approval_rules = [
                {
                    "id": 1,
                    "name": "All members",
                    "rule_type": "any_approver",
                    "approvals_required": rng.randrange(0, 3),
                    "applies_to_all_protected_branches": True,
                    "protected_branches": [],
                }
            ]
    return instance


def opened(fake: FakeGitLab, token: str) -> EntitySource:
    """The simulated group, opened with `token`."""
    os.environ["GITLAB_TOKEN"] = token
    return GitLabConnector().open(
        Target(TargetKind.GITLAB, "agency"), ScanOptions(gitlab_url=fake.url)
    )


def scan(fake: FakeGitLab, facts: frozenset[HostFact], token: str) -> tuple[int, int, int, float]:
    """Open the group, ask for `facts`, read every project; (projects, requests, GraphQL
    queries, seconds)."""
    fake.requests.clear()
    started = time.perf_counter()
    source = opened(fake, token)
    source.ask_for(facts)
    projects = failed = 0
    for item in source.repositories:
        projects += 1
        failed += not isinstance(item, Snapshot)
    seconds = time.perf_counter() - started
    if failed or fake.api.rejected:
        raise SystemExit(f"{failed} projects not read; rejected: {fake.api.rejected[:1]}")
    graphql = sum(1 for _, path, _ in fake.requests if path.endswith("/graphql"))
    return projects, len(fake.requests), graphql, seconds


def endpoints(fake: FakeGitLab) -> str:
    """The Baseline's REST requests of the last scan, by endpoint."""
    kinds = ("/push_rule", "/approval_rules", "/application/settings")
    counts = {k: sum(1 for _, p, _ in fake.requests if p.endswith(k)) for k in kinds}
    return ", ".join(f"{k.lstrip('/')} {v}" for k, v in counts.items() if v) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()
    instance = with_settings(simulated_group(args.projects))
    print(f"{args.projects} projects in {len(instance.groups)} groups and subgroups")
    tokens = {"tokens": (MAINTAINER,), "reporter_tokens": (REPORTER,)}

    with FakeGitLab(instance, **tokens) as fake:  # type: ignore[arg-type]
        n, base, base_graphql, _ = scan(fake, frozenset(), MAINTAINER)
        print(f"\ntoday's scan (maintainer token): {base} requests, {base / n:.3f}/project")
        print("requests per project beyond today's, maintainer token:")
        cases = [(fact.value, frozenset({fact})) for fact in HostFact]
        cases += [("levels 1 and 2", LEVELS_1_2), ("every fact", frozenset(HostFact))]
        for label, facts in cases:
            _, requests, graphql, _ = scan(fake, facts, MAINTAINER)
            rest = (requests - graphql) - (base - base_graphql)
            print(
                f"  {label:26} +{(requests - base) / n:.3f} "
                f"(GraphQL +{graphql - base_graphql}, REST +{rest}: {endpoints(fake)})"
            )
        _, reporter_base, _, _ = scan(fake, frozenset(), REPORTER)
        _, requests, _, _ = scan(fake, frozenset(HostFact), REPORTER)
        print(f"  every fact, reporter token  +{(requests - reporter_base) / n:.3f}")
        fake.requests.clear()
        snapshots = [s for s in opened(fake, MAINTAINER).repositories if isinstance(s, Snapshot)]
        counted = [s for s in snapshots if s.file_types() is not None]
        trees = sum(1 for _, path, _ in fake.requests if path.endswith("/repository/tree"))
        print(
            f"  counting files by type, as the binary-artefact controls do: {trees} tree "
            f"requests for {len(counted)} projects counted, {trees / n:.3f}/project"
        )
        instance.tier = "ce"
        _, ce_base, _, _ = scan(fake, frozenset(), MAINTAINER)
        _, requests, _, _ = scan(fake, frozenset(HostFact), MAINTAINER)
        print(f"  every fact, without Premium +{(requests - ce_base) / n:.3f}")
        instance.tier = "premium"

    print(f"\nwall time at {args.latency * 1000:.0f} ms per request (maintainer token):")
    with FakeGitLab(instance, latency=args.latency, **tokens) as fake:  # type: ignore[arg-type]
        for label, facts in (("today's scan", frozenset()), ("every fact", frozenset(HostFact))):
            n, requests, _, seconds = scan(fake, facts, MAINTAINER)
            print(f"  {label:12}: {seconds:.1f} s for {requests} requests")


if __name__ == "__main__":
    main()
