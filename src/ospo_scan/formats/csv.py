"""CSV: one row per repository, with a column per rule, for spreadsheets and readiness surveys.

Cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
carriage return) are prefixed with an apostrophe, so a repository named `=HYPERLINK(...)` stays
text. Scores are plain numbers with one decimal; an empty cell means no score. `notes` holds
the repository's warnings (one per line); `entity` the entity it belongs to, which tells the
rows of a scan of several entities apart.

A column per framework item (`un-principles:3`, `dpg:2`; of a levelled framework, only the items
a rule of the ruleset evidences) holds the item's score in each repository; after the
repositories, one entity summary row per entity (`status` is `entity`) holds the entity score
and its item scores. An empty item cell means no evidence, never 0.
A levelled framework (`osps-baseline`) adds `osps-baseline:level` (the level attained, 0 to 3)
and `osps-baseline:level_status` (`attained`, or `unconfirmed` when the next level's only gaps
are controls the scan could not confirm).
"""

from __future__ import annotations

import csv
import io

from ospo_scan.formats._frameworks import levelled_view, repository_item_score, shown_items
from ospo_scan.formats._views import outcome_of, rule_catalogue
from ospo_scan.model import FrameworkView, RepoReport, Report
from ospo_scan.untrusted.display import neutralise

BASE_COLUMNS = (
    "repository",
    "url",
    "status",
    "score",
    "in_scope",
    "archived",
    "fork",
    "licence",
)
LEVEL_COLUMNS = ("level", "level_status")
"""The columns a levelled framework adds, after every item column."""
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def format_csv(report: Report) -> str:
    rules = rule_catalogue(report)
    buffer = io.StringIO()
    # RFC 4180 line ends: the writer then quotes any field holding a CR or an LF.
    writer = csv.writer(buffer, lineterminator="\r\n")
    items = [(f.id, item.id) for f in report.entity.frameworks for item in shown_items(f)]
    levelled = [f.id for f in report.entity.frameworks if f.levels]
    writer.writerow(
        [
            *BASE_COLUMNS,
            *(rule.id for rule in rules),
            "error",
            "notes",
            "entity",
            *(f"{framework}:{item}" for framework, item in items),
            *(f"{framework}:{column}" for framework in levelled for column in LEVEL_COLUMNS),
        ]
    )
    for repo in report.repositories:
        outcomes = [outcome_of(repo, rule.id) for rule in rules]
        item_scores = [repository_item_score(repo, f, i) for f, i in items]
        row = [
            repo.name,
            repo.url,
            repo.status.value,
            _score(repo.score),
            _flag(repo.in_scope),
            _flag(repo.archived),
            _flag(repo.fork),
            (repo.licence.expression or "") if repo.licence else "",
            *("" if outcome is None else outcome.value for outcome in outcomes),
            repo.error or "",
            "\n".join(repo.warnings),
            repo.entity or report.entity.name,
            *(_score(score) for score in item_scores),
            *(cell for framework in levelled for cell in _level_cells(repo, framework)),
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    for entity in report.entities or (report.entity,):
        blank = [""] * (len(BASE_COLUMNS) - 4 + len(rules) + 2)
        summary = [entity.name, entity.url or "", "entity", _score(entity.score), *blank]
        views = {f.id: f for f in entity.frameworks}
        scores = [_entity_item_score(views.get(f), i) for f, i in items]
        level_blanks = [""] * (len(levelled) * len(LEVEL_COLUMNS))
        cells = (*summary, entity.name, *map(_score, scores), *level_blanks)
        writer.writerow([safe_cell(cell) for cell in cells])
    return buffer.getvalue()


def _level_cells(repo: RepoReport, framework_id: str) -> tuple[str, str]:
    view = levelled_view(repo, framework_id)
    if view is None or view.level is None or view.level_status is None:
        return "", ""
    return str(view.level), view.level_status.value


def _entity_item_score(framework: FrameworkView | None, item_id: str) -> float | None:
    item = framework.item(item_id) if framework else None
    return item.score if item else None


def _score(score: float | None) -> str:
    return "" if score is None else f"{score:.1f}"


def _flag(value: bool) -> str:
    return "true" if value else "false"


def safe_cell(text: str) -> str:
    """Text as a cell that shows no control or bidirectional character and that a spreadsheet
    will not evaluate as a formula."""
    cell = neutralise(text, keep_line_breaks=True)
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
