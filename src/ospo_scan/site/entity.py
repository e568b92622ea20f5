"""An entity's page: its score over time, its principles, what changed since the previous
audit, what to fix first, and its repositories."""

from __future__ import annotations

from ospo_scan.formats._frameworks import STATUS_LABELS
from ospo_scan.formats._html_trends import score_svg
from ospo_scan.formats._priorities import fix_first
from ospo_scan.formats._views import format_score, safe_link
from ospo_scan.history.diff import diff_scans, report_outcomes
from ospo_scan.history.records import TrendPoint
from ospo_scan.model import Report, RepoStatus
from ospo_scan.site.audits import EntityAudits
from ospo_scan.site.html import count, e, page, score_pill, section, started, when
from ospo_scan.site.links import INDEX, repository_page, rule_page, up

CHANGES_SHOWN = 100
"""How many changed outcomes the page lists; the count says how many there were."""


def entity_html(audits: EntityAudits) -> str:
    latest = audits.latest
    sections = [
        _header(audits),
        _withheld(audits),
        _score_over_time(audits),
        _frameworks(latest),
        _changes(audits),
        _fix_first(audits),
        _repositories(audits),
    ]
    body = "\n".join(s for s in sections if s)
    return page(f"{audits.name} — open source audits", [(up(INDEX), "All entities")], body)


def _header(audits: EntityAudits) -> str:
    latest = audits.latest.entity
    link = safe_link(latest.url)
    home = f' · <a href="{e(link)}" rel="noopener noreferrer">home page</a>' if link else ""
    description = f"<p>{e(latest.description)}</p>" if latest.description else ""
    return (
        f"<header><div><h1>{e(audits.name)}</h1>{description}"
        f'<p class="muted">Score {score_pill(latest.score)} · level {e(latest.level or "—")}'
        f" · last audit {e(when(started(audits.latest)))} · "
        f"{count(len(audits.reports), 'audit', 'audits')}{home}</p>"
        "</div></header>"
    )


def _withheld(audits: EntityAudits) -> str:
    if not audits.withheld:
        return ""
    withheld = count(len(audits.withheld), "repository", "repositories")
    return (
        f'<p class="muted" id="withheld">{withheld} of the '
        "latest audit not shown: not public, or visibility not recorded. The entity's figures "
        "count them.</p>"
    )


def _score_over_time(audits: EntityAudits) -> str:
    points = [
        TrendPoint(started(r), r.entity.score, r.summary.rule_pass_rates) for r in audits.reports
    ]
    return section("over-time", "Score over time", score_svg(points))


def _frameworks(report: Report) -> str:
    parts = []
    for framework in report.entity.frameworks:
        rows = "".join(
            f'<tr><th scope="row">{e(item.id)}</th><td>{e(item.title)}</td>'
            f'<td>{e(STATUS_LABELS[item.status])}</td><td class="num">{score_pill(item.score)}</td>'
            f"<td>{', '.join(_rule_link(r) for r in item.rule_ids) or '—'}</td></tr>"
            for item in framework.items
        )
        parts.append(
            f'<h3>{e(framework.title)} <span class="muted">{e(framework.version)}</span></h3>'
            '<table><thead><tr><th scope="col">item</th><th scope="col">title</th>'
            '<th scope="col">status</th><th scope="col" class="num">score</th>'
            f'<th scope="col">rules</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    if not parts:
        return ""
    return (
        '<section aria-labelledby="principles"><h2 id="principles">Principles and frameworks</h2>'
        + "".join(parts)
        + "</section>"
    )


def _changes(audits: EntityAudits) -> str:
    previous = audits.previous
    if previous is None:
        return section("changes", "Since the previous audit", "<p>This is the first audit.</p>")
    diff = diff_scans(report_outcomes(previous), report_outcomes(audits.latest))
    score_line = (
        f"<p>Score {format_score(previous.entity.score)} → "
        f"{format_score(audits.latest.entity.score)}"
        f" (previous audit {e(when(started(previous)))}).</p>"
    )
    names = []
    if diff.added:
        names.append(f"<p>New repositories: {', '.join(e(n) for n in diff.added)}.</p>")
    if diff.removed:
        names.append(f"<p>Repositories gone: {', '.join(e(n) for n in diff.removed)}.</p>")
    rows = "".join(
        f"<tr><td>{_repo_link(audits.name, c.repository)}</td><td>{_rule_link(c.rule)}</td>"
        f"<td>{e(c.old.value)}</td><td>{e(c.new.value)}</td><td>{e(c.kind.value)}</td></tr>"
        for c in diff.changes[:CHANGES_SHOWN]
    )
    more = len(diff.changes) - CHANGES_SHOWN
    table = (
        '<table><thead><tr><th scope="col">repository</th><th scope="col">rule</th>'
        '<th scope="col">was</th><th scope="col">now</th><th scope="col">change</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        + (f'<p class="muted">and {more} more changes.</p>' if more > 0 else "")
        if diff.changes
        else "<p>No outcome changed.</p>"
    )
    return section("changes", "Since the previous audit", score_line + "".join(names) + table)


def _fix_first(audits: EntityAudits) -> str:
    actions = fix_first(audits.latest)
    if not actions:
        return ""
    items = "".join(
        f'<li>{e(a.describe())} <span class="muted">(+{a.points:.1f} points)</span></li>'
        for a in actions
    )
    return section("fix-first", "Fix first", f"<ol>{items}</ol>")


def _repositories(audits: EntityAudits) -> str:
    rows = []
    for repo in sorted(
        audits.latest.repositories, key=lambda r: (r.score is None, r.score or 0.0, r.name)
    ):
        licence = repo.licence.expression if repo.licence and repo.licence.expression else "—"
        status = (
            "could not be scanned"
            if repo.status is RepoStatus.ERROR
            else ("in scope" if repo.in_scope else "out of scope")
        )
        failing = sum(1 for r in repo.results if r.outcome.value in ("fail", "partial"))
        rows.append(
            f'<tr><th scope="row">{_repo_link(audits.name, repo.name)}</th>'
            f'<td class="num">{score_pill(repo.score)}</td><td>{e(status)}</td>'
            f'<td><code>{e(licence)}</code></td><td class="num">{failing}</td></tr>'
        )
    if not rows:
        return section("repositories", "Repositories", "<p>No repository to show.</p>")
    return (
        '<section aria-labelledby="repositories"><h2 id="repositories">Repositories</h2>'
        '<table><thead><tr><th scope="col">repository</th><th scope="col" class="num">score</th>'
        '<th scope="col">scope</th><th scope="col">licence</th>'
        '<th scope="col" class="num">rules failing or partial</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _repo_link(entity: str, repository: str) -> str:
    return f'<a href="{up(repository_page(entity, repository))}">{e(repository)}</a>'


def _rule_link(rule: str) -> str:
    return f'<a href="{up(rule_page(rule))}"><code>{e(rule)}</code></a>'
