"""Benchmark: scan repositories whose files are all pathological, each at the read bound.

    python bench/hostile.py [--keep DIR]

Every text the built-in rules search is filled, up to the scanner's read bound, with what made a
backtracking regular expression slow: 512 KB of `a` in SECURITY.md, of `[` in LICENSE, of `](`
in CONTRIBUTING.md, long runs of spaces inside a heading or a manifest's licence field, and so
on. Licence files of edited licence text that no reference explains, at the read bound, which
scancode's full index would read for minutes: one text in one piece (past the bound the full
index is given, so never given to it), and one in headed sections that each fit (so the full
index reads them until its time per file is spent). One repository holds one such case (so a
slow one stands out), and one holds them all. Reports the wall time per repository and for the
whole scan; the full licence index is loaded first, so its start-up is not counted against any
repository. A publiccode.yml of indented lines under `legal:` is among them; `--hosts` first
runs `bench/hostile_hosts.py` (hosts that drip their answers or send them without end).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import hostile_hosts  # noqa: E402

from ospo_scan.config import load_ruleset  # noqa: E402
from ospo_scan.licences.scancode import full_index_expressions  # noqa: E402
from ospo_scan.scan.scanner import ProgressUpdate, Scanner  # noqa: E402
from ospo_scan.snapshot import MAX_READ_BYTES  # noqa: E402


def _fill(unit: str, head: str = "", tail: str = "") -> str:
    """`head`, then `unit` repeated, then `tail`: MAX_READ_BYTES of UTF-8 in all."""
    room = MAX_READ_BYTES - len((head + tail).encode())
    return head + unit * (room // len(unit.encode())) + tail


def _edited_licence(heading_every: int = 0) -> str:
    """Licence-like clauses no reference text explains, MAX_READ_BYTES of them; with
    `heading_every`, a Markdown heading each time that many bytes have been written."""
    parts: list[str] = []
    size = since_heading = index = 0
    while size < MAX_READ_BYTES:
        if heading_every and since_heading >= heading_every:
            parts.append(f"# Part {index}\n\n")
            since_heading = 0
        clause = (
            f"Clause {index}. The licensee may use, copy and modify the software, provided that "
            f"the licensor's notice number {index} is kept; the software is provided without "
            f"warranty, and the licensor shall not be liable for damages of kind {index % 13}.\n\n"
        )
        parts.append(clause)
        size += len(clause)
        since_heading += len(clause)
        index += 1
    return "".join(parts)[:MAX_READ_BYTES]


HOSTILE_FILES = {
    "security-letters": {"SECURITY.md": _fill("a")},
    "security-dots": {"SECURITY.md": _fill("a.")},
    "security-spaces": {"SECURITY.md": _fill(" ", "write to a@b", "c")},
    "security-urls": {"SECURITY.md": _fill("http://")},
    "security-gitlab-issues": {"SECURITY.md": _fill("/-/issues/new?")},
    "licence-brackets": {"LICENSE": _fill("[")},
    "licence-link-targets": {"LICENSE": _fill("](a")},
    "licence-comments": {"LICENSE": _fill("<!--")},
    "licence-styles": {"LICENSE": _fill("<style>")},
    "licence-spdx-spaces": {"LICENSE": _fill(" ", "SPDX-License-Identifier: MIT", "x")},
    "contributing-links": {"CONTRIBUTING.md": _fill("](")},
    "readme-heading-spaces": {"README.md": _fill(" ", "# Licence", "x")},
    "readme-tags": {"README.md": _fill("<")},
    "description-spaces": {"DESCRIPTION": _fill(" ", "Package: x\nLicense: MIT", "+ file")},
    "gemspec-brackets": {"x.gemspec": _fill("s.license = [")},
    "conduct-words": {"CODE_OF_CONDUCT.md": _fill("a ")},
    "licences-edited": {
        name: _edited_licence()
        for name in ("LICENSE", "COPYING", "COPYING.LESSER", "LICENSE-EXTRA")
    },
    "licence-edited-sections": {"LICENSE": _edited_licence(heading_every=40 * 1024)},
    "publiccode-indented-lines": {
        "publiccode.yml": _fill("              note: xxx\n", "legal:\n", "repoOwner: x\n")
    },
}


def generate(root: Path) -> None:
    everything: dict[str, str] = {}
    for name, files in HOSTILE_FILES.items():
        _repository(root / name, files)
        for path, text in files.items():
            everything.setdefault(path, text)
    _repository(root / "all-at-once", everything)


def _repository(path: Path, files: dict[str, str]) -> None:
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    environment = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(path)}
    for command in (
        ["git", "init", "-q"],
        ["git", "add", "-A"],
        ["git", "-c", "user.name=b", "-c", "user.email=b@example.org", "commit", "-qm", "x"],
    ):
        subprocess.run(command, cwd=path, check=True, env=environment)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    parser.add_argument(
        "--hosts", action="store_true", help="first the hosts of bench/hostile_hosts.py"
    )
    args = parser.parse_args()
    if args.hosts:
        hostile_hosts.run(deadline=30.0, max_mb=128)
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch) / "hostile"
        generate(root)
        full_index_expressions("warm the licence index up")
        started: dict[str, float] = {}

        def progress(update: ProgressUpdate) -> None:
            started[update.name] = time.perf_counter()

        begin = time.perf_counter()
        report = Scanner(load_ruleset(), progress=progress).scan([str(root)])
        end = time.perf_counter()
        order = sorted(started, key=started.__getitem__)
        for name, following in zip(order, [*order[1:], None], strict=True):
            stop = started[following] if following else end
            print(f"{name:24} {stop - started[name]:7.2f} s")
        print(f"{'whole scan':24} {end - begin:7.2f} s  ({len(report.repositories)} repositories,")
        print(f"{'':24} each file {MAX_READ_BYTES // 1024} KiB)")


if __name__ == "__main__":
    main()
