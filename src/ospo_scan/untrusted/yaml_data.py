"""YAML a repository wrote, read as plain data within bounds.

PyYAML's safe loader builds only plain values, never objects, but two things stay open on
untrusted text: aliases (`*a`) share one value many times, so a few hundred bytes can stand for
billions of nodes once walked (the "billion laughs"), and deep nesting exhausts the stack. Here a
document is refused when it would expand beyond `max_nodes` or nest beyond `max_depth`.

Scalars are read as YAML 1.2 reads them, as the schema languages that check such files do (CUE,
JSON Schema tools): `2025-03-01` stays a string, not a date; `yes`, `no`, `on` and `off` stay
strings; only `true` and `false` are booleans.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

MAX_NODES = 50_000
"""Values (mappings, lists, scalars, each alias counted as what it stands for) a document may
expand to."""
MAX_DEPTH = 64
"""How deeply mappings and lists may nest."""


class YamlDataError(ValueError):
    """The text is not YAML data within bounds; the message says why, and where when known."""


class _Yaml12Loader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's timestamps and yes/no/on/off booleans."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def load_yaml(text: str, *, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH) -> Any:
    """The one document of `text` as plain data; YamlDataError when it is not YAML, holds
    several documents, or would expand or nest beyond the bounds."""
    try:
        document = yaml.load(text, Loader=_Yaml12Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise YamlDataError(f"not valid YAML{where}: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise YamlDataError(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlDataError(f"nests more deeply than {max_depth} levels") from None
    _check_bounds(document, max_nodes, max_depth)
    return document


def _check_bounds(document: Any, max_nodes: int, max_depth: int) -> None:
    """Walks the document as a reader would (aliases expanded), stopping at the bounds."""
    pending: list[tuple[Any, int]] = [(document, 0)]
    seen = 0
    while pending:
        value, depth = pending.pop()
        seen += 1
        if seen > max_nodes:
            raise YamlDataError(f"expands to more than {max_nodes} values (aliases included)")
        if depth > max_depth:
            raise YamlDataError(f"nests more deeply than {max_depth} levels")
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for item in value.values())
            pending.extend((key, depth + 1) for key in value)
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
