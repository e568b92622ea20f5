"""Licence detection speed and memory, side by side with licensee and Repolinter.

    python bench/licence_speed.py [--runs 7] [--entity 200] [--un-runs 3] [--real-entity DIR]
        [--only-un] [--before SRC]

1. Cold `ospo-scan scan REPO` against `licensee detect REPO` (Debian's ruby-licensee) on
   repositories carrying a standard licence text, run alternately in fresh processes: median
   wall time and peak RSS of each. The licence reference table is cached on disk as a user
   would have it after the first scan; that first scan (empty cache) is measured apart.
2. An entity of `--entity` repositories: licence analysis per licence file once the process
   has started (reference table loaded), and a whole `ospo-scan scan ENTITY`.
3. The licence files UN-system entities publish (`tests/licences/un_texts.py`: Apache with an
   emblem exclusion and bundled notices, code and content sections, an HTML page with an IGO
   licence, ...): cold `ospo-scan scan` against `licensee detect` on each, and whether
   scancode's full index had to load for any of them.
4. An entity of 20 UN-style repositories (third-party notices, dual licences, IGO licences),
   as a directory of repositories: the whole `ospo-scan scan ENTITY` against `licensee
   detect REPO` (licences only) and `repolinter lint REPO` (npm's repolinter, its default
   rules) run on each repository, alternately in the same run, where they are installed; the
   ratios of the wall times and ospo-scan's peak RSS. `--before SRC` scans the entity with
   another copy of the package too (an earlier commit's `src`), side by side.
   `--real-entity DIR` measures a directory of repositories you have (clones of an entity's
   public repositories) instead of the one assembled from the layouts of this bench and
   `licence_layouts.py`, each with `--files-per-repo` source files beside its licence.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from licence_layouts import LAYOUTS  # beside this script

from ospo_scan.licences import LicencePolicy, analyse
from ospo_scan.licences.references import exact_table, passage_index
from ospo_scan.licences.scancode import full_index_loaded
from tests.gitrepos import make_repo
from tests.licences.texts import scancode_text, with_copyright
from tests.licences.un_texts import UN_LAYOUTS
from tests.scanning import local_snapshot, local_snapshots

STANDARD = {"mit": "MIT", "apache-2.0": "Apache-2.0", "gpl-3.0": "GPL-3.0-only"}
ENTITY_LAYOUTS: tuple[dict[str, str], ...] = (
    {"LICENSE": "MIT License\n\n" + with_copyright(scancode_text("mit"))},
    {"LICENSE": scancode_text("apache-2.0")},
    {"LICENSE.md": "# GNU GPL\n\n" + scancode_text("gpl-3.0")},
    {
        "LICENSE-MIT": with_copyright(scancode_text("mit")),
        "LICENSE-APACHE": scancode_text("apache-2.0"),
    },
    {"COPYING": scancode_text("gpl-2.0"), "COPYING.LESSER": scancode_text("lgpl-2.1")},
    {"LICENSE.txt": with_copyright(scancode_text("bsd-new"))},
    {"LICENSE": "This work is licensed under CC BY 3.0 IGO.\n"},
    {
        "LICENSES/CC-BY-4.0.txt": scancode_text("cc-by-4.0"),
        "LICENSES/MIT.txt": scancode_text("mit"),
    },
)


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float = 0.0
    """User and system CPU time of the process and the children it waited for."""


def run(command: Sequence[str], env: Mapping[str, str] | None = None) -> Run:
    """Wall time and peak resident memory of one fresh process (and the children it waited for)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
    return Run(elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.peak_rss_mb for r in runs),
        statistics.median(r.cpu_seconds for r in runs),
    )


def ospo_scan_command(target: Path) -> list[str]:
    script = Path(sys.executable).with_name("ospo-scan")
    return [
        str(script),
        "scan",
        str(target),
        "--no-history",
        "--format",
        "json",
        "--output",
        os.devnull,
    ]


def side_by_side(root: Path, runs: int) -> None:
    licensee = shutil.which("licensee")
    print("## Cold single-repository scans (median of", runs, "alternating runs)\n")
    print("| repository | ospo-scan scan | peak RSS | licensee detect | peak RSS |")
    print("|---|---|---|---|---|")
    for key, spdx in STANDARD.items():
        repo = make_repo(
            root / key, {"LICENSE": with_copyright(scancode_text(key)), "README.md": "# x\n"}
        )
        ours: list[Run] = []
        theirs: list[Run] = []
        run(ospo_scan_command(repo))  # warm the page cache and the reference table cache
        for _ in range(runs):
            ours.append(run(ospo_scan_command(repo)))
            if licensee:
                theirs.append(run([licensee, "detect", str(repo)]))
        mine = median(ours)
        other = (
            f"{median(theirs).seconds:.2f} s | {median(theirs).peak_rss_mb:.0f} MB"
            if theirs
            else "n/a | n/a"
        )
        print(f"| {spdx} | {mine.seconds:.2f} s | {mine.peak_rss_mb:.0f} MB | {other} |")


