"""Reading TOML so that every problem names its file, line and key."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ospo_scan._compat import tomllib
from ospo_scan.errors import ConfigError
from ospo_scan.untrusted.linear_regex import linear

TOO_DEEP = "arrays or tables nested too deeply"
"""Python's TOML parser recurses once per nesting level; past the interpreter's limit it fails."""
_LINE = re.compile(r"at line (\d+)")
_HEADER = linear(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def parse_toml(text: str, path: str) -> dict[str, Any]:
    """Parse TOML text, turning a syntax error into a ConfigError with its line."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        found = _LINE.search(str(exc))
        message = str(exc).split(" (at line")[0]
        raise ConfigError(
            f"invalid TOML: {message}", path=path, line=int(found.group(1)) if found else None
        ) from exc
    except RecursionError as exc:
        raise ConfigError(f"invalid TOML: {TOO_DEEP}", path=path) from exc


def load_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Read and parse a TOML file; returns the data and the text (for locating keys)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from exc
    return parse_toml(text, str(path)), text


def _split_dotted(header: str) -> tuple[str, ...]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s]+)', header)
    return tuple(a or b or c for a, b, c in parts)


def key_line(text: str, table: Sequence[str], key: str | None = None) -> int | None:
    """The line where `key` is set inside `[table]` (or the table's header when key is None)."""
    current: tuple[str, ...] = ()
    wanted = tuple(table)
    key_pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=") if key else None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = _split_dotted(header.group(1))
            if key is None and current == wanted:
                return number
            continue
        if key_pattern and current == wanted and key_pattern.match(line):
            return number
        # dotted keys at a parent level, e.g. `rules.readme.weight = 3` at top level
        if key and current == () and wanted:
            dotted = ".".join((*wanted, key))
            if re.match(rf"^\s*{re.escape(dotted)}\s*=", line):
                return number
    return None


class TableReader:
    """Typed access to one TOML table; every problem is a ConfigError naming file, line, key."""

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        path: str,
        text: str,
        table: Sequence[str] = (),
        first_line: int = 1,
    ):
        self.data = data
        self.path = path
        self.text = text
        """The text keys are looked up in: the file, or the part of it that holds the table."""
        self.table = tuple(table)
        self.first_line = first_line
        """The file's line number of the first line of `text`."""

    def error(self, message: str, key: str | None = None, hint: str | None = None) -> ConfigError:
        line = key_line(self.text, self.table, key) if key else key_line(self.text, self.table)
        if line is not None:
            line += self.first_line - 1
        full_key = ".".join((*self.table, key)) if key else ".".join(self.table) or None
        return ConfigError(message, path=self.path, line=line, key=full_key, hint=hint)

    def reject_unknown(self, allowed: Sequence[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.error(
                    "unknown key", key, hint=f"expected one of: {', '.join(sorted(allowed))}"
                )

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        if key not in self.data:
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.error(f"expected {_names(kinds)}, got a boolean", key)
        if not isinstance(value, kinds):
            raise self.error(f"expected {_names(kinds)}, got {type(value).__name__}", key)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(f"expected a finite number, got {value}", key)
        return value

    def string_list(self, key: str) -> tuple[str, ...]:
        value = self.get(key, (list, str), [])
        items = [value] if isinstance(value, str) else value
        if not all(isinstance(item, str) for item in items):
            raise self.error("expected a list of strings", key)
        return tuple(items)

    def sub(self, key: str) -> TableReader:
        value = self.get(key, dict, {})
        return TableReader(value, path=self.path, text=self.text, table=(*self.table, key))


def _names(kinds: tuple[type, ...]) -> str:
    names = {
        int: "a number",
        float: "a number",
        str: "a string",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))
