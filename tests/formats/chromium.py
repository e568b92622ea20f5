"""Headless Chromium for the HTML report tests: render a file, dump its DOM, take a screenshot."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_SECONDS = 120

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    """The path of a Chromium binary, or None when none is installed."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(
    binary: str, page: Path | str, profile: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """Chromium on a file (a Path) or a URL (a str)."""
    address = page.resolve().as_uri() if isinstance(page, Path) else page
    return subprocess.run(
        [binary, *_FLAGS, f"--user-data-dir={profile}", *extra, address],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=True,
    )


def dump_dom(binary: str, page: Path | str, profile: Path) -> str:
    """The page's DOM after Chromium has parsed and laid it out, serialised as HTML."""
    return _run(binary, page, profile, "--dump-dom").stdout


def screenshot(
    binary: str, page: Path, profile: Path, png: Path, *, height: int = 2000, width: int = 1280
) -> None:
    """A PNG of the page, 1280 pixels wide unless told otherwise."""
    _run(binary, page, profile, f"--screenshot={png.resolve()}", f"--window-size={width},{height}")


def load(binary: str, page: Path | str, profile: Path) -> tuple[str, list[str]]:
    """The page's DOM after loading, and every message it wrote to the console (errors,
    refused requests) while it loaded."""
    done = _run(binary, page, profile, "--enable-logging=stderr", "--v=0", "--dump-dom")
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console