def fallback(root: Path) -> None:
    """A text only scancode's full index recognises: what the slow path costs, once."""
    text = scancode_text("artistic-perl-1.0").replace("Package", "Work")[:3000]
    repo = make_repo(root / "edited-artistic", {"LICENSE": text})
    slow = run(ospo_scan_command(repo))
    print(
        f"Heavily edited licence (scancode's full index loads): {slow.seconds:.2f} s, "
        f"{slow.peak_rss_mb:.0f} MB\n"
    )


def first_scan(root: Path) -> None:
    repo = root / "mit"
    with tempfile.TemporaryDirectory(prefix="ospo-cache-") as cache:
        env = {**os.environ, "OSPO_SCAN_CACHE_DIR": cache}
        first = run(ospo_scan_command(repo), env)
        second = run(ospo_scan_command(repo), env)
    print(
        f"\nFirst scan with an empty cache (builds the reference table): {first.seconds:.2f} s, "
        f"{first.peak_rss_mb:.0f} MB; the next one: {second.seconds:.2f} s, "
        f"{second.peak_rss_mb:.0f} MB\n"
    )


def entity(root: Path, size: int) -> None:
    entity_dir = root / "entity"
    for number in range(size):
        make_repo(entity_dir / f"repo-{number:03d}", ENTITY_LAYOUTS[number % len(ENTITY_LAYOUTS)])
    start = time.perf_counter()
    exact_table()
    passage_index()
    loaded = time.perf_counter() - start
    snapshots = local_snapshots(entity_dir)
    start = time.perf_counter()
    analyses = [analyse(s, LicencePolicy()) for s in snapshots]
    elapsed = time.perf_counter() - start
    files = sum(len(a.files) for a in analyses)
    unidentified = sum(1 for a in analyses if a.expression is None)
    print(f"## Entity of {size} repositories ({files} licence files)\n")
    print(
        f"- reference tables load (exact and passages): {loaded * 1000:.0f} ms (once per process)"
    )
    print(
        f"- licence analysis after start-up: {elapsed:.2f} s in all, "
        f"{elapsed / files * 1000:.2f} ms per licence file "
        f"(README sections and manifests included); unidentified repositories: {unidentified}; "
        f"full scancode index loaded: {full_index_loaded()}"
    )
    whole = run(ospo_scan_command(entity_dir))
    print(f"- `ospo-scan scan ENTITY`: {whole.seconds:.2f} s, peak RSS {whole.peak_rss_mb:.0f} MB")


def un_layouts(root: Path, runs: int) -> None:
    licensee = shutil.which("licensee")
    print(f"## UN-system licence files (median of {runs} alternating cold runs)\n")
    print("| layout | expression | method | ospo-scan scan | peak RSS | licensee detect |")
    print("|---|---|---|---|---|---|")
    for name, (files, _) in UN_LAYOUTS.items():
        repo = make_repo(root / "un" / name, {**files, "README.md": f"# {name}\n"})
        analysis = analyse(local_snapshot(repo), LicencePolicy())
        methods = ", ".join(sorted({f.method or "none" for f in analysis.files}))
        run(ospo_scan_command(repo))
        ours, theirs = [], []
        for _ in range(runs):
            ours.append(run(ospo_scan_command(repo)))
            if licensee:
                theirs.append(run([licensee, "detect", str(repo)]))
        mine = median(ours)
        other = f"{median(theirs).seconds:.2f} s" if theirs else "n/a"
        print(
            f"| {name} | {analysis.expression} | {methods} | {mine.seconds:.2f} s | "
            f"{mine.peak_rss_mb:.0f} MB | {other} |"
        )
    print(f"\nscancode's full index loaded for any of them: {full_index_loaded()}\n")


UN_ENTITY = (
    *UN_LAYOUTS,
    "rust-dual-cargo",
    "dual-readme-either",
    "code-and-docs-and",
    "ckan-agpl-bundled",
    "who-trademark-preamble",
    "apache-filled-appendix",
    "reuse",
    "gpl-copying-lesser",
    "cc-by-igo-summary",
    "agpl-notice-without-copy-paragraph",
    "bsd3-html",
)
"""Twenty repositories: the UN-system layouts (an emblem exclusion, bundled third-party notices,
code and content licences, IGO licences) and dual licences, bundled notices and REUSE from
`licence_layouts.py`."""


def source_tree(files: int) -> dict[str, str]:
    """Source files beside the licence, so that a whole scan walks a tree as it would."""
    return {
        f"src/module_{n // 50:02d}/file_{n:04d}.py": f"def function_{n}() -> int:\n    return {n}\n"
        for n in range(files)
    }


