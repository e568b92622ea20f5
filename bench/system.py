"""A UN-system audit on one machine: many entities, scanned whole or in shards, then surveyed.

    python bench/system.py [--entities 50] [--repositories 200] [--shards 4] [--processes 4]
                           [--latency 0.1]

Serves every entity as a GitHub organisation from the test suite's fake GitHub (GraphQL
validated against GitHub's schema, every request delayed by `--latency` seconds), then measures:

1. one process scanning every entity (`ospo-scan scan github:E1 ... github:EN`);
2. the system audit's way: each entity split into `--shards` parts, the parts scanned by
   `--processes` processes at a time (`scan --shard I/N`), each entity's parts joined with
   `ospo-scan merge`, then `ospo-scan survey` over the merged reports and the entities' files;

and reports wall times, HTTP requests per repository, and the peak memory of `merge` and
`survey`. Every command runs as its own process, as the workflow's jobs do.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from github_scan import organisation  # bench/ is the script's directory

from tests.connectors.github.fake_github import TOKEN, FakeGitHub

ANSWERS = (
    'ospo = "established"\npolicy = "completed"\nbest-practices = true\n',
    'ospo = "in-progress"\npolicy = "developing"\nrecommendations = true\n',
    'ospo = "planned"\npolicy = "none"\nguidelines = "developing"\n',
)


def run(arguments: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Run `python -m ospo_scan ARGUMENTS`; returns its wall time and peak memory (MB)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "ospo_scan", *arguments],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode not in (0, 1, 3):  # 3: some repositories are error rows
        raise SystemExit(f"ospo-scan {' '.join(arguments[:2])} failed: {errors.strip()}")
    return time.monotonic() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=50)
    parser.add_argument("--repositories", type=int, default=200)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()
    names = [f"entity-{number:02}" for number in range(1, args.entities + 1)]
    owners = {name: ("Organization", organisation(args.repositories)) for name in names}
    repositories = args.entities * args.repositories
    with tempfile.TemporaryDirectory() as scratch, FakeGitHub(owners, latency=args.latency) as fake:
        work = Path(scratch)
        env = {
            **os.environ,
            "GITHUB_TOKEN": TOKEN,
            "OSPO_SCAN_HISTORY": str(work / "history.sqlite"),
        }
        env.pop("GH_TOKEN", None)
        common = ["--github-url", fake.api_url, "--format", "json", "--no-history"]
        targets = [f"github:{name}" for name in names]
        print(
            f"{args.entities} entities x {args.repositories} repositories, "
            f"{args.latency * 1000:.0f} ms per request",
            flush=True,
        )

        before = len(fake.requests)
        whole_time, whole_memory = run(
            ["scan", *targets, *common, "--output", str(work / "whole.json")], env
        )
        whole_requests = len(fake.requests) - before
        print(
            f"one process:  {whole_time:7.1f} s, {whole_requests / repositories:.3f} requests "
            f"per repository, peak {whole_memory:.0f} MB",
            flush=True,
        )

        before = len(fake.requests)
        started = time.monotonic()
        jobs = [(name, index) for name in names for index in range(1, args.shards + 1)]
        shard_dir = work / "shards"
        shard_dir.mkdir()

        def scan_shard(job: tuple[str, int]) -> float:
            name, index = job
            output = shard_dir / f"{name}-{index}.json"
            shard = ["--shard", f"{index}/{args.shards}", "--output", str(output)]
            return run(["scan", f"github:{name}", *common, *shard], env)[1]

        with ThreadPoolExecutor(args.processes) as pool:
            shard_memory = max(pool.map(scan_shard, jobs))
        scan_time = time.monotonic() - started
        shard_requests = len(fake.requests) - before

        merged = work / "merged"
        merged.mkdir()
        merge_started = time.monotonic()
        merge_memory = 0.0
        for name in names:
            parts = [str(shard_dir / f"{name}-{i}.json") for i in range(1, args.shards + 1)]
            merge_memory = max(
                merge_memory,
                run(["merge", *parts, "--output", str(merged / f"{name}.json")], env)[1],
            )
        merge_time = time.monotonic() - merge_started
        profiles = work / "profiles"
        for number, name in enumerate(names):
            profile = profiles / name / "ospo-entity.toml"
            profile.parent.mkdir(parents=True)
            profile.write_text(
                f'name = "{name}"\n[readiness.2026]\n{ANSWERS[number % len(ANSWERS)]}',
                encoding="utf-8",
            )
        survey_time, survey_memory = run(
            [
                "survey",
                str(merged),
                str(profiles),
                "--format",
                "json",
                "--output",
                str(work / "survey.json"),
            ],
            env,
        )
        total = time.monotonic() - started
        survey = json.loads((work / "survey.json").read_text(encoding="utf-8"))
        pages = -(-(args.repositories + 1) // 100)  # a listing is one page per 100 repositories
        listings = args.entities * args.shards * pages
        bound = 1.5 * whole_requests + listings
        print(
            f"in shards:    {scan_time:7.1f} s scanning ({len(jobs)} shard processes, "
            f"{args.processes} at a time, peak {shard_memory:.0f} MB each at most)"
        )
        print(
            f"              {merge_time:7.1f} s merging ({args.entities} merges, peak "
            f"{merge_memory:.0f} MB)"
        )
        print(
            f"              {survey_time:7.1f} s surveying ({len(survey['entities'])} entities, "
            f"peak {survey_memory:.0f} MB)"
        )
        print(f"              {total:7.1f} s in all: {total / whole_time:.2f} x one process")
        print(
            f"requests:     {shard_requests / repositories:.3f} per repository in shards, "
            f"{whole_requests / repositories:.3f} unsharded; {shard_requests} against a bound "
            f"of {bound:.0f} (1.5 x {whole_requests} + {listings} listing pages): "
            f"{'within' if shard_requests <= bound else 'OVER'}"
        )
        fake.check_clean()


if __name__ == "__main__":
    main()
