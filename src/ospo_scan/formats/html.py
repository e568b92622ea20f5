"""A self-contained HTML report for an OSPO lead: one file, inline CSS and SVG, no requests.

The page carries a Content-Security-Policy that forbids scripts and every network fetch, every
string from a repository goes through `html.escape`, and links are emitted only for http(s)
(and, for repository locations, file) URLs.
"""

from __future__ import annotations

import re
from html import escape

from ospo_scan.formats._html_chart import distribution_svg, score_band
from ospo_scan.formats._html_frameworks import frameworks_section
from ospo_scan.formats._html_style import STYLE
from ospo_scan.formats._html_summary import entities_section, fix_first_section
from ospo_scan.formats._html_trends import trends_section
from ospo_scan.formats._views import (
    OUTCOME_SYMBOLS,
    RuleInfo,
    format_rate,
    format_score,
    repositories_worst_first,
    rule_catalogue,
    rule_failures,
    safe_link,
    scope_note,
)
from ospo_scan.history.records import Trends
from ospo_scan.model import Evidence, Outcome, RepoReport, Report, RepoStatus, RuleResult
from ospo_scan.untrusted.display import neutralise

ERROR_LIMIT = 50
"""How many errors the page lists at its top."""

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

_OUTCOME_LABELS = {
    Outcome.PASS: "pass",
    Outcome.EXEMPT: "exempt",
    Outcome.PARTIAL: "partial",
    Outcome.FAIL: "fail",
    Outcome.NOT_APPLICABLE: "not applicable",
    Outcome.UNKNOWN: "unknown",
    Outcome.ERROR: "error",
}


def format_html(report: Report, trends: Trends | None = None) -> str:
    """The page; with `trends` (the entity's earlier scans) it also charts change over time."""
    repositories = repositories_worst_first(report)
    # anchors by position: two repositories may share a name (same name on two hosts)
    anchors = tuple(f"repo-{number}" for number in range(1, len(repositories) + 1))
    title = f"OSPO compliance — {report.entity.name}"
    overview = _overview(report)
    sections = [
        _header(report),
        _errors(report),
        entities_section(report),
        overview,
        frameworks_section(report),
        fix_first_section(report),
        _heatmap(report, repositories, anchors),
        _rules(report),
        _details(repositories, anchors, report.entity.defaults_repository),
        _footer(report),
    ]
    if trends is not None:
        sections.insert(sections.index(overview) + 1, trends_section(report, trends))
    body = "\n".join(section for section in sections if section)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def _e(text: str) -> str:
    return escape(neutralise(text, keep_line_breaks=True), quote=True)


_CODE_SPAN = re.compile(r"`([^`\n]{1,500})`")


def _prose(text: str) -> str:
    """Escaped text whose `code spans` (as messages and remediation write them) become code."""
    return _CODE_SPAN.sub(r"<code>\1</code>", _e(text))


def _link(text: str, url: str | None, *, allow_file: bool = False) -> str:
    """Escaped text, inside a link when the URL has a safe scheme."""
    href = safe_link(url, allow_file=allow_file)
    if href is None:
        return _e(text)
    return f'<a href="{_e(href)}" rel="noopener noreferrer">{_e(text)}</a>'


def _header(report: Report) -> str:
    entity = report.entity
    summary = report.summary
    level = entity.level or "no level"
    facts = [
        (str(summary.repositories), "repositories"),
        (str(summary.in_scope), "in scope"),
        (str(summary.errors), "errors"),
        (report.ruleset.id, f"ruleset {report.ruleset.version}"),
    ]
    if report.scan is not None:
        facts.append((report.scan.started[:10], f"scanned at {report.scan.started[11:16]} UTC"))
        if report.scan.shard is not None:
            facts.append((report.scan.shard, "shard: part of the repositories"))
    notes = "".join(f'<p class="note">{_prose(note)}</p>' for note in entity.notes)
    return (
        '<header>\n<div class="score-card {band}" id="entity-score">'
        '<div class="score">{score}</div><div class="of">/ 100</div>'
        '<div class="level">{level}</div></div>\n'
        '<div><h1 id="entity-name">{name}</h1>'
        '<div class="muted">{source} entity{where}</div>'
        '<div class="facts">{facts}</div></div>\n</header>\n{notes}'
    ).format(
        band=score_band(entity.score),
        score=format_score(entity.score),
        level=_e(level),
        name=_e(entity.name),
        source=_e(entity.source),
        where=f" · {_link(entity.url, entity.url)}" if entity.url else "",
        facts="".join(
            f'<span class="fact"><b>{_e(value)}</b> {_e(label)}</span>' for value, label in facts
        ),
        notes=notes,
    )


