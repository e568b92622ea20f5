"""What `fix --open-pr` costs on a GitHub organisation: requests and time, first and second run.

    python bench/fix_open_pr.py [--repositories 50] [--latency 0.0]

Serves a generated organisation (no `.github` repository, every repository lacking the same
files) from the test suite's fake GitHub, then plans and proposes the fixes twice: the first run
creates `.github`, one branch, the commits and one pull request per repository; the second finds
everything in place and only updates the requests. The requests are the figure to watch: the
fake checks every answer against GitHub's OpenAPI description, which dominates the time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ospo_scan.config import load_ruleset
from ospo_scan.connectors.interface import ScanOptions
from ospo_scan.fix.apply import open_requests
from ospo_scan.fix.planner import FixOptions
from ospo_scan.fix.run import plan_run
from tests.connectors.github.fake_github import TOKEN, FakeGitHub
from tests.connectors.github.fake_repos import FakeRepo

ORG = "bench-org"
PROFILE = """name = "Bench"
[contacts]
security = "security@bench.example.org"
conduct = "conduct@bench.example.org"
maintainers = ["@bench-org/ospo"]
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.0)
    arguments = parser.parse_args()
    readme = "# App\n\nWhat it does.\n\nInstall with pip install app, then run app.\n"
    repos = {
        f"app-{i:04d}": FakeRepo(f"app-{i:04d}", {"README.md": readme, "pyproject.toml": "[x]\n"})
        for i in range(arguments.repositories)
    }
    os.environ["GITHUB_TOKEN"] = TOKEN
    profile = Path(__file__).resolve().parent / ".fix_bench_profile.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    ruleset = load_ruleset("un-ospo", load_plugins=False)
    try:
        with FakeGitHub({ORG: ("Organization", repos)}, latency=arguments.latency) as fake:
            options = ScanOptions(github_url=fake.api_url)
            for label in ("first run", "second run"):
                start, sent = time.perf_counter(), len(fake.requests)
                run = plan_run(f"github:{ORG}", ruleset, options, FixOptions(), str(profile))
                planned, plan_requests = time.perf_counter(), len(fake.requests) - sent
                results = open_requests(run, options)
                done = time.perf_counter()
                write_requests = len(fake.requests) - sent - plan_requests
                statuses: dict[str, int] = {}
                for result in results:
                    statuses[result.status.value] = statuses.get(result.status.value, 0) + 1
                print(
                    f"{label}: {run.plan.file_count} files in {len(results)} repositories; "
                    f"plan {plan_requests} requests {planned - start:.2f} s; "
                    f"--open-pr {write_requests} requests "
                    f"({write_requests / max(len(results), 1):.1f} per repository) "
                    f"{done - planned:.2f} s; {statuses}"
                )
    finally:
        profile.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
