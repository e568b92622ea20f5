"""Judging an SPDX expression against a licence policy.

An `AND` is as good as its worst part (every licence applies); an `OR` as good as its best
(the user may choose). A licence `WITH` an exception is judged by its licence.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from license_expression import AND, OR, ExpressionError, LicenseSymbol, LicenseWithExceptionSymbol

from ospo_scan.licences.lists import default_approved
from ospo_scan.licences.spdx import licence_ids, normalise, spdx_licensing

_PROPRIETARY = re.compile(r"^LicenseRef-scancode-(?:proprietary|commercial)", re.IGNORECASE)


@dataclass(frozen=True)
class LicencePolicy:
    """The ruleset's licence policy."""

    approved: frozenset[str] | None = None
    """SPDX ids the entity approves (None: the shipped OSI and DPG lists)."""
    default: str | None = None
    """The entity's preferred licence (an SPDX expression); other approved licences are then
    partial."""
    denied: frozenset[str] = frozenset()
    """SPDX ids never acceptable, whatever the lists say."""
    lists: tuple[str, ...] = ("osi", "dpg")
    """The names (or paths) of the lists `approved` was built from, for messages."""

    @cached_property
    def approved_licences(self) -> frozenset[str]:
        if self.approved is not None:
            return self.approved
        return default_approved()

    @cached_property
    def default_licences(self) -> frozenset[str]:
        if not self.default:
            return frozenset()
        return frozenset(licence_ids(normalise(self.default) or self.default))


def is_proprietary(expression: str) -> bool:
    """Whether an expression is only a proprietary licence (npm's UNLICENSED, "all rights
    reserved" notices): no licence granted at all."""
    return bool(_PROPRIETARY.match(expression.strip())) and " " not in expression.strip()


class Verdict(int, enum.Enum):
    """From best to worst."""

    DEFAULT = 0
    """The entity's default licence (or approved, when no default is set)."""
    APPROVED = 1
    """On the approved list, but not the entity's default."""
    NOT_APPROVED = 2
    PROPRIETARY = 3
    DENIED = 4


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    offending: tuple[str, ...] = ()
    """The licences that make the verdict what it is, when it is not DEFAULT."""


def judge(expression: str, policy: LicencePolicy) -> Judgement:
    """How an expression stands against the policy."""
    try:
        parsed = spdx_licensing().parse(expression)
    except ExpressionError:
        return Judgement(Verdict.NOT_APPROVED, (expression,))
    if parsed is None:
        return Judgement(Verdict.NOT_APPROVED, (expression,))
    return _judge(parsed, policy)


def _judge(node: Any, policy: LicencePolicy) -> Judgement:
    if isinstance(node, LicenseWithExceptionSymbol):
        return _leaf(str(node.license_symbol.key), policy)
    if isinstance(node, LicenseSymbol):
        return _leaf(str(node.key), policy)
    parts = [_judge(arg, policy) for arg in node.args]
    if isinstance(node, OR):
        best = min(p.verdict for p in parts)
        return Judgement(best, tuple(i for p in parts if p.verdict == best for i in p.offending))
    if isinstance(node, AND):
        worst = max(p.verdict for p in parts)
        offending = tuple(i for p in parts if p.verdict == worst for i in p.offending)
        return Judgement(worst, tuple(dict.fromkeys(offending)))
    return Judgement(Verdict.NOT_APPROVED, (str(node),))  # pragma: no cover - no other node kinds


def _leaf(licence: str, policy: LicencePolicy) -> Judgement:
    if licence in policy.denied:
        return Judgement(Verdict.DENIED, (licence,))
    if licence not in policy.approved_licences:
        if _PROPRIETARY.match(licence):
            return Judgement(Verdict.PROPRIETARY, (licence,))
        return Judgement(Verdict.NOT_APPROVED, (licence,))
    if policy.default_licences and licence not in policy.default_licences:
        return Judgement(Verdict.APPROVED, (licence,))
    return Judgement(Verdict.DEFAULT)
