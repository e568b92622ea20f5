"""The README's account of giving up a host is the retry policy's, number for number."""

from __future__ import annotations

from pathlib import Path

from ospo_scan.connectors.github.client import RetryPolicy
from ospo_scan.connectors.interface import CONNECT_TIMEOUT

README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_gives_the_attempts_the_client_makes() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    policy = RetryPolicy()
    pauses = [
        min(policy.backoff * 2**attempt, policy.max_backoff)
        for attempt in range(policy.attempts - 1)
    ]
    shown = ", ".join(f"{pause:g}" for pause in pauses[:-1]) + f" and {pauses[-1]:g} s"
    assert f"refuses connections is given up after {policy.refused_attempts} attempts" in text
    assert f"stays silent after {policy.silent_attempts} timeouts" in text
    assert f"({CONNECT_TIMEOUT:g} s to connect, {policy.timeout} s per answer)" in text
    assert f"after {policy.attempts} attempts on GitHub, with pauses of {shown}" in text
