"""Benchmark: hosts that drip their answers or send them without end, scanned on GitHub and GitLab.

    python bench/hostile_hosts.py [--deadline SECONDS] [--max-mb N]

Local sockets stand in for the hosts: one answers one byte every two seconds (the status line,
the headers, then the body), one sends a body with no length, 3 GB of it if the client keeps
reading. Reports, per host and kind, the wall time of the scan, how much it grew the process
(peak resident memory), how many bytes the host managed to send, and the target's error row.
`bench/hostile.py` runs it first.
"""

from __future__ import annotations

import argparse
import resource
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ospo_scan.config import load_ruleset  # noqa: E402
from ospo_scan.connectors.interface import ScanOptions  # noqa: E402
from ospo_scan.scan.scanner import Scanner  # noqa: E402

sys.path.insert(0, str(ROOT))
from tests.connectors.hostile_host import HostileHost  # noqa: E402

_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
Answer = Callable[[HostileHost, socket.socket], None]


def drip(host: HostileHost, connection: socket.socket) -> None:
    answer = _HEAD + b"Content-Length: 1000000\r\n\r\n" + b" " * 1_000_000
    for index in range(len(answer)):
        if host.closed():
            return
        host.send(connection, answer[index : index + 1])
        time.sleep(2.0)


def endless(host: HostileHost, connection: socket.socket) -> None:
    host.send(connection, _HEAD + b"Connection: close\r\n\r\n[")
    piece = b"0," * 524288
    for _ in range(3 * 1024**3 // len(piece)):
        if host.closed():
            return
        host.send(connection, piece)


def run(deadline: float, max_mb: int) -> None:
    ruleset = load_ruleset()
    options = ScanOptions(answer_deadline=deadline, max_answer_bytes=max_mb * 1024 * 1024)
    for answer in (drip, endless):
        for kind in ("github", "gitlab"):
            host = HostileHost(answer)
            url = f"http://127.0.0.1:{host.port}" + ("/api/v3" if kind == "github" else "")
            target = "github:un-org" if kind == "github" else "gitlab:top"
            if kind == "github":
                options_here = replace(options, github_url=url)
            else:
                options_here = replace(options, gitlab_url=url)
            peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            begin = time.perf_counter()
            report = Scanner(ruleset, options_here).scan([target])
            seconds = time.perf_counter() - begin
            grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
            host.close()
            (row,) = report.repositories
            print(
                f"{answer.__name__:8} {kind:7} {seconds:7.2f} s  +{grown // 1024:5} MiB peak  "
                f"{host.sent / 1024 / 1024:8.2f} MiB sent  {row.status.value}: "
                f"{(row.error or '')[:90]}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadline", type=float, default=30.0, help="--answer-deadline")
    parser.add_argument("--max-mb", type=int, default=128, help="--max-answer-mb")
    args = parser.parse_args()
    run(args.deadline, args.max_mb)


if __name__ == "__main__":
    main()
