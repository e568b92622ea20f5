r"""Regular expressions for text a repository supplies, run in time linear in that text.

Python's `re` backtracks, so a pattern as innocent as `[\w.+-]+@...` takes minutes on a file of
100,000 letters. RE2 never backtracks: its matching time is linear in the text for every pattern.
`linear` takes a pattern written for Python's `re` and compiles it with RE2 so that it matches
exactly what Python's `re` would:

- `\w`, `\s`, `\d` (and `\W`, `\S`, `\D` outside a class) become the Unicode sets Python gives
  them, computed from Python's own `re` once per process; RE2's own are ASCII;
- `$` without MULTILINE means "at the end" in RE2, and also before a final newline in Python:
  such patterns must consume trailing whitespace themselves (`\s*$`);
- what RE2 cannot do (backreferences, lookaround, `\b`) is refused when the pattern is compiled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import re2

from ospo_scan.untrusted.unicode_classes import CLASSES, class_body

_UNSUPPORTED_ESCAPES = frozenset("bBAZzG123456789")
_SURROGATE = re.compile("[\ud800-\udfff]")


class LinearPattern:
    """A compiled pattern with the part of `re.Pattern`'s interface the scanner uses."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        """The pattern in Python's syntax."""
        self.flags = flags
        """Python's `re` flags: IGNORECASE, MULTILINE and DOTALL are honoured."""
        options = re2.Options()
        options.log_errors = False
        try:
            self._compiled = re2.compile(_inline_flags(flags) + _translate(source), options)
        except re2.error as exc:
            raise ValueError(f"RE2 cannot compile {source!r}: {exc}") from exc

    def search(self, text: str) -> Any:
        return _safely(self._compiled.search, text)

    def match(self, text: str) -> Any:
        return _safely(self._compiled.match, text)

    def finditer(self, text: str) -> Iterator[Any]:
        return iter(_safely(lambda t: list(self._compiled.finditer(t)), text))

    def findall(self, text: str) -> list[Any]:
        return list(_safely(self._compiled.findall, text))

    def sub(self, replacement: str, text: str) -> str:
        result: str = _safely(lambda t: self._compiled.sub(replacement, t), text)
        return result


def linear(source: str, flags: int = 0) -> LinearPattern:
    """`source` (Python `re` syntax and flags) compiled to run in linear time."""
    return LinearPattern(source, flags)


def _safely(operation: Callable[[str], Any], text: str) -> Any:
    """RE2 takes UTF-8: a lone surrogate is matched as U+FFFD (one character for one)."""
    try:
        return operation(text)
    except UnicodeEncodeError:
        return operation(_SURROGATE.sub("\ufffd", text))


def _inline_flags(flags: int) -> str:
    unsupported = flags & ~(re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE)
    if unsupported:
        raise ValueError(f"flags RE2 cannot honour: {re.RegexFlag(unsupported)!r}")
    letters = "".join(
        letter
        for flag, letter in ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))
        if flags & flag
    )
    return f"(?{letters})" if letters else ""


def _translate(source: str) -> str:
    """Python's `\\w`, `\\s`, `\\d` spelt out for RE2; refuses what RE2 would read differently."""
    out: list[str] = []
    in_class = False
    class_start = 0
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\" and index + 1 < len(source):
            escaped = source[index + 1]
            index += 2
            if escaped.lower() in CLASSES:
                body = class_body(escaped.lower())
                if escaped.islower():
                    out.append(body if in_class else f"[{body}]")
                elif in_class:
                    raise ValueError(f"\\{escaped} inside a character class: {source!r}")
                else:
                    out.append(f"[^{body}]")
            elif escaped in _UNSUPPORTED_ESCAPES and not in_class:
                raise ValueError(f"\\{escaped} has no linear-time equivalent: {source!r}")
            else:
                out.append(char + escaped)
            continue
        if in_class:
            # `]` right after `[` or `[^` is a literal, as in Python.
            if char == "]" and len(out) > class_start:
                in_class = False
        elif char == "[":
            in_class = True
            class_start = len(out) + 1
            if source.startswith("[^", index):
                out.append("[^")
                index += 2
                continue
        elif source.startswith("(?=", index) or source.startswith("(?!", index):
            raise ValueError(f"lookahead has no linear-time equivalent: {source!r}")
        elif source.startswith("(?<", index) and not source.startswith("(?<P", index):
            raise ValueError(f"lookbehind has no linear-time equivalent: {source!r}")
        out.append(char)
        index += 1
    return "".join(out)
