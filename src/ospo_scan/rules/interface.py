"""The rule plugin interface.

A rule reads a `Snapshot` (through a `RuleContext`) and returns a `Finding`. Rules never talk to
a host. Built-in rules are listed in `ospo_scan.rules.registry`; third-party rules register a
`Rule` subclass under the `ospo_scan.rules` entry-point group.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ospo_scan.errors import OspoScanError
from ospo_scan.model import Evidence, Finding, Outcome
from ospo_scan.snapshot import HostFact

if TYPE_CHECKING:
    from ospo_scan.licences import LicenceAnalysis, LicencePolicy
    from ospo_scan.snapshot import Snapshot

T = TypeVar("T")

CATEGORIES = ("documentation", "licensing", "security", "governance", "metadata", "maintenance")


class RuleError(OspoScanError):
    """A rule could not be evaluated, or was configured wrongly."""


class RuleContext:
    """What a rule may look at: the snapshot, its options, and analyses shared across rules."""

    def __init__(
        self,
        snapshot: Snapshot,
        options: Mapping[str, Any],
        licence_policy: LicencePolicy,
        *,
        shared: dict[str, Any] | None = None,
    ) -> None:
        self.snapshot = snapshot
        self.options = options
        self.licence_policy = licence_policy
        self._shared: dict[str, Any] = {} if shared is None else shared

    def with_options(self, options: Mapping[str, Any]) -> RuleContext:
        """The same repository, and the same shared analyses, seen with another rule's options."""
        return RuleContext(self.snapshot, options, self.licence_policy, shared=self._shared)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A value several rules need of this repository, computed once (`compute`)."""
        if key not in self._shared:
            self._shared[key] = compute()
        value: T = self._shared[key]
        return value

    @property
    def licence(self) -> LicenceAnalysis:
        """The repository's licence analysis, computed on first use and shared by licence rules."""
        if "licence" not in self._shared:
            from ospo_scan.licences import analyse

            self._shared["licence"] = analyse(self.snapshot, self.licence_policy)
        analysis: LicenceAnalysis = self._shared["licence"]
        return analysis

    @property
    def computed_licence(self) -> LicenceAnalysis | None:
        """The licence analysis if a rule needed it, else None (it is never computed here)."""
        analysis: LicenceAnalysis | None = self._shared.get("licence")
        return analysis


class Rule(ABC):
    """One check. Subclasses set the class attributes and implement `check`."""

    id: str
    """Stable id; never renamed once released."""
    category: str
    """One of CATEGORIES."""
    description: str
    """What the rule checks, one sentence."""
    help_url: str
    """Where the convention behind the rule is explained."""
    remediation: str
    """What a maintainer does to pass."""
    default_weight: float = 1.0
    """Weight when the ruleset does not set one."""
    host_only: bool = False
    """Needs a fact only a hosting platform supplies; not-applicable elsewhere."""
    host_facts: ClassVar[frozenset[HostFact]] = frozenset()
    """The host facts beyond every scan's that the rule reads: connectors ask only for those
    of the ruleset's rules."""
    option_types: ClassVar[Mapping[str, type]] = {}
    """Options a ruleset may set under `[rules.<id>.options]`, with their types."""
    option_defaults: ClassVar[Mapping[str, Any]] = {}
    """The value of each option the ruleset leaves unset."""

    def explain(self) -> tuple[tuple[str, str], ...]:
        """What the rule looks at, as (label, text) lines for `rules show`: the files it
        searches, what counts as a stub, the channels it accepts."""
        return ()

    @abstractmethod
    def check(self, context: RuleContext) -> Finding:
        """Evaluate the rule on one repository."""


def not_applicable(reason: str) -> Finding:
    return Finding(Outcome.NOT_APPLICABLE, reason)


def unknown(reason: str, *, settles: str, evidence: tuple[Evidence, ...] = ()) -> Finding:
    """The rule applies but its fact could not be observed: `reason` says why, `settles` what
    would settle it (a token permission, a person's review). Never a pass, never a fail."""
    sentence = reason.rstrip(". ")
    return Finding(Outcome.UNKNOWN, f"{sentence}. What would settle it: {settles}", evidence)
