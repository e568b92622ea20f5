"""How every format words a framework view: status labels, the text bar, what pulls an item
down. The figures themselves come from the report's views (`scan.frameworks`); nothing here
computes a per-item score.
"""

from __future__ import annotations

from ospo_scan.model import (
    LEVEL_BUCKETS,
    DeclaredPrinciple,
    FrameworkView,
    ItemStatus,
    ItemView,
    LevelStatus,
    RepoFrameworkView,
    RepoReport,
    Report,
    RepoStatus,
    RuleEvidence,
)

STATUS_LABELS = {
    ItemStatus.EVIDENCED: "evidenced",
    ItemStatus.PARTLY: "partly evidenced",
    ItemStatus.NOT_EVIDENCED: "not evidenced by repositories",
    ItemStatus.DECLARED: "declared",
}
BAR_WIDTH = 10
PULLED_DOWN_LIMIT = 3
"""How many repositories an item's card names as pulling it down."""


def text_bar(score: float | None, width: int = BAR_WIDTH) -> str:
    """`[######....]` for a score; blanks, not an empty bar, when there is none (never 0)."""
    if score is None:
        return " " * (width + 2)
    filled = round(max(0.0, min(score, 100.0)) / 100 * width)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def weakest_rule(item: ItemView) -> RuleEvidence | None:
    """The rule that pulls the item down, when one does (below 100)."""
    weakest = item.weakest
    return weakest if weakest is not None and (weakest.score or 0.0) < 100.0 else None


def declared_text(declared: DeclaredPrinciple) -> str:
    """`declared: yes` (the evidence URL is shown where a format can link it)."""
    return f"declared: {declared.answer.value}"


def item_note(item: ItemView) -> str:
    """The item's status and its weakest rule, in one phrase."""
    parts = []
    if item.status is ItemStatus.PARTLY:
        parts.append(STATUS_LABELS[ItemStatus.PARTLY])
    elif item.status in (ItemStatus.NOT_EVIDENCED, ItemStatus.DECLARED):
        parts.append(STATUS_LABELS[ItemStatus.NOT_EVIDENCED])
    weakest = weakest_rule(item)
    if weakest is not None:
        parts.append(f"weakest: {weakest.rule} ({_score(weakest.score)})")
    if item.declared is not None:
        parts.append(declared_text(item.declared))
    return " · ".join(parts)


def pulling_down(
    report: Report, framework: FrameworkView, item: ItemView
) -> list[tuple[RepoReport, float]]:
    """The in-scope repositories where the item scores below 100, lowest first, with that
    score (from the repositories' own views)."""
    scored = [
        (score, repo.name, repo)
        for repo in report.repositories
        if repo.in_scope and repo.status is RepoStatus.OK
        for view in repo.frameworks
        if view.id == framework.id and (score := view.items.get(item.id)) is not None
        if score < 100.0
    ]
    ordered = sorted(scored, key=lambda s: (s[0], s[1]))
    return [(repo, score) for score, _, repo in ordered][:PULLED_DOWN_LIMIT]


def repository_item_score(repo: RepoReport, framework_id: str, item_id: str) -> float | None:
    view = next((v for v in repo.frameworks if v.id == framework_id), None)
    return None if view is None else view.items.get(item_id)


def evidenced_items(report: Report, rule_id: str) -> tuple[str, ...]:
    """The framework items a rule evidences, as `FRAMEWORK:ITEM`, from the report's views."""
    return tuple(
        f"{framework.id}:{item}"
        for framework in report.entity.frameworks
        for item in framework.evidenced_by(rule_id)
    )


def shown_items(framework: FrameworkView) -> tuple[ItemView, ...]:
    """The items a format lists one by one: every item, except that a levelled framework lists
    only those a rule of the ruleset evidences (the OSPS Baseline's 64 controls would otherwise
    bury the few a ruleset maps); `unmapped_note` sums up the rest."""
    if not framework.levels:
        return framework.items
    return tuple(item for item in framework.items if item.rules)


def unmapped_note(framework: FrameworkView) -> str | None:
    """`49 of 64 controls no rule of the ruleset evidences (level 1: 17, ...): a level that
    holds one is unconfirmed, never attained.` for the items `shown_items` leaves out."""
    shown = {item.id for item in shown_items(framework)}
    unmapped = [item for item in framework.items if item.id not in shown]
    if not unmapped:
        return None
    by_level: dict[int, int] = {}
    for item in unmapped:
        if item.level is not None:
            by_level[item.level] = by_level.get(item.level, 0) + 1
    levels = ", ".join(f"level {level}: {n}" for level, n in sorted(by_level.items()))
    return (
        f"{len(unmapped)} of {len(framework.items)} controls no rule of the ruleset evidences"
        + (f" ({levels})" if levels else "")
        + ": a level that holds one is unconfirmed, never attained"
    )


def levels_line(framework: FrameworkView) -> str | None:
    """`levels attained: 0: 2 · 1: 1 · ... · unconfirmed: 2 of 5 repositories; most often
    missed: C (3), ...` for a levelled framework; None for one without levels."""
    if not framework.levels:
        return None
    total = sum(framework.levels.values())
    counts = " · ".join(
        f"{bucket}: {_share(framework.levels.get(bucket, 0), total)}" for bucket in LEVEL_BUCKETS
    )
    line = f"levels attained: {counts} (of {total} in-scope repositories)"
    if framework.missed:
        missed = ", ".join(f"{control} ({n})" for control, n in framework.missed)
        line += f"; most often missed: {missed}"
    return line


def level_text(view: RepoFrameworkView | None) -> str:
    """A repository's level: `1`, or `0, 1 unconfirmed` when the next level's only gaps are
    controls the scan could not confirm; empty for a framework without levels."""
    if view is None or view.level is None:
        return ""
    if view.level_status is LevelStatus.UNCONFIRMED:
        return f"{view.level}, {view.level + 1} unconfirmed"
    return str(view.level)


def levelled_view(repo: RepoReport, framework_id: str) -> RepoFrameworkView | None:
    return next((v for v in repo.frameworks if v.id == framework_id), None)


def _share(count: int, total: int) -> str:
    return f"{count} ({100 * count / total:.0f}%)" if total else str(count)


def _score(score: float | None) -> str:
    return "-" if score is None else f"{score:.1f}"
