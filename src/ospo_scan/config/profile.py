"""The entity profile's own sections: `[contacts]`, `[readiness.YEAR]` (SPEC §9) and
`[principles.N]` (SPEC §11).

```toml
[contacts]                 # used by `fix`; never invented when absent
security = "security@agency.example.org"   # e-mail or URL of the private reporting channel
conduct = "conduct@agency.example.org"
maintainers = ["@agency/ospo"]

[readiness.2024]           # the entity's own survey answers, one table per year
ospo = "established"       # none | planned | in-progress | established
policy = "completed"       # none | developing | completed
guidelines = "developing"  # none | developing | completed
recommendations = true
best-practices = true

[principles.2]             # a UN Open Source Principle, numbered as published (1 to 8)
answer = "yes"             # yes | partly | no
evidence = "https://agency.example.org/open-source/contributions"   # the entity's own evidence
```

A key left out is no answer. Parsers take a `fail(message, key)` that builds the ConfigError
naming the file and line, so every problem reads `file:line: key: cause`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ospo_scan.errors import ConfigError
from ospo_scan.model.profile import (
    Contacts,
    DeclaredPrinciple,
    OspoStage,
    PrincipleAnswer,
    Progress,
    Readiness,
)

Fail = Callable[[str, tuple[str, ...]], ConfigError]
"""Builds the error for a problem at a key path (`("contacts", "security")`)."""

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}")
_URL = re.compile(r"https?://[^\s/?#<>()\[\]]{1,253}(?:[/?#][^\s<>()\[\]]{0,2000})?")
"""An http(s) URL without the brackets that would end or open a Markdown link or HTML tag in
the files fix mode writes with it."""
_OWNER = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9._-]{1,100})?")
"""A CODEOWNERS owner: `@user` or `@org/team`."""
_FIRST_YEAR, _LAST_YEAR = 2000, 2100
SURVEY_YEARS = (_FIRST_YEAR, _LAST_YEAR)
"""The survey years an entity file may name, first and last."""
PRINCIPLE_NUMBERS = tuple(str(n) for n in range(1, 9))
"""The UN Open Source Principles, numbered as published."""


def parse_contacts(table: Mapping[str, Any], fail: Fail) -> Contacts:
    """The `[contacts]` table."""
    _reject_unknown(table, ("security", "conduct", "maintainers"), ("contacts",), fail)
    maintainers = table.get("maintainers", [])
    if not isinstance(maintainers, list) or not all(isinstance(m, str) for m in maintainers):
        raise fail("must be a list of strings", ("contacts", "maintainers"))
    for owner in maintainers:
        if not (_OWNER.fullmatch(owner) or _EMAIL.fullmatch(owner)):
            raise fail(
                f"{owner!r} is not a CODEOWNERS owner (@user, @org/team or an e-mail address)",
                ("contacts", "maintainers"),
            )
    return Contacts(
        security=_channel(table, "security", fail),
        conduct=_channel(table, "conduct", fail),
        maintainers=tuple(maintainers),
    )


def parse_readiness(table: Mapping[str, Any], fail: Fail) -> dict[int, Readiness]:
    """The `[readiness.YEAR]` tables, by year."""
    years: dict[int, Readiness] = {}
    for year_key, answers in table.items():
        where = ("readiness", year_key)
        if not (year_key.isdigit() and _FIRST_YEAR <= int(year_key) <= _LAST_YEAR):
            raise fail(f"a year from {_FIRST_YEAR} to {_LAST_YEAR} was expected", where)
        if not isinstance(answers, dict):
            raise fail("must be a table of answers", where)
        allowed = ("ospo", "policy", "guidelines", "recommendations", "best-practices")
        _reject_unknown(answers, allowed, where, fail)
        years[int(year_key)] = Readiness(
            ospo=_choice(answers, "ospo", OspoStage, where, fail),
            policy=_choice(answers, "policy", Progress, where, fail),
            guidelines=_choice(answers, "guidelines", Progress, where, fail),
            recommendations=_flag(answers, "recommendations", where, fail),
            best_practices=_flag(answers, "best-practices", where, fail),
        )
    return dict(sorted(years.items()))


def parse_principles(table: Mapping[str, Any], fail: Fail) -> dict[str, DeclaredPrinciple]:
    """The `[principles.N]` tables, by principle number."""
    principles: dict[str, DeclaredPrinciple] = {}
    for number, declared in table.items():
        where = ("principles", number)
        if number not in PRINCIPLE_NUMBERS:
            raise fail("a UN Open Source Principle is numbered 1 to 8", where)
        if not isinstance(declared, dict):
            raise fail("must be a table with answer and evidence", where)
        _reject_unknown(declared, ("answer", "evidence"), where, fail)
        answer = _choice(declared, "answer", PrincipleAnswer, where, fail)
        if answer is None:
            raise fail("an answer is needed (yes, partly or no)", (*where, "answer"))
        evidence = declared.get("evidence")
        if evidence is not None and not (isinstance(evidence, str) and _URL.fullmatch(evidence)):
            raise fail("must be an http(s) URL", (*where, "evidence"))
        principles[number] = DeclaredPrinciple(answer, evidence)
    return dict(sorted(principles.items()))


def _reject_unknown(
    table: Mapping[str, Any], allowed: tuple[str, ...], where: tuple[str, ...], fail: Fail
) -> None:
    for key in table:
        if key not in allowed:
            raise fail(f"unknown key (allowed: {', '.join(allowed)})", (*where, key))


def _channel(table: Mapping[str, Any], key: str, fail: Fail) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if (
        not isinstance(value, str)
        or not value.isprintable()  # no control, line-separator or bidirectional character
        or not (_EMAIL.fullmatch(value) or _URL.fullmatch(value))
    ):
        raise fail(
            "must be an e-mail address or an http(s) URL (without <>()[] or control characters)",
            ("contacts", key),
        )
    return value


_Answer = TypeVar("_Answer", OspoStage, Progress, PrincipleAnswer)


def _choice(
    answers: Mapping[str, Any], key: str, kind: type[_Answer], where: tuple[str, ...], fail: Fail
) -> _Answer | None:
    value = answers.get(key)
    if value is None:
        return None
    allowed = [member.value for member in kind]
    if value not in allowed:
        raise fail(f"must be one of {', '.join(allowed)}", (*where, key))
    return kind(value)


def _flag(answers: Mapping[str, Any], key: str, where: tuple[str, ...], fail: Fail) -> bool | None:
    value = answers.get(key)
    if value is not None and not isinstance(value, bool):
        raise fail("must be true or false", (*where, key))
    return value
