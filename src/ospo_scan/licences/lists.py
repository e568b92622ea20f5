"""The approved-licence lists shipped with the rulesets (`rules/licences/*.toml`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ospo_scan._compat import tomllib

SHIPPED_LISTS = {"osi": "osi-approved.toml", "dpg": "dpg-approved.toml"}
DEFAULT_LISTS = ("osi", "dpg")


class LicenceListError(ValueError):
    """A licence list file is missing or malformed."""


@dataclass(frozen=True)
class LicenceList:
    id: str
    title: str
    source: str
    version: str
    licences: frozenset[str]


def rulesets_directory() -> Path:
    """The shipped rulesets: inside the installed package, else the source checkout's `rules/`."""
    installed = resources.files("ospo_scan") / "_rulesets"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parents[3] / "rules"


@cache
def shipped_list(name: str) -> LicenceList:
    """One of the lists that ship with ospo-scan, by its short name (`osi`, `dpg`)."""
    return load_list(rulesets_directory() / "licences" / SHIPPED_LISTS[name])


def load_list(path: Path) -> LicenceList:
    """A licence list file: a `[list]` table with `id`, `title`, `source`, `licences`."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LicenceListError(f"cannot read licence list {path}: {exc}") from exc
    table = data.get("list")
    licences = table.get("licences") if isinstance(table, dict) else None
    if not isinstance(table, dict) or not isinstance(licences, list):
        raise LicenceListError(f"{path}: expected a [list] table with a `licences` array")
    if not all(isinstance(item, str) for item in licences):
        raise LicenceListError(f"{path}: `licences` must hold SPDX ids as strings")
    return LicenceList(
        id=str(table.get("id", path.stem)),
        title=str(table.get("title", "")),
        source=str(table.get("source", "")),
        version=str(table.get("spdx-licence-list-version", "")),
        licences=frozenset(licences),
    )


@cache
def default_approved() -> frozenset[str]:
    """The licences approved when a ruleset says nothing: OSI-approved and DPG-approved."""
    return frozenset().union(*(shipped_list(name).licences for name in DEFAULT_LISTS))
