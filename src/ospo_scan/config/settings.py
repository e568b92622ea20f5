"""Scan settings from files: `.ospo-scan.toml` or `[tool.ospo-scan]` in `pyproject.toml`.

Precedence is command line > environment (`OSPO_SCAN_<OPTION>`) > settings file > defaults;
the CLI hands what is read here to click as the command's default map.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ospo_scan.config._toml import TableReader, load_toml

SETTINGS_FILE = ".ospo-scan.toml"

SCAN_SETTINGS: dict[str, type | tuple[type, ...]] = {
    "ruleset": str,
    "format": str,
    "fail-under": (int, float),
    "include-archived": bool,
    "include-forks": bool,
    "include": list,
    "exclude": list,
    "visibility": str,
    "github-url": str,
    "gitlab-url": str,
    "token-env": str,
    "max-wait": (int, float),
    "host-licence": bool,
}
"""Settings a file may hold, with the types TOML gives them. `exemptions` may sit beside them."""


def find_settings(directory: Path) -> tuple[Path, tuple[str, ...]] | None:
    """The settings file in `directory`, with the TOML table that holds the settings."""
    own = directory / SETTINGS_FILE
    if own.is_file():
        return own, ()
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        data, _ = load_toml(pyproject)
        if isinstance(data.get("tool"), dict) and "ospo-scan" in data["tool"]:
            return pyproject, ("tool", "ospo-scan")
    return None


def load_settings(directory: Path) -> dict[str, Any]:
    """Scan settings as click's default map (option names with underscores)."""
    found = find_settings(directory)
    if found is None:
        return {}
    path, table_path = found
    data, text = load_toml(path)
    for key in table_path:
        data = data[key]
    table = TableReader(data, path=str(path), text=text, table=table_path)
    table.reject_unknown((*SCAN_SETTINGS, "exemptions"))
    settings: dict[str, Any] = {}
    for key, kind in SCAN_SETTINGS.items():
        value = table.get(key, kind)
        if value is None:
            continue
        if kind is list:
            value = table.string_list(key)
        settings[key.replace("-", "_")] = value
    return settings