def _errors(report: Report) -> str:
    problems = [
        f"<li><b>{_e(repo.name)}</b>: {_prose(repo.error or 'could not be scanned')}</li>"
        for repo in report.repositories
        if repo.status is RepoStatus.ERROR
    ] + [
        f"<li><b>{_e(repo.name)}</b>, rule <code>{_e(result.rule)}</code>: "
        f"{_prose(result.message)}</li>"
        for repo in report.repositories
        for result in repo.results
        if result.outcome is Outcome.ERROR
    ]
    if not problems:
        return ""
    more = len(problems) - ERROR_LIMIT
    listed = "".join(problems[:ERROR_LIMIT])
    if more > 0:
        listed += f"<li>and {more} more (marked ! below)</li>"
    return (
        '<section id="errors" class="note"><b>The scan is incomplete.</b> These were not '
        f"evaluated and are left out of the scores:<ul>{listed}</ul></section>"
    )


def _overview(report: Report) -> str:
    scores = [
        repo.score for repo in report.repositories if repo.in_scope and repo.score is not None
    ]
    categories = "".join(
        f"<tr><td>{_e(category)}</td><td class='num'>{format_score(score)}</td>"
        f"<td>{_bar(None if score is None else score / 100)}</td></tr>"
        for category, score in sorted(report.summary.category_scores.items())
    )
    return (
        '<div class="panels">\n<section id="distribution"><h2>Score distribution</h2>'
        f'<p class="muted">{len(scores)} scored repositories in scope, by bands of ten '
        f"points</p>{distribution_svg(scores)}</section>\n"
        '<section id="categories"><h2>Categories</h2><table><thead><tr><th>Category</th>'
        '<th class="num">Score</th><th></th></tr></thead>'
        f"<tbody>{categories}</tbody></table></section>\n</div>"
    )


def _rules(report: Report) -> str:
    rules = "".join(
        f"<tr><td>{_link(f.rule.id, f.rule.help_url)}</td><td>{_e(f.rule.category)}</td>"
        f"<td class='num'>{f.rule.weight:g}</td>"
        f"<td class='num'>{f.failing} of {f.counted}</td>"
        f"<td class='num'>{format_rate(f.pass_rate)}</td><td>{_bar(f.pass_rate)}</td>"
        f"<td class='msg'>{_prose(f.rule.remediation)}</td></tr>"
        for f in rule_failures(report)
    )
    return (
        '<section id="rules"><h2>Rules, most failed first</h2><table><thead><tr><th>Rule</th>'
        '<th>Category</th><th class="num">Weight</th><th class="num">Needs action</th>'
        '<th class="num">Pass rate</th><th></th><th>How to fix</th></tr></thead>'
        f"<tbody>{rules}</tbody></table></section>"
    )


def _bar(rate: float | None) -> str:
    width = 0 if rate is None else round(max(0.0, min(rate, 1.0)) * 100)
    return f'<div class="bar"><span style="width: {width}%"></span></div>'


def _heatmap(report: Report, repositories: tuple[RepoReport, ...], anchors: tuple[str, ...]) -> str:
    rules = rule_catalogue(report)
    legend = "".join(
        f'<span><span class="swatch o-{outcome.value}">{OUTCOME_SYMBOLS[outcome]}</span>'
        f"{_OUTCOME_LABELS[outcome]}</span>"
        for outcome in Outcome
    )
    header = "".join(
        f'<th class="rule" scope="col"><div>{_e(rule.id)}</div></th>' for rule in rules
    )
    defaults = report.entity.defaults_repository
    rows = "".join(
        _heatmap_row(repo, rules, anchor, scope_note(repo, defaults))
        for repo, anchor in zip(repositories, anchors, strict=True)
    )
    return (
        '<section id="heatmap"><h2>Repositories \u00d7 rules</h2>'
        f'<div class="legend" id="legend">{legend}</div>'
        '<div class="heatmap-wrap"><table class="heatmap"><thead><tr>'
        f'<th scope="col">Repository</th><th class="num" scope="col">Score</th>{header}'
        f"</tr></thead><tbody>{rows}</tbody></table></div></section>"
    )


