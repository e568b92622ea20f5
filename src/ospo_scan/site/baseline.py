"""The OpenSSF OSPS Baseline on the site: each entity's share of repositories at each level, and
each repository's level, where the audit's ruleset maps to the Baseline (absent: nothing)."""

from __future__ import annotations

from ospo_scan.formats._views import format_rate
from ospo_scan.model import EntitySummary, LevelStatus, RepoReport
from ospo_scan.site.html import e

BASELINE = "osps-baseline"
_BUCKET_LABELS = {
    "0": "no level",
    "1": "level 1",
    "2": "level 2",
    "3": "level 3",
    LevelStatus.UNCONFIRMED.value: "unconfirmed",
}


def level_shares(entity: EntitySummary) -> str | None:
    """The entity's in-scope repositories at each Baseline level, as shares (`level 1 40%`);
    None when its audit has no Baseline view, or no repository counted in it."""
    view = entity.framework(BASELINE)
    if view is None or not view.levels:
        return None
    total = sum(view.levels.values())
    if not total:
        return None
    parts = [
        f'<span class="level">{e(_BUCKET_LABELS.get(bucket, bucket))} '
        f"{format_rate(count / total)}</span>"
        for bucket, count in view.levels.items()
        if count or bucket != LevelStatus.UNCONFIRMED.value
    ]
    return " · ".join(parts)


def repository_level(repo: RepoReport) -> str | None:
    """The Baseline level a repository attains (`level 2`, `level 1, level 2 unconfirmed`);
    None when its audit has no Baseline view of it."""
    view = next((v for v in repo.frameworks if v.id == BASELINE), None)
    if view is None or view.level is None:
        return None
    label = "no level" if view.level == 0 else f"level {view.level}"
    if view.level_status is LevelStatus.UNCONFIRMED:
        label += f", level {view.level + 1} unconfirmed"
    return label
