"""Start-up and the first scan: wall time and peak memory, cold and warm.

    python bench/startup.py [--runs 5] [--no-wheel] [--before SRC]

Runs each command in a fresh process, `python -m ospo_scan`, for each of these installations,
side by side (one command at a time, the installations taking turns):

- `wheel`: the wheel `pip wheel .` builds from this checkout (with the licence tables its
  build hook ships), installed with `pip install --no-deps --target` into a temporary
  directory: what `pip install .` gives a user (`--no-wheel` leaves it out);
- `source`: this checkout's `src` (no shipped tables: the first scan builds them);
- `before`: another copy of the package, `--before SRC` (e.g. an earlier commit's `src` and
  `rules`, from `git archive COMMIT src rules`).

Commands: `ospo-scan --version`, `ospo-scan --help`, `ospo-scan scan --help`, and `ospo-scan
scan fixtures/demo-agency --no-history`, first with an empty licence-table cache
(`OSPO_SCAN_CACHE_DIR` pointed at a new temporary directory per installation: the first scan
after installing), then warm, the tables cached by that first scan.

"cold" is a command's first run in this process's series (the licence-table cache empty);
"warm" is the median of the `--runs` runs after it. Python may write bytecode (as pip does
when it installs), whatever PYTHONDONTWRITEBYTECODE says here: a user's installation has it.
Wall time and peak resident memory come from `/usr/bin/time -v` when it is there, else from
the child's resource usage. The operating system's file cache is left as it is: dropping it
needs root.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "fixtures" / "demo-agency"
TIME = shutil.which("time", path="/usr/bin")
_WALL = re.compile(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)")
_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_CPU = re.compile(r"(?:User|System) time \(seconds\): (\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Run:
    """One command in one fresh process."""

    seconds: float
    """Wall-clock time from start to exit."""
    peak_mib: float
    """Peak resident set size of the process."""
    cpu_seconds: float
    """User and system CPU time: what the command costs, less what a busy machine adds."""
    exit_code: int
    """What the command returned (a scan below its threshold returns 1)."""


def run(arguments: Sequence[str], environment: Mapping[str, str]) -> Run:
    command = [sys.executable, "-m", "ospo_scan", *arguments]
    if TIME is not None:
        return _run_timed(command, environment)
    return _run_waited(command, environment)


def _run_timed(command: list[str], environment: Mapping[str, str]) -> Run:
    assert TIME is not None
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        done = subprocess.run(
            [TIME, "-v", "-o", report.name, *command],
            env=environment,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        text = Path(report.name).read_text(encoding="utf-8")
    wall = _WALL.search(text)
    rss = _RSS.search(text)
    if wall is None or rss is None:
        raise SystemExit(f"could not read /usr/bin/time's report:\n{text}")
    hours, minutes, seconds = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    cpu = sum(float(seconds) for seconds in _CPU.findall(text))
    return Run(elapsed, int(rss.group(1)) / 1024, cpu, done.returncode)


def _run_waited(command: list[str], environment: Mapping[str, str]) -> Run:
    started = time.perf_counter()
    child = subprocess.Popen(
        command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(elapsed, usage.ru_maxrss / 1024, cpu, child.returncode)


def measure(
    label: str, arguments: Sequence[str], installations: dict[str, dict[str, str]], runs: int
) -> list[list[str]]:
    """One command on every installation: cold once each, then warm, taking turns."""
    cold = {name: run(arguments, environment) for name, environment in installations.items()}
    warm: dict[str, list[Run]] = {name: [] for name in installations}
    for _ in range(runs):
        for name, environment in installations.items():
            warm[name].append(run(arguments, environment))
    return [
        [
            label,
            name,
            f"{cold[name].seconds:.2f}",
            f"{cold[name].cpu_seconds:.2f}",
            f"{cold[name].peak_mib:.0f}",
            f"{statistics.median(r.seconds for r in warm[name]):.2f}",
            f"{statistics.median(r.cpu_seconds for r in warm[name]):.2f}",
            f"{statistics.median(r.peak_mib for r in warm[name]):.0f}",
            ",".join(sorted({str(r.exit_code) for r in [cold[name], *warm[name]]})),
        ]
        for name in installations
    ]


def install_wheel(scratch: Path) -> Path:
    """This checkout built into a wheel and installed, without dependencies, into `scratch`."""
    wheels = scratch / "wheels"
    pip = [sys.executable, "-m", "pip", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
    (wheel,) = wheels.glob("ospo_scan-*.whl")
    site = scratch / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per command")
    parser.add_argument("--no-wheel", action="store_true", help="leave the built wheel out")
    parser.add_argument("--before", type=Path, default=None, metavar="SRC")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ospo-scan-bench-") as temporary:
        scratch = Path(temporary)
        common = {
            key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"
        }
        common["OSPO_SCAN_CONFIG"] = str(scratch / "no-config.toml")
        paths = {} if options.no_wheel else {"wheel": install_wheel(scratch)}
        paths["source"] = ROOT / "src"
        if options.before is not None:
            paths["before"] = options.before.resolve()
        installations = {
            name: {**common, "PYTHONPATH": str(path), "OSPO_SCAN_CACHE_DIR": str(scratch / name)}
            for name, path in paths.items()
        }
        scan = ["scan", str(DEMO.relative_to(ROOT)), "--no-history"]
        rows = [
            *measure("ospo-scan --version", ["--version"], installations, options.runs),
            *measure("ospo-scan --help", ["--help"], installations, options.runs),
            *measure("ospo-scan scan --help", ["scan", "--help"], installations, options.runs),
            *measure("ospo-scan scan DEMO --no-history", scan, installations, options.runs),
        ]
    header = [
        "command",
        "installation",
        "cold s",
        "cold cpu s",
        "cold MiB",
        "warm s",
        "warm cpu s",
        "warm MiB",
        "exit",
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    source = "/usr/bin/time -v" if TIME is not None else "the child's resource usage"
    print(f"\nmeasured with {source}; cold = first run with an empty licence-table cache,")
    print(f"load average when done: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"warm = median of {options.runs} later runs; DEMO = {DEMO.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
