"""Worst-case texts for a backtracking pattern, generated from the pattern itself.

Exponential backtracking needs a repeated part that can match the same text in several ways,
followed by something that fails. So for each pattern: every prefix of one full match (with
each repetition taken many times over, `n` of them), as it is and with a stray character after
it, and each repeated part on its own, over and over. The texts are bounded by size; a pattern
that backtracks exponentially does not finish on them, one that is linear takes a moment.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from typing import Any

_NEW = sys.version_info >= (3, 11)
constants: Any = importlib.import_module("re._constants" if _NEW else "sre_constants")
parser: Any = importlib.import_module("re._parser" if _NEW else "sre_parse")

SIZE = 2000
"""Characters per worst case: far less than the texts a scan reads, yet 40 lines of an
ambiguous repetition are 40^40 ways to fail."""
_MOST_REPEATS = 40
_CANDIDATES = "a A0_-.:/@#\t\n<>[](){}*+"
_REPEATS = (constants.MAX_REPEAT, constants.MIN_REPEAT)


def worst_cases(pattern: re.Pattern[str], size: int = SIZE) -> list[str]:
    tokens = list(parser.parse(pattern.pattern, pattern.flags))
    repeats = _MOST_REPEATS
    while repeats > 1 and len(_sample(tokens, repeats)) > size:
        repeats -= 1
    cases: list[str] = []
    for end in range(len(tokens) + 1):
        prefix = _sample(tokens[:end], repeats)[:size]
        cases += [prefix, prefix + "\x00"]
    for body in _repeated_parts(tokens):
        unit = _sample(body, repeats)
        if unit:
            cases.append((unit * (size // len(unit) + 1))[:size])
    return cases


def _sample(tokens: Any, repeats: int) -> str:
    """One text the tokens match, each repetition taken `repeats` times where it may be."""
    out: list[str] = []
    for op, argument in tokens:
        if op is constants.LITERAL:
            out.append(chr(argument))
        elif op is constants.NOT_LITERAL:
            out.append("b" if argument == ord("a") else "a")
        elif op is constants.ANY:
            out.append("a")
        elif op is constants.IN:
            out.append(_member(argument))
        elif op in _REPEATS:
            low, high, body = argument
            out.append(_sample(body, repeats) * max(low, min(high, repeats)))
        elif op is constants.SUBPATTERN:
            out.append(_sample(argument[-1], repeats))
        elif op is constants.BRANCH:
            out.append(_sample(argument[1][0], repeats))
    return "".join(out)


def _member(items: list[tuple[Any, Any]]) -> str:
    """A character of a character class, or outside a negated one."""
    negated = bool(items) and items[0][0] is constants.NEGATE
    for character in _CANDIDATES:
        if _in_class(character, items[1:] if negated else items) != negated:
            return character
    return ""


def _in_class(character: str, items: list[tuple[Any, Any]]) -> bool:
    code = ord(character)
    for op, argument in items:
        if op is constants.LITERAL and argument == code:
            return True
        if op is constants.RANGE and argument[0] <= code <= argument[1]:
            return True
        if op is constants.CATEGORY:
            name = str(argument)
            kind = {
                "DIGIT": character.isdigit(),
                "SPACE": character.isspace(),
                "WORD": character.isalnum() or character == "_",
            }
            for category, holds in kind.items():
                if category in name and ("NOT" in name) != holds:
                    return True
    return False


def _repeated_parts(tokens: Any) -> Iterator[Any]:
    for op, argument in tokens:
        if op in _REPEATS:
            yield argument[2]
            yield from _repeated_parts(argument[2])
        elif op is constants.SUBPATTERN:
            yield from _repeated_parts(argument[-1])
        elif op is constants.BRANCH:
            for alternative in argument[1]:
                yield from _repeated_parts(alternative)
