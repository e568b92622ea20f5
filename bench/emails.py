"""Benchmark: the security-policy e-mail parser on real-looking and on hostile text.

    python bench/emails.py

Prints the time `find_emails` takes on a policy of ordinary prose (repeated to the scanner's
read bound) and on runs of the characters the patterns repeat over (`a`, `a@`, `a at `, dots,
hyphens, `[dot]`), each at the read bound. Linear patterns keep every line within a small
factor of the others; a backtracking one would not finish.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ospo_scan.rules._emails import find_emails  # noqa: E402
from ospo_scan.snapshot import MAX_READ_BYTES  # noqa: E402

POLICY = (
    "Please report vulnerabilities to security@agency.example.org. Do not open a public issue. "
    "You may also write to hope-security[@]unicef.org or psirt (at) agency (dot) org; we answer "
    "within three working days and coordinate disclosure with you.\n"
)
HOSTILE = {
    "word": "a",
    "at-signs": "a@",
    "at-dots": "a@b.",
    "at-words": "a at ",
    "dotted-local": "a.b",
    "hyphens": "a-",
    "dot-words": "a [dot] ",
    "spaced-at": " at",
}


def _time(text: str) -> tuple[float, int]:
    started = time.perf_counter()
    found = find_emails(text)
    return time.perf_counter() - started, len(found)


def main() -> None:
    size = MAX_READ_BYTES
    print(f"input size: {size:,} characters each")
    text = (POLICY * (size // len(POLICY) + 1))[:size]
    seconds, found = _time(text)
    print(f"{'ordinary policy':16} {seconds * 1000:8.1f} ms  {found:6} addresses")
    for name, unit in HOSTILE.items():
        text = (unit * (size // len(unit) + 1))[:size]
        seconds, found = _time(text)
        print(f"{name:16} {seconds * 1000:8.1f} ms  {found:6} addresses")


if __name__ == "__main__":
    main()
