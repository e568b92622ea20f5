"""The Markdown entity summary, written for a GitHub job summary (`GITHUB_STEP_SUMMARY`).

Everything that comes from a repository (names, descriptions, messages that quote file names)
is escaped, and only where Markdown needs it, so the raw text stays readable: the characters
that open code, emphasis, links, HTML, entities, table cells and maths get a backslash; at the
start of the text, what would open a heading, a list or a quote; `www.` and `://` are broken
so that GitHub does not autolink them. An invisible word joiner after each `@` stops e-mail
autolinks and @-mentions. Commas, full stops, hyphens and colons in prose are left alone.
"""

from __future__ import annotations

from ospo_scan.formats._frameworks import (
    STATUS_LABELS,
    levels_line,
    shown_items,
    unmapped_note,
)
from ospo_scan.formats._priorities import fix_first
from ospo_scan.formats._views import (
    FAILING,
    OUTCOME_SYMBOLS,
    format_rate,
    format_score,
    repositories_worst_first,
    rule_failures,
    safe_link,
    scope_note,
)
from ospo_scan.model import Outcome, RepoReport, Report, RepoStatus
from ospo_scan.untrusted.markdown import escape_markdown

MOST_FAILED_LIMIT = 10
"""How many of the most failed rules the summary lists."""
REPOSITORY_LIMIT = 500
"""How many repositories (worst first) the table lists: GitHub caps a job summary at 1 MiB."""
ERROR_LIMIT = 50
"""How many errors the summary lists."""


def format_markdown(report: Report) -> str:
    lines = [
        *_heading(report),
        *_entities(report),
        *_frameworks(report),
        *_most_failed(report),
        *_repositories(report),
        *_errors(report),
        *_warnings(report),
        *_fix_first(report),
    ]
    lines.append(
        f"<sub>ospo-scan {escape_markdown(report.tool_version)} · ruleset "
        f"{escape_markdown(report.ruleset.id)} {escape_markdown(report.ruleset.version)}</sub>"
    )
    return "\n".join(lines) + "\n"


def _heading(report: Report) -> list[str]:
    entity = report.entity
    level = escape_markdown(entity.level) if entity.level else "no level"
    summary = report.summary
    counts = (
        f"{summary.in_scope} of {summary.repositories} "
        f"{'repository' if summary.repositories == 1 else 'repositories'} in scope"
        f" · {summary.errors} error{'s' if summary.errors != 1 else ''}"
        + (f" · {summary.unknown} unknown" if summary.unknown else "")
    )
    lines = [
        f"## OSPO compliance: {escape_markdown(entity.name)}",
        "",
        f"**Score {format_score(entity.score)} / 100** · level **{level}** · {counts}",
        "",
    ]
    categories = sorted(
        (name, score) for name, score in summary.category_scores.items() if score is not None
    )
    if categories:
        parts = [f"{escape_markdown(name)} {format_score(score)}" for name, score in categories]
        lines += ["Categories: " + " · ".join(parts), ""]
    notes = list(entity.notes)
    if report.scan is not None and report.scan.shard is not None:
        notes.insert(
            0,
            f"This is shard {report.scan.shard} of the scan: only that part of the "
            "repositories, scored as a part; `ospo-scan merge` joins the shards.",
        )
    lines.extend(f"> {escape_markdown(note, at_line_start=True)}" for note in notes)
    if notes:
        lines.append("")
    return lines


def _entities(report: Report) -> list[str]:
    if not report.entities:
        return []
    lines = ["### Entities", "", "| Entity | Score | Level | Source |", "|---|--:|---|---|"]
    for entity in report.entities:
        lines.append(
            f"| {_linked(escape_markdown(entity.name), entity.url)} "
            f"| {format_score(entity.score)} | {escape_markdown(entity.level or '—')} "
            f"| {escape_markdown(entity.source)} |"
        )
    return [*lines, ""]


def _frameworks(report: Report) -> list[str]:
    """A table per framework: each item's score, status and the rules behind it."""
    lines: list[str] = []
    for framework in report.entity.frameworks:
        title = escape_markdown(f"{framework.title} {framework.version}")
        lines += [
            f"### {_linked(title, framework.url)}",
            "",
            "| # | Item | Score | Status | Rules (score) | Declared |",
            "|--:|---|--:|---|---|---|",
        ]
        for item in shown_items(framework):
            rules = " · ".join(
                f"`{_code(rule.rule)}` {format_score(rule.score)}" for rule in item.rules
            )
            declared = ""
            if item.declared is not None:
                declared = _linked(
                    escape_markdown(item.declared.answer.value), item.declared.evidence
                )
            lines.append(
                f"| {escape_markdown(item.id)} | {escape_markdown(item.title)} "
                f"| {format_score(item.score)} | {STATUS_LABELS[item.status]} "
                f"| {rules or 'no rule'} | {declared or '—'} |"
            )
        lines.append("")
        for sentence in (unmapped_note(framework), levels_line(framework)):
            if sentence is not None:
                lines += [escape_markdown(sentence[0].upper() + sentence[1:] + "."), ""]
    if lines:
        lines += [
            "An item no rule evidences has no score: repositories cannot show it. Declared "
            "answers are the entity's own, from its profile.",
            "",
        ]
    return lines