def assemble_un_entity(root: Path, files_per_repo: int) -> Path:
    entity_dir = root / "un-entity"
    layouts = {**UN_LAYOUTS, **LAYOUTS}
    for name in UN_ENTITY:
        files = layouts[name][0]
        readme = {"README.md": f"# {name}\n\nA tool of the programme.\n"}
        make_repo(entity_dir / name, {**source_tree(files_per_repo), **readme, **files})
    return entity_dir


def each_repository(command: list[str], repos: list[Path]) -> Run:
    """`command REPO` run on every repository in turn (any exit code): wall and CPU time in
    all, and the largest peak RSS."""
    runs = []
    for repo in repos:
        start = time.perf_counter()
        process = subprocess.Popen(
            [*command, str(repo)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, _, usage = os.wait4(process.pid, 0)
        cpu = usage.ru_utime + usage.ru_stime
        runs.append(Run(time.perf_counter() - start, usage.ru_maxrss / 1024, cpu))
    return Run(
        sum(r.seconds for r in runs),
        max(r.peak_rss_mb for r in runs),
        sum(r.cpu_seconds for r in runs),
    )


def un_entity(
    root: Path, runs: int, real: Path | None, files_per_repo: int, before: Path | None
) -> None:
    entity_dir = real or assemble_un_entity(root, files_per_repo)
    repos = sorted(p for p in entity_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    analyses = [analyse(s, LicencePolicy()) for s in local_snapshots(entity_dir)]
    unidentified = sum(1 for a in analyses if a.expression is None)
    print(f"## Entity of {len(repos)} UN-style repositories ({entity_dir.name})\n")
    print(
        f"- licence analysis in-process: unidentified repositories {unidentified}; "
        f"full scancode index loaded: {full_index_loaded()}"
    )
    ours = {"ospo-scan": ospo_scan_command(entity_dir)}
    if before is not None:
        ours["ospo-scan (before)"] = [sys.executable, "-m", "ospo_scan", *ours["ospo-scan"][1:]]
    others = {
        name: [tool, *arguments]
        for name, arguments in (("licensee", ["detect"]), ("repolinter", ["lint"]))
        if (tool := shutil.which(name))
    }
    environments = {"ospo-scan (before)": {**os.environ, "PYTHONPATH": str(before)}}
    for name, command in ours.items():
        run(command, environments.get(name))  # caches the licence tables, warms the page cache
    times: dict[str, list[Run]] = {name: [] for name in ours}
    totals: dict[str, list[Run]] = {name: [] for name in others}
    for _ in range(runs):
        for name, command in ours.items():
            times[name].append(run(command, environments.get(name)))
        for name, command in others.items():
            totals[name].append(each_repository(command, repos))
    print(f"\n| command (median of {runs} alternating runs) | wall time | CPU time | peak RSS |")
    print("|---|---|---|---|")
    for name, measured in times.items():
        mine = median(measured)
        print(
            f"| `{name} scan ENTITY` (every rule) | {mine.seconds:.2f} s | "
            f"{mine.cpu_seconds:.2f} s | {mine.peak_rss_mb:.0f} MB |"
        )
    for name, measured in totals.items():
        theirs = median(measured)
        print(
            f"| `{name} {others[name][1]} REPO`, each repository | {theirs.seconds:.2f} s | "
            f"{theirs.cpu_seconds:.2f} s | {theirs.peak_rss_mb:.0f} MB (largest) |"
        )
    ours_median = median(times["ospo-scan"])
    for name, measured in totals.items():
        theirs = median(measured)
        print(
            f"\nospo-scan / {name}: wall time {ours_median.seconds / theirs.seconds:.3f}, "
            f"CPU time {ours_median.cpu_seconds / theirs.cpu_seconds:.3f}"
        )
    print(f"\nload average when done: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name in ("licensee", "repolinter"):
        if name not in others:
            print(f"\n{name} is not installed: not measured")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--entity", type=int, default=200)
    parser.add_argument("--un-runs", type=int, default=3)
    parser.add_argument("--real-entity", type=Path, default=None)
    parser.add_argument("--files-per-repo", type=int, default=300)
    parser.add_argument(
        "--only-un", action="store_true", help="measure the UN layouts and entity only"
    )
    parser.add_argument(
        "--before",
        type=Path,
        default=None,
        metavar="SRC",
        help="also scan the UN entity with the package in SRC (e.g. an earlier commit's `src`, "
        "from `git archive`), side by side",
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="licence-bench-") as scratch:
        root = Path(scratch)
        if not arguments.only_un:
            side_by_side(root, arguments.runs)
            first_scan(root)
            entity(root, arguments.entity)
        un_layouts(root, arguments.un_runs)
        un_entity(
            root,
            arguments.un_runs,
            arguments.real_entity,
            arguments.files_per_repo,
            arguments.before,
        )
        if not arguments.only_un:
            fallback(root)  # last: it loads scancode's full index in a child process only


if __name__ == "__main__":
    main()
