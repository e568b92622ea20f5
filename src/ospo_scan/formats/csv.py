"""CSV: one row per repository, with a column per rule, for spreadsheets and readiness surveys.

Cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
carriage return) are prefixed with an apostrophe, so a repository named `=HYPERLINK(...)` stays
text. Scores are plain numbers with one decimal; an empty cell means no score. `notes` holds
the repository's warnings (one per line); `entity` the entity it belongs to, which tells the
rows of a scan of several entities apart.
"""

from __future__ import annotations

import csv
import io

from ospo_scan.formats._views import outcome_of, rule_catalogue
from ospo_scan.model import Report
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
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def format_csv(report: Report) -> str:
    rules = rule_catalogue(report)
    buffer = io.StringIO()
    # RFC 4180 line ends: the writer then quotes any field holding a CR or an LF.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*BASE_COLUMNS, *(rule.id for rule in rules), "error", "notes", "entity"])
    for repo in report.repositories:
        outcomes = [outcome_of(repo, rule.id) for rule in rules]
        row = [
            repo.name,
            repo.url,
            repo.status.value,
            "" if repo.score is None else f"{repo.score:.1f}",
            _flag(repo.in_scope),
            _flag(repo.archived),
            _flag(repo.fork),
            (repo.licence.expression or "") if repo.licence else "",
            *("" if outcome is None else outcome.value for outcome in outcomes),
            repo.error or "",
            "\n".join(repo.warnings),
            repo.entity or report.entity.name,
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def _flag(value: bool) -> str:
    return "true" if value else "false"


def safe_cell(text: str) -> str:
    """Text as a cell that shows no control or bidirectional character and that a spreadsheet
    will not evaluate as a formula."""
    cell = neutralise(text, keep_line_breaks=True)
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
