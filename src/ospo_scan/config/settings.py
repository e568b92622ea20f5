"""Scan settings from files: the user's configuration file, and `[tool.ospo-scan]` in the
working directory's `pyproject.toml`.

Precedence is command line > environment (`OSPO_SCAN_<OPTION>`) > `pyproject.toml` > the user's
configuration file > defaults; the CLI hands what is read here to click as the default map.

Where a token goes is never decided by a file found in the working directory, which may be a
cloned repository: `github-url`, `gitlab-url` and `token-env` come only from the command line,
the environment or the user's own configuration file (`config.toml` in the platform's user
configuration directory, or the file `OSPO_SCAN_CONFIG` names). `.ospo-scan.toml` is a scanned
repository's exemptions file and is not read as settings.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs

from ospo_scan.config._toml import TableReader, load_toml, parse_toml
from ospo_scan.errors import ConfigError

USER_CONFIG_VARIABLE = "OSPO_SCAN_CONFIG"
REPOSITORY_FILE = ".ospo-scan.toml"
"""A scanned repository's exemptions; once also a settings file, which it no longer is."""

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
    "progress-interval": (int, float),
}
"""Settings a file may hold, with the types TOML gives them."""


TOKEN_ROUTING = ("github-url", "gitlab-url", "token-env")
"""Settings that decide which host receives a token, or which token it receives."""


def user_config_path() -> Path:
    """The user's own configuration file (it need not exist)."""
    named = os.environ.get(USER_CONFIG_VARIABLE, "").strip()
    if named:
        return Path(named)
    return Path(platformdirs.user_config_dir("ospo-scan", appauthor=False)) / "config.toml"


def load_settings(directory: Path) -> tuple[dict[str, Any], list[str]]:
    """Scan settings as click's default map (option names with underscores), and warnings."""
    settings: dict[str, Any] = {}
    user = user_config_path()
    if user.is_file():
        data, text = load_toml(user)
        settings.update(_settings(TableReader(data, path=str(user), text=text)))
    project = directory / "pyproject.toml"
    if project.is_file():
        data, text = load_toml(project)
        tool = data.get("tool")
        if isinstance(tool, dict) and isinstance(tool.get("ospo-scan"), dict):
            table = TableReader(
                tool["ospo-scan"], path=str(project), text=text, table=("tool", "ospo-scan")
            )
            _refuse_token_routing(table, user)
            settings.update(_settings(table))
    return settings, _stale_settings_file(directory, user)


def _settings(table: TableReader) -> dict[str, Any]:
    table.reject_unknown(tuple(SCAN_SETTINGS))
    settings: dict[str, Any] = {}
    for key, kind in SCAN_SETTINGS.items():
        value = table.get(key, kind)
        if value is None:
            continue
        if kind is list:
            value = table.string_list(key)
        settings[key.replace("-", "_")] = value
    return settings


def _refuse_token_routing(table: TableReader, user: Path) -> None:
    for key in TOKEN_ROUTING:
        if key in table.data:
            raise table.error(
                "decides where a token is sent, so a file in the working directory may not set it",
                key,
                hint=f"give --{key} or {_variable(key)}, or set it in {user}",
            )


def _variable(key: str) -> str:
    return "OSPO_SCAN_" + key.upper().replace("-", "_")


def _stale_settings_file(directory: Path, user: Path) -> list[str]:
    """A warning when the working directory's `.ospo-scan.toml` holds settings, now ignored."""
    path = directory / REPOSITORY_FILE
    try:
        if not path.is_file():
            return []
        data = parse_toml(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError, ConfigError):
        return []
    stale = sorted(key for key in data if key in SCAN_SETTINGS)
    if not stale:
        return []
    return [
        f"{REPOSITORY_FILE} in the working directory sets {', '.join(stale)}, which is no longer "
        f"read there (it is a repository's exemptions file): move the settings to "
        f"[tool.ospo-scan] in pyproject.toml or to {user}"
    ]