def _heatmap_row(repo: RepoReport, rules: tuple[RuleInfo, ...], anchor: str, note: str) -> str:
    by_rule = {result.rule: result for result in repo.results}
    cells = []
    for rule in rules:
        result = by_rule.get(rule.id)
        if result is None:
            cells.append('<td class="cell o-none" title="not run">·</td>')
            continue
        tip = f"{repo.name} · {rule.id}: {_OUTCOME_LABELS[result.outcome]} — {result.message}"
        cells.append(
            f'<td class="cell o-{result.outcome.value}" title="{_e(tip)}">'
            f"{OUTCOME_SYMBOLS[result.outcome]}</td>"
        )
    name = f'<a href="#{anchor}">{_e(repo.name)}</a>'
    if note:
        name += f' <span class="muted">({_e(note)})</span>'
    score = "error" if repo.status is RepoStatus.ERROR else format_score(repo.score)
    return (
        f'<tr><td class="name" title="{_e(repo.name)}">{name}</td>'
        f'<td class="num"><span class="pill {score_band(repo.score)}">{score}</span></td>'
        f"{''.join(cells)}</tr>"
    )


def _details(
    repositories: tuple[RepoReport, ...], anchors: tuple[str, ...], defaults: str | None
) -> str:
    # Open at first: what could not be scanned, and the lowest-scoring repository that counts.
    worst = next(
        (n for n, r in enumerate(repositories) if r.in_scope and r.status is RepoStatus.OK), None
    )
    blocks = "\n".join(
        _repository(
            repo,
            anchors[number],
            scope_note(repo, defaults),
            opened=repo.status is RepoStatus.ERROR or number == worst,
        )
        for number, repo in enumerate(repositories)
    )
    return f'<section id="repositories"><h2>Evidence and remediation</h2>\n{blocks}</section>'


def _repository(repo: RepoReport, anchor: str, note: str, *, opened: bool) -> str:
    facts = [f"Location: {_link(repo.url, repo.url, allow_file=True)}"]
    if repo.description:
        facts.append(f"Description: {_e(repo.description)}")
    if repo.licence is not None:
        facts.append(f"Licence: {_e(repo.licence.expression or 'none identified')}")
    if note:
        facts.append(f"Not counted in the entity score ({_e(note)}).")
    if repo.error:
        facts.append(f"<strong>Could not be scanned:</strong> {_prose(repo.error)}")
    facts.extend(f"Warning: {_e(warning)}" for warning in repo.warnings)
    results = sorted(repo.results, key=lambda r: (-r.outcome.severity, -r.weight, r.rule))
    table = ""
    if results:
        table = (
            "<table><thead><tr><th>Outcome</th><th>Rule</th><th>Finding</th><th>Evidence</th>"
            f"<th>Remediation</th></tr></thead><tbody>{''.join(map(_result_row, results))}"
            "</tbody></table>"
        )
    score = "error" if repo.status is RepoStatus.ERROR else format_score(repo.score)
    open_attribute = " open" if opened else ""
    return (
        f'<details class="repo" id="{anchor}"{open_attribute}><summary>'
        f'<span class="pill {score_band(repo.score)}">{score}</span> <b>{_e(repo.name)}</b>'
        f"</summary><div>{''.join(f'<p>{fact}</p>' for fact in facts)}{table}</div></details>"
    )


def _result_row(result: RuleResult) -> str:
    remediation = _prose(result.remediation) if result.outcome not in (Outcome.PASS,) else ""
    learn_more = _link("Learn more", result.help_url)
    if learn_more != _e("Learn more"):
        remediation = f"{remediation} {learn_more}".strip()
    return (
        f'<tr><td><span class="pill o-{result.outcome.value}">'
        f"{OUTCOME_SYMBOLS[result.outcome]} {_OUTCOME_LABELS[result.outcome]}</span></td>"
        f"<td><code>{_e(result.rule)}</code><br><span class='muted'>{_e(result.category)}"
        f"</span></td><td class='msg'>{_prose(result.message)}</td>"
        f"<td class='msg'>{evidence_list(result.evidence)}</td>"
        f"<td class='msg'>{remediation}</td></tr>"
    )


def evidence_list(evidence: tuple[Evidence, ...]) -> str:
    """A result's evidence as a list of paths, each with where it came from."""
    if not evidence:
        return '<span class="muted">—</span>'
    items = "".join(
        f"<li><code>{_e(item.path)}</code> <span class='muted'>({_e(item.source.value)})</span>"
        + (f" — {_e(item.detail)}" if item.detail else "")
        + "</li>"
        for item in evidence
    )
    return f'<ul class="evidence">{items}</ul>'


def _footer(report: Report) -> str:
    return (
        f"<footer>Made by ospo-scan {_e(report.tool_version)} with ruleset "
        f"{_e(report.ruleset.id)} {_e(report.ruleset.version)}"
        + (f" ({_e(report.ruleset.title)})" if report.ruleset.title else "")
        + ". Outcomes: ✓ pass, E exempt, ½ partial, ✗ fail, \u2013 not applicable, ! error."
        "</footer>"
    )
