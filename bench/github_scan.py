"""What a full default-ruleset scan of a GitHub organisation costs: requests, points, time.

    python bench/github_scan.py [--repositories 1000] [--latency 0.2] [--naive-sample 20]

Serves a generated organisation from the test suite's fake GitHub (GraphQL validated against
GitHub's schema, every request delayed by `--latency` seconds), then measures:

1. a full `Scanner` run with the default ruleset over `github:ORG` (requests, GraphQL points,
   wall time);
2. the naive approach — one request per directory listing and one per file read — on
   `--naive-sample` repositories, extrapolated to the whole organisation.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.github.client import GitHubClient
from ospo_scan.connectors.github.fetch import fetch_raw
from ospo_scan.connectors.github.queries import ObjectRequest, object_batch
from ospo_scan.connectors.github.trees import RawEntry, wanted_for_reading
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.scan.scanner import Scanner
from ospo_scan.snapshot import LISTED_DIRECTORIES
from tests.connectors.github.fake_github import TOKEN, FakeGitHub
from tests.connectors.github.fake_repos import FakeCommit, FakeRepo
from tests.gitrepos import FileContent, Symlink

ORG = "bench-org"
MIT = (
    "MIT License\n\nCopyright (c) 2024 Bench\n\nPermission is hereby granted, free of charge, to "
    "any person obtaining a copy of this software and associated documentation files (the "
    '"Software"), to deal in the Software without restriction.\n'
)


def _days_ago(days: int) -> str:
    when = datetime.now(timezone.utc) - timedelta(days=days)
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def organisation(count: int) -> dict[str, FakeRepo]:
    """Repositories with the spread of files (and tags, newcomer labels, recent commits by one to
    three people) a real organisation has."""
    repos = {
        ".github": FakeRepo(
            ".github",
            {
                "CODE_OF_CONDUCT.md": "# Code of conduct\n\nContributor Covenant 2.1.\n",
                ".github/SECURITY.md": "Report to security@bench.example.org\n",
                "profile/README.md": "# Bench org\n",
            },
        )
    }
    for i in range(count - 1):
        files: dict[str, FileContent] = {
            "README.md": f"# Project {i}\n\n## Install\n\npip install p{i}\n\n## Usage\n\nrun it\n",
            "src/main.py": "print('hello')\n",
            "setup.cfg": "[metadata]\nname = p\n",
        }
        if i % 3:
            files["LICENSE"] = MIT
        if i % 4 == 0:
            files["CONTRIBUTING.md"] = "# Contributing\n\nOpen a pull request.\n" * 3
            files["docs/index.md"] = "# Docs\n"
            files["docs/GOVERNANCE.md"] = "# Governance\n\nMaintainers decide.\n"
        if i % 5 == 0:
            files[".github/dependabot.yml"] = "version: 2\n"
            files[".github/CODEOWNERS"] = "* @bench-org/maintainers\n"
            files[".github/ISSUE_TEMPLATE/bug.md"] = "---\nname: Bug\n---\n"
        if i % 7 == 0:
            files["CHANGELOG.md"] = "# Changelog\n\n## 1.0\n\n- first\n"
            files["package.json"] = '{"name": "p", "license": "MIT"}\n'
        if i % 11 == 0:
            files["COPYING"] = Symlink("LICENSE")
        if i % 50 == 0:
            files = {}  # an empty repository
        repos[f"project-{i:04}"] = FakeRepo(
            f"project-{i:04}",
            files,
            archived=i % 13 == 0,
            fork=i % 17 == 0,
            description=f"Project {i}" if i % 2 else None,
            topics=("bench",) if i % 3 == 0 else (),
            protected=i % 2 == 0,
            tags=("v1.2.0", "v1.1.0") if i % 6 == 0 else (),
            labels={"good first issue": i % 4, "help wanted": 1} if i % 8 == 0 else {},
            commits=tuple(
                FakeCommit(_days_ago(3 * n + 1), f"dev{n % (1 + i % 3)}@bench.example.org")
                for n in range(i % 40)
            ),
        )
    return repos


def full_scan(fake: FakeGitHub) -> None:
    ruleset = load_ruleset("un-ospo", load_plugins=False)
    before = len(fake.requests)
    points_before = fake.budget.used_points
    started = time.monotonic()
    report = Scanner(ruleset, ScanOptions(github_url=fake.api_url)).scan([f"github:{ORG}"])
    elapsed = time.monotonic() - started
    requests = len(fake.requests) - before
    repositories = len(report.repositories)
    graphql = sum(1 for _, path, _ in fake.requests[before:] if path == "/api/graphql")
    print(f"full scan (un-ospo): {repositories} repositories, entity score {report.entity.score}")
    print(
        f"  {requests} HTTP requests ({requests / repositories:.3f} per repository; "
        f"{graphql} GraphQL, {requests - graphql} REST), "
        f"{fake.budget.used_points - points_before} GraphQL points, {elapsed:.1f} s"
    )


def naive(fake: FakeGitHub, repos: dict[str, FakeRepo], sample: int) -> None:
    """One request per listed directory and per file rules read, like most scanners."""
    client = GitHubClient(fake.api_url, TOKEN, max_wait=0)
    names = sorted(repos)[:sample]
    before = len(fake.requests)
    started = time.monotonic()
    for name in names:
        full = f"{ORG}/{name}"
        for directory in LISTED_DIRECTORIES:
            query, where = object_batch([ObjectRequest(full, directory, tree=True)])
            result = client.graphql(query)
            alias = where[(full, directory, True)].split(".")
            tree = (result.data.get(alias[0]) or {}).get(alias[1]) or {}
            for entry in tree.get("entries") or ():
                path = f"{directory}/{entry['name']}" if directory else entry["name"]
                if entry["type"] == "blob" and _read_by_rules(path, entry):
                    fetch_raw(client, full, path, None, text_first=False)
    elapsed = time.monotonic() - started
    requests = len(fake.requests) - before
    per_repo = requests / len(names)
    total = per_repo * len(repos) + len(repos) / 100
    print(f"naive (measured on {len(names)} repositories, extrapolated to {len(repos)}):")
    print(
        f"  {per_repo:.1f} requests per repository, about {total:.0f} requests and "
        f"{elapsed / len(names) * len(repos):.0f} s for the organisation"
    )


def _read_by_rules(path: str, entry: dict[str, object]) -> bool:
    size, mode = entry.get("size"), entry.get("mode")
    assert isinstance(size, int)
    assert isinstance(mode, int)
    return wanted_for_reading(RawEntry(path, "blob", mode, size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--naive-sample", type=int, default=20)
    args = parser.parse_args()
    os.environ["GITHUB_TOKEN"] = TOKEN
    os.environ.pop("GH_TOKEN", None)
    repos = organisation(args.repositories)
    with FakeGitHub({ORG: ("Organization", repos)}, latency=args.latency) as fake:
        print(f"fake GitHub: {len(repos)} repositories, {args.latency * 1000:.0f} ms per request")
        full_scan(fake)
        naive(fake, repos, args.naive_sample)
        fake.check_clean()


if __name__ == "__main__":
    main()
