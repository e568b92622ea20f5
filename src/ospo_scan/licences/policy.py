"""A ruleset's `[licences]` table as a `LicencePolicy`.

    [licences]
    approved = ["osi", "dpg"]        # shipped lists by name, or paths to list files (TOML)
    allow = ["LicenseRef-Our-Own"]   # extra licences approved on top of the lists
    deny = ["AGPL-3.0-only"]         # never approved, whatever the lists say
    default = "Apache-2.0"           # the entity's licence; other approved ones are partial

With no table (or no `approved` key) the shipped OSI and DPG lists apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ospo_scan.errors import ConfigError
from ospo_scan.licences.approval import LicencePolicy
from ospo_scan.licences.lists import (
    DEFAULT_LISTS,
    SHIPPED_LISTS,
    LicenceListError,
    load_list,
    shipped_list,
)
from ospo_scan.licences.spdx import normalise

KEYS = ("approved", "allow", "deny", "default")


def licence_policy_from_table(
    table: Mapping[str, Any], *, path: str, base_dir: Path
) -> LicencePolicy:
    """The policy a `[licences]` table describes; ConfigError names the file and key at fault."""
    for key in table:
        if key not in KEYS:
            raise ConfigError(
                f"unknown key (expected one of: {', '.join(KEYS)})",
                path=path,
                key=f"licences.{key}",
            )
    lists = _strings(table, "approved", path) if "approved" in table else list(DEFAULT_LISTS)
    approved: set[str] = set()
    for name in lists:
        approved |= _list_licences(name, path=path, base_dir=base_dir)
    allow = _licence_ids(table, "allow", path)
    deny = _licence_ids(table, "deny", path)
    default = table.get("default")
    if default is not None:
        if not isinstance(default, str) or normalise(default) is None:
            raise ConfigError(
                f"{default!r} is not a valid SPDX expression",
                path=path,
                key="licences.default",
                hint="use an SPDX id such as Apache-2.0",
            )
        default = normalise(default)
    return LicencePolicy(
        approved=frozenset(approved | allow),
        default=default,
        denied=frozenset(deny),
        lists=tuple(lists),
    )


def _strings(table: Mapping[str, Any], key: str, path: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError("expected an array of strings", path=path, key=f"licences.{key}")
    return list(value)


def _licence_ids(table: Mapping[str, Any], key: str, path: str) -> frozenset[str]:
    ids = set()
    for value in _strings(table, key, path):
        normalised = normalise(value)
        if normalised is None or " " in normalised:
            raise ConfigError(
                f"{value!r} is not an SPDX licence id",
                path=path,
                key=f"licences.{key}",
                hint="use ids from https://spdx.org/licenses/ or LicenseRef-<name>",
            )
        ids.add(normalised)
    return frozenset(ids)


def _list_licences(name: str, *, path: str, base_dir: Path) -> frozenset[str]:
    try:
        if name in SHIPPED_LISTS:
            return shipped_list(name).licences
        list_path = (base_dir / name).resolve()
        if not list_path.is_file():
            raise ConfigError(
                f"unknown licence list {name!r}",
                path=path,
                key="licences.approved",
                hint=f"name a shipped list ({', '.join(SHIPPED_LISTS)}) or a TOML file",
            )
        return load_list(list_path).licences
    except LicenceListError as exc:
        raise ConfigError(str(exc), path=path, key="licences.approved") from exc
