"""Translate the OpenSSF Security Insights CUE schemas into JSON Schema, one per version.

The specification (`ossf/security-insights`) publishes its schema in CUE only (`schema.cue` at
v2.0.0 and v2.1.0, `spec/schema.cue` at v2.2.0). The CUE files are copied as they are into
`src/ospo_scan/schema/security-insights/` and this script translates each into a JSON Schema
beside it; `tests/rules/test_insights_schema.py` runs the translation again on the copies and
checks the published templates and examples of every version against the result.

    git clone https://github.com/ossf/security-insights
    python scripts/translate_security_insights.py security-insights

The CUE the specification uses is a small subset, translated construct by construct:

| CUE | JSON Schema |
|---|---|
| `#Name: {...}` (a definition: closed, recursively) | `$defs.Name`; `additionalProperties: false` |
| a regular field `name: {...}` (v2.0.0's top level) | an open object |
| `field?: T` / `field: T` | a property; required unless `?` |
| `string`, `bool` | `{"type": "string"}`, `{"type": "boolean"}` |
| `=~"re"` (RE2) | `{"type": "string", "pattern": "re"}` (validated with RE2 too) |
| `time.Format("2006-01-02")` | a string of the form YYYY-MM-DD that is a calendar date |
| `"a" \\| "b"` | `{"enum": ["a", "b"]}`; other disjunctions `anyOf` |
| `[...T]` / `[T, ...]` / `["x"]` | arrays of T / of at least one T / exactly `["x"]` |

The root is `#SecurityInsights` where the file defines it (v2.1.0, v2.2.0: the v2.2.0 Makefile
vets with `-d '#SecurityInsights'`), else the file's top-level fields (v2.0.0).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPOSITORY = "https://github.com/ossf/security-insights"
RELEASES: dict[str, tuple[str, str]] = {
    "2.0.0": ("eb6888a23a8df1f723c876dd03e0d6bddfafdcc1", "schema.cue"),
    "2.1.0": ("6656e711d284f9933c6695bd73a405fde8395089", "schema.cue"),
    "2.2.0": ("701ac2a02ef17fc8b316f5df685428773c51372a", "spec/schema.cue"),
}
"""Version -> (the commit its tag `vX.Y.Z` points at, the schema's path there)."""
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_PUNCTUATION = "{}[]:?,|()"


class CueError(ValueError):
    """The CUE text uses a construct outside the subset translated here."""


@dataclass(frozen=True)
class Token:
    kind: str
    """`ident`, `string`, `regex` (`=~`), `ellipsis`, or the punctuation character itself."""
    text: str
    comment: str = ""
    """The `//` comment lines just before the token."""


def tokens(source: str) -> list[Token]:
    found: list[Token] = []
    comment: list[str] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char.isspace():
            if char == "\n" and source[i - 1 : i] == "\n":
                comment = []
            i += 1
        elif source.startswith("//", i):
            end = source.find("\n", i)
            end = len(source) if end < 0 else end
            comment.append(source[i + 2 : end].strip())
            i = end
        elif char == "@":  # an attribute (`@go(...)`): Go code generation only
            depth, i = 0, source.index("(", i)
            while True:
                depth += {"(": 1, ")": -1}.get(source[i], 0)
                i += 1
                if depth == 0:
                    break
        elif char == '"':
            end = i + 1
            while source[end] != '"':
                end += 2 if source[end] == "\\" else 1
            found.append(Token("string", json.loads(source[i : end + 1]), " ".join(comment)))
            comment, i = [], end + 1
        elif source.startswith("=~", i):
            found.append(Token("regex", "=~"))
            i += 2
        elif source.startswith("...", i):
            found.append(Token("ellipsis", "..."))
            i += 3
        elif char in _PUNCTUATION:
            found.append(Token(char, char))
            comment, i = [], i + 1
        elif char.isalnum() or char in "#_.":
            end = i
            while end < len(source) and (source[end].isalnum() or source[end] in "#_."):
                end += 1
            found.append(Token("ident", source[i:end], " ".join(comment)))
            comment, i = [], end
        else:
            raise CueError(f"unexpected {char!r} at offset {i}")
    return found


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokens(source)
        self.at = 0

    def peek(self, offset: int = 0) -> Token | None:
        index = self.at + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, kind: str | None = None) -> Token:
        token = self.peek()
        if token is None or (kind is not None and token.kind != kind):
            raise CueError(f"expected {kind}, found {token}")
        self.at += 1
        return token

    def skip(self, kind: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == kind:
            self.at += 1
            return True
        return False

    def file(self) -> list[tuple[str, bool, str, Any]]:
        token = self.peek()
        if token is not None and token.text == "package":
            self.take()
            self.take("ident")
        token = self.peek()
        if token is not None and token.text == "import":
            self.take()
            self.take("(")
            while not self.skip(")"):
                self.take("string")
        return self.fields(until=None)

    def fields(self, until: str | None) -> list[tuple[str, bool, str, Any]]:
        """(label, optional, comment, value) of each field up to `until` (None: the end)."""
        found = []
        while (token := self.peek()) is not None and token.kind != until:
            label = self.take()
            if label.kind not in ("ident", "string"):
                raise CueError(f"a field label, not {label}")
            optional = self.skip("?")
            self.take(":")
            found.append((label.text, optional, label.comment, self.disjunction()))
            self.skip(",")
        if until is not None:
            self.take(until)
        return found

    def disjunction(self) -> Any:
        options = [self.operand()]
        while self.skip("|"):
            options.append(self.operand())
        return options[0] if len(options) == 1 else ("or", options)

    def operand(self) -> Any:
        token = self.take()
        if token.kind == "regex":
            return ("regex", self.take("string").text)
        if token.kind == "string":
            return ("literal", token.text)
        if token.kind == "{":
            return ("struct", self.fields(until="}"))
        if token.kind == "[":
            return self.list_body()
        if token.kind == "ident" and token.text == "time.Format":
            self.take("(")
            layout = self.take("string").text
            self.take(")")
            if layout != "2006-01-02":
                raise CueError(f"time layout {layout!r}")
            return ("date",)
        if token.kind == "ident":
            return ("name", token.text)
        raise CueError(f"unexpected {token}")

    def list_body(self) -> Any:
        if self.skip("ellipsis"):
            element = self.operand()
            self.take("]")
            return ("list", element, 0)
        items = [self.disjunction()]
        while self.skip(","):
            if self.skip("ellipsis"):
                self.take("]")
                return ("list", items[0], len(items)) if len(items) == 1 else _unsupported()
            items.append(self.disjunction())
        self.take("]")
        return ("tuple", items)


def _unsupported() -> Any:
    raise CueError("a list of several fixed elements followed by more")


def _schema(value: Any, closed: bool) -> dict[str, Any]:
    kind = value[0]
    if kind == "name":
        name = value[1]
        if name.startswith("#"):
            return {"$ref": f"#/$defs/{name[1:]}"}
        if name == "string":
            return {"type": "string"}
        if name == "bool":
            return {"type": "boolean"}
        raise CueError(f"type {name!r}")
    if kind == "regex":
        return {"type": "string", "pattern": value[1]}
    if kind == "date":
        return {"type": "string", "pattern": DATE_PATTERN, "format": "date"}
    if kind == "literal":
        return {"const": value[1]}
    if kind == "or":
        options = [_schema(option, closed) for option in value[1]]
        if all(set(option) == {"const"} for option in options):
            return {"enum": [option["const"] for option in options]}
        return {"anyOf": options}
    if kind == "list":
        schema: dict[str, Any] = {"type": "array", "items": _schema(value[1], closed)}
        if value[2]:
            schema["minItems"] = value[2]
        return schema
    if kind == "tuple":
        items = [_schema(item, closed) for item in value[1]]
        return {"type": "array", "prefixItems": items, "items": False, "minItems": len(items)}
    if kind == "struct":
        return _object(value[1], closed)
    raise CueError(f"construct {kind!r}")


def _object(fields: list[tuple[str, bool, str, Any]], closed: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for label, _, comment, value in fields:
        schema = _schema(value, closed)
        if comment:
            schema = {"description": comment, **schema}
        properties[label] = schema
    schema = {"type": "object", "properties": properties}
    required = [label for label, optional, _, _ in fields if not optional]
    if required:
        schema["required"] = required
    if closed:
        schema["additionalProperties"] = False
    return schema


def translate(source: str, version: str) -> dict[str, Any]:
    """The JSON Schema of one version's CUE schema."""
    fields = _Parser(source).file()
    definitions = {
        label[1:]: (comment, value) for label, _, comment, value in fields if label[0] == "#"
    }
    regular = [field for field in fields if not field[0].startswith("#")]
    defs: dict[str, Any] = {}
    for name, (comment, value) in definitions.items():
        definition = _schema(value, closed=True)
        defs[name] = {"description": comment, **definition} if comment else definition
    commit, path = RELEASES[version]
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://ospo-scan.invalid/security-insights/v{version}.json",
        "title": f"OpenSSF Security Insights {version}",
        "$comment": f"Translated from {REPOSITORY}/blob/{commit}/{path} by "
        "scripts/translate_security_insights.py; see that script for how.",
    }
    if "SecurityInsights" in defs:
        schema["$ref"] = "#/$defs/SecurityInsights"
    elif regular:
        schema.update(_object(regular, closed=False))
    else:
        raise CueError("neither #SecurityInsights nor top-level fields")
    schema["$defs"] = defs
    return schema


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    checkout = Path(argv[1])
    target = Path(__file__).resolve().parent.parent / "src/ospo_scan/schema/security-insights"
    for version, (commit, path) in RELEASES.items():
        source = subprocess.run(
            ["git", "-C", str(checkout), "show", f"{commit}:{path}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (target / f"v{version}.cue").write_text(source, encoding="utf-8")
        (target / f"v{version}.json").write_text(
            schema_text(translate(source, version)), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
