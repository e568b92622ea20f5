"""Real licence texts for tests, read from scancode-toolkit's own licence data."""

from __future__ import annotations

from pathlib import Path

import licensedcode


def scancode_text(key: str) -> str:
    """The licence text scancode ships for `key` (e.g. `mit`, `apache-2.0`), without its header."""
    path = Path(licensedcode.__file__).parent / "data" / "licenses" / f"{key}.LICENSE"
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def with_copyright(text: str, holder: str = "2024 Example Org") -> str:
    """A licence text as projects carry it: a title line and a copyright line above it."""
    return f"Copyright (c) {holder}\n\n{text}"


MIT_TITLED = "MIT License\n\n" + with_copyright(scancode_text("mit"))
