"""Benchmark: a simulated GitLab group of N projects across nested subgroups.

    python bench/gitlab_scan.py [--projects 500] [--latency 0.2] [--skip-rules]

Serves the group from the fake GitLab of the test suite (REST and GraphQL over real HTTP, every
query checked against GitLab's schema, its 10,000-character query limit and its complexity limits
scored by GitLab's rules) and reports:

- HTTP requests per project for a full default-ruleset scan (every rule run on every snapshot,
  so reads made by rules count too), anonymous and with a token, without and with GitLab's own
  licence detection for every project (`host_licence`, one REST request per licensed project);
- GraphQL queries GitLab refused (complexity over the limit, text over 10,000 characters,
  rejected by the schema), and projects that could not be read, at the default limits and at
  the higher limits self-managed instances may set;
- wall time of the connector at the given simulated latency per request, one query in flight at
  a time and with bounded concurrency.
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

from ospo_scan.config import load_ruleset  # noqa: E402
from ospo_scan.connectors.gitlab import GitLabConnector  # noqa: E402
from ospo_scan.connectors.interface import ScanOptions, Target, TargetKind  # noqa: E402
from ospo_scan.connectors.reads import is_read_by_rules  # noqa: E402
from ospo_scan.scan.evaluation import evaluate_repository  # noqa: E402
from ospo_scan.snapshot import EntryKind, Snapshot  # noqa: E402
from tests.connectors.gitlab.fake_gitlab import FakeGitLab  # noqa: E402
from tests.connectors.gitlab.fake_model import LINK_MODE, Blob, FakeInstance, FakeProject  # noqa: E402

TOKEN = "glpat-bench-token"
MIT = (
    "MIT License\n\nCopyright (c) 2024 Example\n\nPermission is hereby granted, free of charge, "
    "to any person obtaining a copy of this software and associated documentation files (the "
    '"Software"), to deal in the Software without restriction, including without limitation the '
    "rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of "
    "the Software, and to permit persons to whom the Software is furnished to do so, subject to "
    "the following conditions:\n\nThe above copyright notice and this permission notice shall be "
    "included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "
    '"AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.\n'
)


def simulated_group(count: int, seed: int = 7) -> FakeInstance:
    """`agency` with projects spread over subgroups up to four levels deep, in realistic shapes."""
    rng = random.Random(seed)
    instance = FakeInstance()
    subgroups = ["agency"] + [
        "/".join(
            ["agency", *[f"unit{rng.randrange(4)}", f"team{i % 5}", f"area{i % 3}"][: 1 + i % 3]]
        )
        for i in range(40)
    ]
    for i in range(count):
        path = f"{rng.choice(subgroups)}/project-{i:04}"
        if rng.random() < 0.04:
            instance.add_project(FakeProject(path))  # empty repository
            continue
        files: dict[str, str] = {
            "README.md": f"# Project {i}\n\n## Install\n\npip install p{i}\n\n## Usage\n\nrun\n",
            "src/main.py": "print('hello')\n",
            ".gitlab-ci.yml": "test:\n  script: pytest\n",
        }
        if rng.random() < 0.8:
            files["LICENSE"] = MIT
        if rng.random() < 0.5:
            files["CONTRIBUTING.md"] = "# Contributing\n\nOpen a merge request.\n" * 3
        if rng.random() < 0.3:
            files["CODE_OF_CONDUCT.md"] = "# Code of conduct\n\nContributor Covenant 2.1.\n"
        if rng.random() < 0.4:
            files["docs/index.md"] = "# Docs\n"
            files["docs/GOVERNANCE.md"] = "# Governance\n\nMaintainers decide by consensus.\n"
        if rng.random() < 0.2:
            files[".gitlab/issue_templates/bug.md"] = "Bug\n"
            files[".gitlab/merge_request_templates/default.md"] = "MR\n"
        if rng.random() < 0.25:
            files[".github/SECURITY.md"] = "Report to security@example.org\n"
        if rng.random() < 0.4:
            files["CHANGELOG.md"] = "# Changelog\n\n## 1.0.0\n"
        if rng.random() < 0.5:
            files["package.json"] = '{"name": "p", "license": "MIT"}\n'
        if rng.random() < 0.1:
            files["renovate.json"] = "{}\n"
        project = FakeProject.from_texts(
            path,
            files,
            archived=rng.random() < 0.1,
            forked_from="agency/project-0000" if rng.random() < 0.1 else None,
            licence_key="mit" if "LICENSE" in files else None,
            description=f"Project {i}" if rng.random() < 0.7 else None,
        )
        if rng.random() < 0.03:
            project.files["COPYING"] = Blob(LINK_MODE, b"LICENSE")
        instance.add_project(project)
    return instance


def scan(
    fake: FakeGitLab, connector: GitLabConnector, *, rules: bool, token: str | None
) -> tuple[int, int, float]:
    """Open the group and read it as a scan would; (projects, requests, seconds). Projects that
    could not be read are counted in `FAILED`."""
    if token:
        os.environ["GITLAB_TOKEN"] = token
    else:
        os.environ.pop("GITLAB_TOKEN", None)
    ruleset = load_ruleset("un-ospo", load_plugins=False) if rules else None
    fake.requests.clear()
    started = time.perf_counter()
    source = connector.open(Target(TargetKind.GITLAB, "agency"), ScanOptions(gitlab_url=fake.url))
    projects = 0
    for item in source.repositories:
        projects += 1
        if not isinstance(item, Snapshot):
            FAILED.append(f"{item.name}: {item.reason}")
            continue
        item.read_text(".ospo-scan.toml")  # what the scanner reads for exemptions
        if ruleset is not None:
            evaluate_repository(item, ruleset)
        else:
            _read_like_rules(item)
    return projects, len(fake.requests), time.perf_counter() - started


FAILED: list[str] = []


def refusals(fake: FakeGitLab, limit: int) -> str:
    """What GitLab refused of the queries sent, and the projects lost, since the last call."""
    api = fake.api
    over = sum(1 for score in api.scores if score > limit)
    large = sum(1 for size in api.sizes if size > 10_000)
    line = (
        f"{len(api.sizes)} queries, {over} over complexity {limit}, {large} over 10,000 "
        f"characters (longest {max(api.sizes, default=0)}), {len(api.rejected)} rejected by "
        f"the schema; {len(FAILED)} projects not read"
    )
    if FAILED:
        line += f" (first: {FAILED[0][:120]})"
    api.scores.clear()
    api.sizes.clear()
    api.rejected.clear()
    FAILED.clear()
    return line


def _read_like_rules(snapshot: Snapshot) -> None:
    for entries in snapshot.listings.values():
        for entry in entries:
            if entry.kind is EntryKind.FILE and is_read_by_rules(entry.path):
                snapshot.read_text(entry.path)


def breakdown(fake: FakeGitLab) -> str:
    kinds = {"graphql": 0, "enumeration": 0, "licence": 0, "raw": 0, "other": 0}
    for _, path, _ in fake.requests:
        if path.endswith("/graphql"):
            kinds["graphql"] += 1
        elif path.endswith("/raw"):
            kinds["raw"] += 1
        elif path.startswith("/api/v4/groups"):
            kinds["enumeration"] += 1
        elif path.startswith("/api/v4/projects/"):
            kinds["licence"] += 1
        else:
            kinds["other"] += 1
    return ", ".join(f"{k} {v}" for k, v in kinds.items() if v)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--skip-rules", action="store_true", help="read like rules, no scancode")
    args = parser.parse_args()
    instance = simulated_group(args.projects)
    print(f"{args.projects} projects in {len(instance.groups)} groups and subgroups")

    with FakeGitLab(instance, tokens=(TOKEN,)) as fake:
        print("\nrequests per project (no latency):")
        for token in (None, TOKEN):
            for host_licence in (False, True):
                connector = GitLabConnector(host_licence=host_licence)
                rules = not args.skip_rules and token is None and not host_licence
                n, requests, seconds = scan(fake, connector, rules=rules, token=token)
                scores = list(fake.complexity_scores)
                print(
                    f"  {'token    ' if token else 'anonymous'} host licence "
                    f"{'on ' if host_licence else 'off'} {'rules' if rules else 'reads'}: "
                    f"{requests} requests, {requests / n:.3f}/project ({breakdown(fake)}) "
                    f"in {seconds:.1f} s"
                )
                print(f"    {refusals(fake, 250 if token else 200)}")
        if scores:
            mean = sum(scores) / len(scores)
            print(f"  GraphQL complexity per query (token): max {max(scores)}, mean {mean:.0f}")

    for limit in (500, 1000):
        print(f"\nrequests per project when the instance allows a complexity of {limit}:")
        with FakeGitLab(instance, tokens=(TOKEN,), complexity_limits=(limit, limit)) as fake:
            n, requests, seconds = scan(fake, GitLabConnector(), rules=False, token=TOKEN)
            print(f"  {requests} requests, {requests / n:.3f}/project ({breakdown(fake)})")
            print(f"    {refusals(fake, limit)}")

    print(f"\nwall time at {args.latency * 1000:.0f} ms per request (anonymous, defaults):")
    with FakeGitLab(instance, tokens=(TOKEN,), latency=args.latency) as fake:
        for concurrency in (1, 4, 8):
            connector = GitLabConnector(concurrency=concurrency)
            n, requests, seconds = scan(fake, connector, rules=False, token=None)
            print(
                f"  concurrency {concurrency}: {seconds:.1f} s for {requests} requests "
                f"(at most {fake.max_in_flight} in flight); {refusals(fake, 200)}"
            )
            fake.max_in_flight = 0


if __name__ == "__main__":
    main()
