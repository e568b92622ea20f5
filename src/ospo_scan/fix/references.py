"""Files a generated file refers to: a CONTRIBUTING.md that sends readers to SECURITY.md and
CODE_OF_CONDUCT.md, say. Where the plan neither finds nor adds a referenced file (its fix was
skipped for lack of a contact), the proposed file carries a note saying so, rather than leaving
a reference that leads nowhere unsaid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from ospo_scan.fix.model import RepositoryPlan
from ospo_scan.model import Outcome, RepoReport

REFERABLE: dict[str, str] = {
    "SECURITY.md": "security-policy",
    "CODE_OF_CONDUCT.md": "code-of-conduct",
    "CONTRIBUTING.md": "contributing",
    "GOVERNANCE.md": "governance",
    "CHANGELOG.md": "changelog",
}
"""File names the bundled templates refer to, and the rule whose file each is."""


def present_in(repo: RepoReport) -> set[str]:
    """The rules whose file the repository has (own or inherited), whatever its quality."""
    return {
        result.rule
        for result in repo.results
        if result.evidence or result.outcome in (Outcome.PASS, Outcome.EXEMPT, Outcome.PARTIAL)
    }


def with_reference_notes(
    plan: RepositoryPlan, present: Iterable[str], skipped: Mapping[str, str]
) -> RepositoryPlan:
    """`plan` with a note on each proposed file that refers to a file that will not be there.

    `present`: rules whose file exists or is added elsewhere (the defaults repository);
    `skipped`: why a rule's fix was skipped, by rule (this plan's own skips come first).
    """
    available = set(present) | {f.rule for f in plan.files} | {c.rule for c in plan.covered}
    reasons = {**skipped, **{s.rule: s.reason for s in plan.skipped}}
    files = []
    for proposed in plan.files:
        notes = [
            _note(name, rule, reasons.get(rule))
            for name, rule in REFERABLE.items()
            if name in proposed.content and rule != proposed.rule and rule not in available
        ]
        files.append(replace(proposed, notes=tuple(notes)) if notes else proposed)
    return replace(plan, files=tuple(files))


def _note(name: str, rule: str, reason: str | None) -> str:
    why = f" ({rule} skipped: {reason})" if reason else ""
    return (
        f"refers to {name}, which is neither there nor in this plan{why}; "
        "add it or edit the reference"
    )
