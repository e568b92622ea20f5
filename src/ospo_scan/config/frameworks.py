"""Frameworks as data: `rules/frameworks/ID.toml`, and the items a ruleset's rules evidence.

```toml
id = "un-principles"
title = "UN Open Source Principles"
version = "2024"
url = "https://..."

[[items]]
id = "3"
title = "Secure by design"
meaning = "Making security a priority in all software projects."
level = 1          # optional: a levelled framework's level
group = "..."      # optional: a grouped framework's group
```

A ruleset names items as `FRAMEWORK:ITEM` (`evidences = ["un-principles:3", "dpg:2"]`); an
unknown framework or item is a configuration error naming the ruleset's file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from ospo_scan.config._bundled import bundled_rulesets_dir
from ospo_scan.config._toml import TableReader, load_toml
from ospo_scan.errors import ConfigError

_TOP_KEYS = ("id", "title", "version", "url", "items")
_ITEM_KEYS = ("id", "title", "meaning", "level", "group")


@dataclass(frozen=True)
class FrameworkItem:
    """One item of a framework: a principle, an indicator, a control."""

    id: str
    """Its id within the framework, as published."""
    title: str
    """Its published title."""
    meaning: str
    """What it asks, in one line."""
    level: int | None = None
    """Its level, in a levelled framework."""
    group: str | None = None
    """Its group, in a grouped framework."""


@dataclass(frozen=True)
class Framework:
    """A framework whose items rules can evidence."""

    id: str
    title: str
    version: str
    url: str
    items: tuple[FrameworkItem, ...]
    """In published order."""

    def item(self, item_id: str) -> FrameworkItem | None:
        return next((item for item in self.items if item.id == item_id), None)


@dataclass(frozen=True)
class ItemRef:
    """`FRAMEWORK:ITEM`, as a ruleset writes it."""

    framework: str
    item: str

    def __str__(self) -> str:
        return f"{self.framework}:{self.item}"


@dataclass(frozen=True)
class FrameworkMapping:
    """Which framework items each rule of a ruleset evidences."""

    frameworks: tuple[Framework, ...] = ()
    """The frameworks the ruleset maps to, in the order it first names them."""
    evidences: Mapping[str, tuple[ItemRef, ...]] = field(default_factory=dict)
    """Rule id -> the items it evidences."""

    def framework(self, framework_id: str) -> Framework | None:
        return next((f for f in self.frameworks if f.id == framework_id), None)

    def rules_for(self, ref: ItemRef) -> tuple[str, ...]:
        """The rules mapped to an item, in ruleset order."""
        return self._rules_by_item.get(ref, ())

    @cached_property
    def _rules_by_item(self) -> dict[ItemRef, tuple[str, ...]]:
        """`rules_for` of every mapped item, built once: a scan asks it per repository and
        item."""
        rules: dict[ItemRef, list[str]] = {}
        for rule, refs in self.evidences.items():
            for ref in dict.fromkeys(refs):
                rules.setdefault(ref, []).append(rule)
        return {ref: tuple(names) for ref, names in rules.items()}


def frameworks_dir() -> Path:
    """Where the shipped frameworks live: `frameworks/` beside the bundled rulesets."""
    return bundled_rulesets_dir() / "frameworks"


def bundled_framework_ids() -> list[str]:
    return sorted(p.stem for p in frameworks_dir().glob("*.toml"))


@cache
def load_framework(framework_id: str) -> Framework | None:
    """A shipped framework by id, or None when there is none of that id."""
    path = frameworks_dir() / f"{framework_id}.toml"
    if "/" in framework_id or "\\" in framework_id or not path.is_file():
        return None
    return parse_framework(path)


def parse_framework(path: Path) -> Framework:
    data, text = load_toml(path)
    top = TableReader(data, path=str(path), text=text)
    top.reject_unknown(_TOP_KEYS)
    for key in ("id", "title", "version", "url"):
        if not top.get(key, str):
            raise top.error("a framework needs this key", key)
    raw_items = top.get("items", list, [])
    if not raw_items:
        raise top.error("a framework needs [[items]]", "items")
    items: list[FrameworkItem] = []
    for number, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            raise top.error("expected [[items]] tables", "items")
        item = TableReader(raw, path=str(path), text=text, table=("items",))
        item.reject_unknown(_ITEM_KEYS)
        item_id = item.get("id", str)
        title = item.get("title", str)
        if not item_id or not title:
            raise ConfigError(f"item {number} needs an id and a title", path=str(path))
        if any(i.id == item_id for i in items):
            raise ConfigError(f"item id {item_id!r} is given twice", path=str(path))
        items.append(
            FrameworkItem(
                id=item_id,
                title=title,
                meaning=item.get("meaning", str, ""),
                level=item.get("level", int),
                group=item.get("group", str),
            )
        )
    return Framework(
        id=top.get("id", str),
        title=top.get("title", str),
        version=top.get("version", str),
        url=top.get("url", str),
        items=tuple(items),
    )


def item_refs(table: TableReader) -> tuple[ItemRef, ...]:
    """A rule table's `evidences`, each checked against the shipped frameworks."""
    refs: list[ItemRef] = []
    for entry in table.string_list("evidences"):
        framework_id, colon, item_id = entry.partition(":")
        if not colon or not framework_id or not item_id:
            raise table.error(
                f"{entry!r} is not FRAMEWORK:ITEM", "evidences", hint='e.g. "un-principles:3"'
            )
        framework = load_framework(framework_id)
        if framework is None:
            raise table.error(
                f"unknown framework {framework_id!r}",
                "evidences",
                hint=f"frameworks: {', '.join(bundled_framework_ids())}",
            )
        if framework.item(item_id) is None:
            raise table.error(
                f"{framework_id} has no item {item_id!r}",
                "evidences",
                hint=f"items: {', '.join(i.id for i in framework.items)}",
            )
        ref = ItemRef(framework_id, item_id)
        if ref not in refs:
            refs.append(ref)
    return tuple(refs)
