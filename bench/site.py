"""How fast `ospo-scan site` builds a system's dashboard, how big it is, and how fast a new
audit updates it.

    python bench/site.py [--entities 50] [--repositories 200] [--audits 52] [--rules 23]

Into a fresh store in a temporary directory it records generated weekly audits of --entities
entities of --repositories repositories each (one in twenty private, a few outcomes changing
from week to week), then measures:

- building the site from the store (`ospo-scan site`, in-process through click's test runner),
  and the process's peak memory;
- the site's total size (and gzipped, as served), its page count, the mean page of each kind
  and its largest page (targets: 30 s, 50 MB, 500 KB);
- one more audit of one entity, recorded, and the site rebuilt: the time and the pages written
  (target: 3 s);
- headless Chromium loading the index from `file://` (wall time of `chromium --dump-dom`, and
  of the same on an empty page, for Chromium's own start-up).
"""

from __future__ import annotations

import argparse
import gzip
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main as cli
from ospo_scan.formats.json import format_json
from ospo_scan.history.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from history import rule_results

from ospo_scan.model import (
    EntitySummary,
    LicenceSummary,
    RepoReport,
    Report,
    RepoStatus,
    RulesetInfo,
    ScanInfo,
    ScanSummary,
)

KINDS = ("entity", "repo", "rule")
_FIRST_WEEK = datetime(2025, 12, 1, 6, tzinfo=timezone.utc)


def audit(entity: int, repositories: int, rules: int, week: int) -> Report:
    """An entity's audit in a given week: about 2% of outcomes differ from the week before."""
    rule_ids = [f"rule-{n:02d}" for n in range(rules)]
    repos = []
    for n in range(repositories):
        results = rule_results(rule_ids, n, week, entity)
        repos.append(
            RepoReport(
                name=f"entity-{entity:02d}/repository-{n:04d}",
                url=f"https://github.com/entity-{entity:02d}/repository-{n:04d}",
                status=RepoStatus.OK,
                score=float((n * 37 + week + entity) % 101),
                in_scope=True,
                visibility="private" if n % 20 == 0 else "public",
                description=f"Repository number {n}",
                licence=LicenceSummary("Apache-2.0", ("LICENSE",), approved=True),
                results=tuple(results),
                commit=f"{n:08x}{week:032x}",
                default_branch="main",
            )
        )
    started = (_FIRST_WEEK + timedelta(weeks=week)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return Report(
        tool_version="bench",
        ruleset=RulesetInfo("bench", "1"),
        entity=EntitySummary(
            f"Entity {entity:02d}", "github", 40.0 + (week + entity) % 30, "developing"
        ),
        repositories=tuple(repos),
        summary=ScanSummary(
            repositories=repositories,
            in_scope=repositories,
            errors=0,
            rule_pass_rates={rule: 0.4 for rule in rule_ids},
        ),
        scan=ScanInfo(started, started, (f"github:entity-{entity:02d}",)),
    )


def _cpu_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _site(store: Path, output: Path) -> tuple[str, str]:
    """Wall time and processor time of a build (on a shared machine the second is the one
    that does not depend on the neighbours), and what the command said."""
    started, cpu = time.perf_counter(), _cpu_seconds()
    result = CliRunner().invoke(
        cli, ["site", "--history", str(store), "--output", str(output)], catch_exceptions=False
    )
    elapsed, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    assert result.exit_code == 0, result.stderr
    return f"{elapsed:.1f} s ({cpu:.1f} s of processor time)", result.stderr.strip()


def _chromium_seconds(binary: str, page: Path, profile: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    return time.perf_counter() - started


def _record(store: Path, arguments: argparse.Namespace) -> None:
    started = time.perf_counter()
    with open_store(store) as opened:
        for week in range(arguments.audits):
            for entity in range(arguments.entities):
                report = audit(entity, arguments.repositories, arguments.rules, week)
                opened.record(report, format_json(report))
    print(
        f"recorded {arguments.entities} entities x {arguments.repositories} repositories x "
        f"{arguments.audits} audits ({arguments.rules} rules) in "
        f"{time.perf_counter() - started:.0f} s; store {store.stat().st_size / 2**20:.0f} MiB"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=50)
    parser.add_argument("--repositories", type=int, default=200)
    parser.add_argument("--audits", type=int, default=52)
    parser.add_argument("--rules", type=int, default=23)
    parser.add_argument(
        "--store",
        type=Path,
        help="keep the recorded audits in this store, and reuse it when it exists (it is "
        "copied before the one more audit is recorded, so it stays as recorded)",
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ospo-scan-bench-") as scratch:
        store = Path(scratch) / "history.sqlite3"
        site = Path(scratch) / "site"
        recorded = arguments.store or store
        if not recorded.exists():
            _record(recorded, arguments)
        if recorded != store:
            shutil.copyfile(recorded, store)
        elapsed, said = _site(store, site)
        pages = list(site.rglob("*.html"))
        sizes = sorted(((p.stat().st_size, p) for p in pages), reverse=True)
        total = sum(size for size, _ in sizes)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
        print(f"site built in {elapsed} (target 30 s), peak memory {peak:.0f} MiB: {said}")
        packed = sum(len(gzip.compress(p.read_bytes(), 6)) for p in pages)
        print(
            f"total {total / 1e6:.1f} MB over {len(pages)} pages (target 50 MB); "
            f"{packed / 1e6:.1f} MB gzipped, as a web server sends them"
        )
        kinds = {kind: [size for size, p in sizes if p.parent.name == kind] for kind in KINDS}
        print(
            "mean page: "
            + ", ".join(f"{kind} {sum(s) / len(s) / 1e3:.1f} KB" for kind, s in kinds.items() if s)
        )
        largest, path = sizes[0]
        print(f"largest page {largest / 1e3:.0f} KB: {path.relative_to(site)} (target 500 KB)")

        report = audit(0, arguments.repositories, arguments.rules, arguments.audits)
        with open_store(store) as opened:
            opened.record(report, format_json(report))
        elapsed, said = _site(store, site)
        print(f"one more audit of one entity: rebuilt in {elapsed} (target 3 s): {said}")

        binary = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
        if binary is None:
            print("Chromium not installed: no load time")
            return 0
        empty = Path(scratch) / "empty.html"
        empty.write_text("<!DOCTYPE html><title>empty</title>", encoding="utf-8")
        baseline = min(_chromium_seconds(binary, empty, Path(scratch) / "p") for _ in range(3))
        index = min(_chromium_seconds(binary, site / "index.html", Path(scratch) / "p")
                    for _ in range(3))  # fmt: skip
        print(
            f"Chromium loads the index ({(site / 'index.html').stat().st_size / 1e3:.0f} KB) in "
            f"{index:.2f} s, an empty page in {baseline:.2f} s (best of 3, start-up included)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
