"""Where the shipped data lives: rulesets, and their frameworks beside them."""

from __future__ import annotations

from pathlib import Path


def bundled_rulesets_dir() -> Path:
    """Where the shipped rulesets live: inside the wheel, or `rules/` in a source checkout."""
    from importlib.resources import files

    packaged = Path(str(files("ospo_scan"))) / "_rulesets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"
