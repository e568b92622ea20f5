"""What a rule concludes about one repository."""

from __future__ import annotations

import enum


class Outcome(str, enum.Enum):
    """What a rule concluded about one repository, from best to worst."""

    PASS = "pass"
    EXEMPT = "exempt"
    PARTIAL = "partial"
    FAIL = "fail"
    NOT_APPLICABLE = "not-applicable"
    UNKNOWN = "unknown"
    """The rule applies but its fact could not be observed (the token may not read it, or only
    a person can judge it): never a pass or a fail."""
    ERROR = "error"

    @property
    def counts(self) -> bool:
        """Whether the outcome enters the score's denominator."""
        return self not in (Outcome.NOT_APPLICABLE, Outcome.UNKNOWN, Outcome.ERROR)

    @property
    def severity(self) -> int:
        """Ordering for display: 0 is best."""
        return _SEVERITY[self]


_SEVERITY = {
    Outcome.PASS: 0,
    Outcome.EXEMPT: 1,
    Outcome.NOT_APPLICABLE: 2,
    Outcome.UNKNOWN: 3,
    Outcome.PARTIAL: 4,
    Outcome.FAIL: 5,
    Outcome.ERROR: 6,
}
