"""`history` and `diff` as text: pure functions of the records and the diff.

Every name and rule id comes from a report, so from repositories and hosts: terminal output
drops control characters and Markdown escapes everything (the job summary renders it).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from tabulate import tabulate

from ospo_scan.history.diff import Change, ChangeKind, Diff
from ospo_scan.history.records import ScanRecord
from ospo_scan.untrusted.markdown import escape_markdown

HISTORY_SCHEMA_ID = "ospo-scan/history/v1"
MARKDOWN_CHANGE_LIMIT = 200
"""How many changes of each kind the Markdown lists: a job summary is capped at 1 MiB."""


def history_json(records: Sequence[ScanRecord]) -> str:
    document = {"schema": HISTORY_SCHEMA_ID, "scans": [r.as_json() for r in records]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def history_table(records: Sequence[ScanRecord]) -> str:
    if not records:
        return "No scans recorded yet.\n"
    rows = [
        [
            r.id,
            r.started or "-",
            _clean(r.entity),
            _clean(r.ruleset),
            _score(r.score),
            _clean(r.level or "-"),
            r.repositories,
            r.errors,
        ]
        for r in records
    ]
    headers = ["id", "started", "entity", "ruleset", "score", "level", "repositories", "errors"]
    return tabulate(rows, headers=headers, disable_numparse=True) + "\n"


def diff_json(diff: Diff) -> str:
    return json.dumps(diff.as_json(), indent=2, ensure_ascii=False) + "\n"


def diff_table(diff: Diff) -> str:
    lines = [
        f"{_clean(diff.new.entity)}: {_scan_line(diff.old)} -> {_scan_line(diff.new)}",
        f"Entity score {_score(diff.old.score)} -> {_score(diff.new.score)} "
        f"({_delta(diff.score_delta)})",
        f"{_counted(len(diff.regressions), 'regression')}, "
        f"{_counted(len(diff.improvements), 'improvement')}, "
        f"{len(diff.added)} new and {len(diff.removed)} removed "
        f"{'repository' if len(diff.added) + len(diff.removed) == 1 else 'repositories'}",
    ]
    if diff.changes:
        rows = [
            [c.kind.value, _clean(c.repository), _clean(c.rule), c.old.value, c.new.value]
            for c in diff.changes
        ]
        headers = ["change", "repository", "rule", "was", "now"]
        lines += ["", tabulate(rows, headers=headers, disable_numparse=True)]
    for label, names in (("New repositories", diff.added), ("Removed repositories", diff.removed)):
        if names:
            lines += ["", f"{label}: " + ", ".join(_clean(n) for n in names)]
    return "\n".join(lines) + "\n"


def _counted(count: int, one: str) -> str:
    return f"{count} {one}{'' if count == 1 else 's'}"


def diff_markdown(diff: Diff) -> str:
    """The job summary section: regressions first, improvements, repositories, score delta."""
    lines = [
        "### What changed since the last audit",
        "",
        f"Compared with the scan of {_when(diff.old)}: "
        f"entity score **{_score(diff.old.score)} → {_score(diff.new.score)}** "
        f"({escape_markdown(_delta(diff.score_delta))}).",
        "",
    ]
    if not diff.changes and not diff.added and not diff.removed:
        lines += ["Nothing changed.", ""]
    lines += _change_list("Regressions", diff.regressions)
    lines += _change_list("Improvements", diff.improvements)
    lines += _change_list(
        "Other changes", tuple(c for c in diff.changes if c.kind is ChangeKind.CHANGE)
    )
    for label, names in (("New repositories", diff.added), ("Removed repositories", diff.removed)):
        if names:
            shown = ", ".join(escape_markdown(n) for n in names[:MARKDOWN_CHANGE_LIMIT])
            more = len(names) - MARKDOWN_CHANGE_LIMIT
            lines += [
                f"**{label} ({len(names)}):** {shown}" + (f" and {more} more" if more > 0 else ""),
                "",
            ]
    return "\n".join(lines)


def _change_list(title: str, changes: Sequence[Change]) -> list[str]:
    if not changes:
        return []
    lines = [f"**{title} ({len(changes)})**", ""]
    for change in changes[:MARKDOWN_CHANGE_LIMIT]:
        lines.append(
            f"- {escape_markdown(change.repository)}: `{_code(change.rule)}` "
            f"{change.old.value} → {change.new.value}"
        )
    if len(changes) > MARKDOWN_CHANGE_LIMIT:
        lines.append(f"- and {len(changes) - MARKDOWN_CHANGE_LIMIT} more")
    return [*lines, ""]


def _when(record: ScanRecord) -> str:
    return f"`{_code(record.started)}`" if record.started else "an undated report"


def _code(text: str) -> str:
    """Text inside a code span: backticks cannot close it, and it stays on one line."""
    return "".join(c for c in text if c.isprintable() and c != "`")


def _scan_line(record: ScanRecord) -> str:
    name = f"scan {record.id}" if record.id else "report"
    return f"{name} ({record.started or 'undated'})"


def _score(score: float | None) -> str:
    return "-" if score is None else f"{score:.1f}"


def _delta(delta: float | None) -> str:
    if delta is None:
        return "no score to compare"
    return f"{delta:+.1f} points"


def _clean(text: str) -> str:
    """Text from a report cannot move the cursor or colour the terminal."""
    return "".join(c if c.isprintable() else "?" for c in text)