def _warnings(report: Report) -> list[str]:
    warnings = [
        f"- {escape_markdown(repo.name, at_line_start=True)}: {escape_markdown(warning)}"
        for repo in report.repositories
        for warning in repo.warnings
    ]
    if not warnings:
        return []
    more = len(warnings) - ERROR_LIMIT
    listed = warnings[:ERROR_LIMIT] + (
        [f"- and {more} more in the full report"] if more > 0 else []
    )
    return ["### Warnings", "", *listed, ""]


def _fix_first(report: Report) -> list[str]:
    actions = fix_first(report)
    if not actions:
        return []
    lines = ["### Fix first", "", "What recovers the most points of the entity score:", ""]
    for number, action in enumerate(actions, start=1):
        lines.append(f"{number}. **+{action.points:.1f}** {escape_markdown(action.describe())}")
    return [*lines, ""]


def _most_failed(report: Report) -> list[str]:
    failures = [f for f in rule_failures(report) if f.failing][:MOST_FAILED_LIMIT]
    if not failures:
        return ["No rule fails in any in-scope repository.", ""]
    lines = [
        "### Rules failing most often",
        "",
        "| Rule | Category | Failing | Pass rate | How to fix |",
        "|---|---|--:|--:|---|",
    ]
    for failure in failures:
        rule = failure.rule
        fix = escape_markdown(rule.remediation) or "—"
        lines.append(
            f"| {_linked(f'`{_code(rule.id)}`', rule.help_url)} "
            f"| {escape_markdown(rule.category)} "
            f"| {failure.failing} of {failure.counted} "
            f"| {format_rate(failure.pass_rate)} | {fix} |"
        )
    lines.append("")
    return lines


def _repositories(report: Report) -> list[str]:
    if not report.repositories:
        return ["No repositories were found.", ""]
    lines = [
        "### Repositories",
        "",
        "| Repository | Score | Licence | Needs action |",
        "|---|--:|---|---|",
    ]
    repositories = repositories_worst_first(report)
    for repo in repositories[:REPOSITORY_LIMIT]:
        lines.append(
            f"| {_repository_cell(repo, report.entity.defaults_repository)} | {_score_cell(repo)} "
            f"| {_licence_cell(repo)} | {_failing_cell(repo)} |"
        )
    lines.append("")
    if len(repositories) > REPOSITORY_LIMIT:
        lines.append(
            f"{len(repositories) - REPOSITORY_LIMIT} more repositories, scoring higher, are in "
            "the full report."
        )
        lines.append("")
    unknown = " · ? unknown (not observed, not scored)" if report.summary.unknown else ""
    lines.append(
        f"Legend: ✗ fail · ½ partial · ! error{unknown}. Out-of-scope repositories are listed "
        "in italics and do not count towards the score."
    )
    lines.append("")
    return lines


def _errors(report: Report) -> list[str]:
    problems: list[str] = []
    for repo in report.repositories:
        name = escape_markdown(repo.name, at_line_start=True)
        if repo.status is RepoStatus.ERROR:
            problems.append(f"- {name}: {escape_markdown(repo.error or 'not scanned')}")
        for result in repo.results:
            if result.outcome is Outcome.ERROR:
                problems.append(
                    f"- {name}, rule `{_code(result.rule)}`: {escape_markdown(result.message)}"
                )
    if not problems:
        return []
    more = len(problems) - ERROR_LIMIT
    listed = problems[:ERROR_LIMIT] + (
        [f"- and {more} more in the full report"] if more > 0 else []
    )
    return ["### Errors", "", "The scan is incomplete:", "", *listed, ""]


def _repository_cell(repo: RepoReport, defaults_repository: str | None) -> str:
    cell = _linked(escape_markdown(repo.name), repo.url)
    if repo.description:
        cell += f"<br>{escape_markdown(repo.description)}"
    note = scope_note(repo, defaults_repository)
    return f"*{cell}* \\({escape_markdown(note)}\\)" if note else cell


def _score_cell(repo: RepoReport) -> str:
    if repo.status is RepoStatus.ERROR:
        return "error"
    return format_score(repo.score)


def _licence_cell(repo: RepoReport) -> str:
    if repo.licence is None or repo.licence.expression is None:
        return "—"
    return escape_markdown(repo.licence.expression)


def _failing_cell(repo: RepoReport) -> str:
    flagged = [
        result
        for result in sorted(repo.results, key=lambda r: (-r.outcome.severity, -r.weight, r.rule))
        if result.outcome in (*FAILING, Outcome.UNKNOWN, Outcome.ERROR)
    ]
    if repo.status is RepoStatus.ERROR:
        return "not scanned"
    if not flagged:
        return "—"
    return " ".join(f"{OUTCOME_SYMBOLS[r.outcome]} `{_code(r.rule)}`" for r in flagged)


def _linked(text: str, url: str | None) -> str:
    link = safe_link(url)
    return f"[{text}]({link})" if link else text


def _code(text: str) -> str:
    """Text for inside a single-backtick code span within a table cell."""
    return text.replace("`", "'").replace("|", "\\|").replace("\n", " ").replace("\r", " ")
