"""What to fix first: the few actions that recover the most points of the entity score.

The entity score is the mean of the in-scope repositories' scores, so fixing one rule in one
repository recovers `100 * weight * (1 - score) / counted weight` of that repository's score,
divided by the number of scored repositories. Actions gather a rule's fixes across the entity.
Where the rule's file can be inherited from the organisation's `.github` repository (SPEC §3)
and a repository has no file of its own, one organisation-wide file fixes them all; those
actions come first, as one file is less work than many.
"""

from __future__ import annotations

from dataclasses import dataclass

from ospo_scan.model import EvidenceSource, Outcome, Report, RepoStatus, RuleResult

ORGANISATION_FILES: dict[str, str] = {
    "contributing": "CONTRIBUTING.md",
    "code-of-conduct": "CODE_OF_CONDUCT.md",
    "security-policy": "SECURITY.md",
    "governance": "GOVERNANCE.md",
}
"""Rules whose file a repository inherits from the organisation's `.github` repository."""

_TO_FIX = (Outcome.FAIL, Outcome.PARTIAL)


@dataclass(frozen=True)
class Action:
    """One thing to do, and what it is worth."""

    rule: str
    """The rule the action makes pass."""
    organisation_wide: bool
    """One file in the organisation's `.github` repository, rather than one per repository."""
    repositories: tuple[str, ...]
    """The in-scope repositories it fixes, by name."""
    points: float
    """Entity score points recovered."""

    def describe(self) -> str:
        """The action in words, without its points."""
        if self.organisation_wide:
            return (
                f"add {ORGANISATION_FILES[self.rule]} to the organisation's .github repository "
                f"({self.rule}, {_count(self.repositories)})"
            )
        return f"fix {self.rule} in {_names(self.repositories)}"


def fix_first(report: Report, limit: int = 5) -> tuple[Action, ...]:
    """The actions worth most, organisation-wide ones first; at most `limit`."""
    scored = [
        r
        for r in report.repositories
        if r.in_scope and r.status is RepoStatus.OK and r.score is not None
    ]
    if not scored:
        return ()
    inheritable = _inheritance_possible(report)
    gains: dict[tuple[str, bool], list[tuple[str, float]]] = {}
    for repo in scored:
        counted = sum(r.weight for r in repo.results if r.outcome.counts)
        if counted <= 0:
            continue
        for result in repo.results:
            if result.outcome not in _TO_FIX:
                continue
            gain = 100 * result.weight * (1 - (result.score or 0.0)) / counted / len(scored)
            wide = inheritable and result.rule in ORGANISATION_FILES and not _own_file(result)
            gains.setdefault((result.rule, wide), []).append((repo.name, gain))
    actions = [
        Action(rule, wide, tuple(name for name, _ in fixes), round(sum(g for _, g in fixes), 1))
        for (rule, wide), fixes in gains.items()
    ]
    actions = [a for a in actions if a.points > 0]
    actions.sort(key=lambda a: (not a.organisation_wide, -a.points, a.rule))
    return tuple(actions[:limit])


def _inheritance_possible(report: Report) -> bool:
    """GitLab has no organisation defaults, a local directory of repositories has them only
    with an entity file or a `.github` repository (as `fix` proposes), and a lone repository
    has no organisation to speak of."""
    if report.entity.source == "gitlab":
        return False
    if not all(e.defaults_reachable for e in report.entities or (report.entity,)):
        return False
    return report.entity.defaults_repository is not None or len(report.repositories) > 1


def _own_file(result: RuleResult) -> bool:
    return any(e.source is EvidenceSource.REPOSITORY for e in result.evidence)


def _count(names: tuple[str, ...]) -> str:
    return "1 repository" if len(names) == 1 else f"{len(names)} repositories"


def _names(names: tuple[str, ...], shown: int = 3) -> str:
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"
