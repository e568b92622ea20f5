"""How fast the local connector enumerates, lists and reads a generated entity.

    python bench/local_connector.py [--repositories 200] [--keep DIR]

Builds an entity of real git repositories (README, LICENSE, CONTRIBUTING, a `.github/` and a
`docs/` directory each, plus a `.github` defaults repository), then times, separately:
opening the target, building every snapshot (git metadata and listings), and reading every listed
file through the snapshot's bounded reader. Generation time is not part of the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ospo_scan.connectors.interface import ScanOptions, Target, TargetKind
from ospo_scan.connectors.local import LocalConnector
from ospo_scan.snapshot import EntryKind, Snapshot

_FILES = {
    "README.md": "# Project {n}\n\nInstall with `pip install project-{n}`.\n" * 20,
    "LICENSE": "Permission is hereby granted, free of charge, to any person...\n" * 20,
    "CONTRIBUTING.md": "Open an issue before a pull request.\n" * 30,
    ".github/CODEOWNERS": "* @team-{n}\n",
    ".github/dependabot.yml": "version: 2\n",
    "docs/SECURITY.md": "Report to security@example.org\n",
    "src/main.py": "print('hello')\n" * 100,
}


def _generate(entity: Path, count: int) -> None:
    environment = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    names = [".github"] + [f"project-{n:03d}" for n in range(count)]
    for n, name in enumerate(names):
        repo = entity / name
        for relative, content in _FILES.items():
            path = repo / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content.format(n=n))
        for arguments in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "initial"]):
            subprocess.run(["git", *arguments], cwd=repo, env=environment, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repositories", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="build the entity here and keep it")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        entity = arguments.keep or Path(scratch) / "entity"
        if not entity.exists():
            _generate(entity, arguments.repositories)

        started = time.perf_counter()
        source = LocalConnector().open(Target(TargetKind.LOCAL, str(entity)), ScanOptions())
        opened = time.perf_counter()
        snapshots = [r for r in source.repositories if isinstance(r, Snapshot)]
        listed = time.perf_counter()
        read_bytes = 0
        for snapshot in snapshots:
            for entries in snapshot.listings.values():
                for entry in entries:
                    if entry.kind is EntryKind.FILE:
                        text = snapshot.read_text(entry.path)
                        read_bytes += len(text.text) if text else 0
        done = time.perf_counter()

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"python {sys.version.split()[0]}, {len(snapshots)} snapshots")
    print(f"open:                 {1000 * (opened - started):8.1f} ms")
    print(f"snapshots (listings): {1000 * (listed - opened):8.1f} ms")
    print(f"read every listed:    {1000 * (done - listed):8.1f} ms ({read_bytes} characters)")
    print(f"total:                {1000 * (done - started):8.1f} ms")
    print(f"peak RSS:             {peak_kib / 1024:8.1f} MiB (whole process)")


if __name__ == "__main__":
    main()
