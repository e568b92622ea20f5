"""Benchmark: scan a generated local entity of N real git repositories.

    python bench/local_scan.py [--repositories 200] [--keep DIR]

Reports wall time split into start-up (imports, ruleset), licence detection (including the first
index load) and the rest of the scan, and the process's peak memory (RSS).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LICENCES = Path("/usr/share/common-licenses")


def _licence_texts() -> list[str]:
    names = ["Apache-2.0", "GPL-3", "MPL-2.0", "LGPL-2.1", "BSD"]
    texts = [(LICENCES / n).read_text() for n in names if (LICENCES / n).exists()]
    mit = (
        "Copyright (c) 2024 Example\n\nPermission is hereby granted, free of charge, to any person "
        'obtaining a copy of this software and associated documentation files (the "Software"), '
        "to deal in the Software without restriction, including without limitation the rights to "
        "use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the "
        "Software, and to permit persons to whom the Software is furnished to do so, subject to "
        "the following conditions:\n\nThe above copyright notice and this permission notice shall "
        "be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS "
        'PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT '
        "LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND "
        "NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY "
        "CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, "
        "ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN "
        "THE SOFTWARE.\n"
    )
    return [mit, *texts]


def generate(root: Path, count: int) -> int:
    """Create `count` git repositories of varied compliance; returns the licence files written."""
    texts = _licence_texts()
    licence_files = 0
    for index in range(count):
        repo = root / f"repo-{index:03d}"
        (repo / ".github").mkdir(parents=True)
        (repo / "README.md").write_text(
            f"# Repository {index}\n\nA tool of the agency.\n\n## Usage\n\nRun `tool-{index}`.\n"
        )
        if index % 4 != 3:
            (repo / "LICENSE").write_text(texts[index % len(texts)])
            licence_files += 1
        if index % 2 == 0:
            (repo / "CONTRIBUTING.md").write_text("Open an issue first, then a pull request.\n" * 5)
            (repo / ".github" / "SECURITY.md").write_text("Report to security@example.org.\n")
        if index % 3 == 0:
            (repo / "CHANGELOG.md").write_text("## 1.0\n- First release.\n")
        for number in range(20):  # ordinary source files that must not be read
            (repo / f"module_{number}.py").write_text("print('hello')\n" * 50)
        env = {
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": str(root),
            "GIT_AUTHOR_NAME": "b",
            "GIT_AUTHOR_EMAIL": "b@example.org",
            "GIT_COMMITTER_NAME": "b",
            "GIT_COMMITTER_EMAIL": "b@example.org",
        }
        for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "x"]):
            subprocess.run(command, cwd=repo, env=env, check=True)
    return licence_files


def measure(entity: Path) -> dict[str, float]:
    started = time.perf_counter()
    import ospo_scan.licences as licences
    from ospo_scan.config import load_ruleset
    from ospo_scan.formats.json import format_json
    from ospo_scan.scan.scanner import Scanner

    ruleset = load_ruleset()
    startup = time.perf_counter() - started

    licence_seconds = 0.0
    first_licence_seconds = 0.0
    calls = 0
    original = licences.analyse

    def timed_analyse(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal licence_seconds, first_licence_seconds, calls
        begin = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - begin
            calls += 1
            if calls == 1:
                first_licence_seconds = elapsed
            else:
                licence_seconds += elapsed

    licences.analyse = timed_analyse
    scan_started = time.perf_counter()
    report = Scanner(ruleset).scan([str(entity)])
    format_json(report)
    scan_seconds = time.perf_counter() - scan_started
    return {
        "repositories": len(report.repositories),
        "startup_s": startup,
        "licence_first_call_s": first_licence_seconds,
        "licence_rest_s": licence_seconds,
        "licence_calls": calls,
        "rest_s": scan_seconds - licence_seconds - first_licence_seconds,
        "total_s": time.perf_counter() - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "entity_score": report.entity.score or 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repositories", type=int, default=200)
    parser.add_argument("--keep", type=Path, default=None, help="generate into this directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        entity = args.keep or Path(scratch) / "entity"
        if not entity.exists():
            generation = time.perf_counter()
            licence_files = generate(entity, args.repositories)
            print(
                f"generated {args.repositories} repositories ({licence_files} licence files) "
                f"in {time.perf_counter() - generation:.1f} s",
                file=sys.stderr,
            )
        figures = measure(entity)
    for key, value in figures.items():
        print(f"{key:>22}: {value:.3f}" if isinstance(value, float) else f"{key:>22}: {value}")
    rest_calls = max(figures["licence_calls"] - 1, 1)
    print(
        f"{'licence_ms_per_repo':>22}: {1000 * figures['licence_rest_s'] / rest_calls:.2f} "
        "(after the first, which loads the index)"
    )


if __name__ == "__main__":
    main()
