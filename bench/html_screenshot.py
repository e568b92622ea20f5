"""Scan a target into an HTML report and take a screenshot of it in headless Chromium.

    python bench/html_screenshot.py [TARGET] [--png docs/html-report.png] [--height 2400]

TARGET defaults to the demo entity (fixtures/demo-agency). Prints how long the scan (writing
the HTML report) and the browser rendering took, and where the report and screenshot are.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.formats.chromium import find_chromium, screenshot  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("target", nargs="?", default=str(ROOT / "fixtures" / "demo-agency"))
    parser.add_argument("--png", type=Path, default=None, help="where to keep the screenshot")
    parser.add_argument("--html", type=Path, default=None, help="where to keep the HTML report")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2400)
    arguments = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("headless Chromium is not installed (Debian package `chromium`)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ospo-scan-screenshot-") as work:
        html = arguments.html or Path(work) / "report.html"
        png = arguments.png or Path(work) / "report.png"
        started = time.perf_counter()
        command = ["scan", arguments.target, "--no-history", "--output", str(html)]
        scan = subprocess.run(
            [sys.executable, "-m", "ospo_scan", *command],
            check=False,
        )
        scanned = time.perf_counter()
        if scan.returncode not in (0, 1, 3) or not html.is_file():
            print(f"the scan failed with exit code {scan.returncode}", file=sys.stderr)
            return 1
        screenshot(
            chromium,
            html,
            Path(work) / "profile",
            png,
            height=arguments.height,
            width=arguments.width,
        )
        rendered = time.perf_counter()
        print(f"scan + HTML report: {scanned - started:.2f} s (exit code {scan.returncode})")
        print(f"HTML size:          {html.stat().st_size / 1024:.1f} KiB")
        print(f"Chromium screenshot: {rendered - scanned:.2f} s")
        print(f"screenshot:         {png if arguments.png else '(temporary; use --png to keep)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
