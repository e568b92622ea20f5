"""An entity's page: its score over time, its principles, what changed since the previous
audit, what to fix first, and its repositories."""

from __future__ import annotations

from collections.abc import Mapping

from ospo_scan.formats._frameworks import STATUS_LABELS
from ospo_scan.formats._html_trends import score_svg
from ospo_scan.formats._priorities import fix_first
from ospo_scan.formats._views import format_score, safe_link
from ospo_scan.history.diff import ScanOutcomes, diff_scans
from ospo_scan.history.records import ScanRecord, TrendPoint
from ospo_scan.model import Outcome, Report, RepoStatus
from ospo_scan.site.audits import EntityAudits, EntityDetail
from ospo_scan.site.baseline import level_shares, repository_level
from ospo_scan.site.html import count, e, page, score_pill, section, when
from ospo_scan.site.links import INDEX, repository_page, rule_page, up
from ospo_scan.site.repository import TO_PASS

CHANGES_SHOWN = 100
"""How many changed outcomes the page lists; the count says how many there were."""


def entity_html(audits: EntityAudits, detail: EntityDetail, usual: Mapping[str, str]) -> str:
    """`usual`: per rule, what it most often asks to pass in the latest audit."""
    sections = [
        _header(audits),
        _withheld(audits),
        _score_over_time(audits),
        _baseline(audits),
        _frameworks(detail.report),
        _changes(audits, detail),
        _fix_first(detail.report),
        _repositories(audits, detail.report),
        _to_pass(usual),
    ]
    body = "\n".join(s for s in sections if s)
    return page(f"{audits.name} — open source audits", [(up(INDEX), "All entities")], body)


def _header(audits: EntityAudits) -> str:
    latest = audits.entity
    link = safe_link(latest.url)
    home = f' · <a href="{e(link)}" rel="noopener noreferrer">home page</a>' if link else ""
    description = f"<p>{e(latest.description)}</p>" if latest.description else ""
    return (
        f"<header><div><h1>{e(audits.name)}</h1>{description}"
        f'<p class="muted">Score {score_pill(latest.score)} · level {e(latest.level or "—")}'
        f" · last audit {e(when(audits.latest.started))} · "
        f"{count(len(audits.audits), 'audit', 'audits')}{home}</p>"
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
    points = [TrendPoint(a.started, a.score, {}) for a in audits.audits]
    return section("over-time", "Score over time", score_svg(points))


def _baseline(audits: EntityAudits) -> str:
    shares = level_shares(audits.entity)
    if shares is None:
        return ""
    return section(
        "baseline",
        "OSPS Baseline levels",
        f"<p>In-scope repositories at each level of the OpenSSF OSPS Baseline: {shares}.</p>",
    )


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


def _changes(audits: EntityAudits, detail: EntityDetail) -> str:
    previous = audits.previous
    if previous is None:
        return section("changes", "Since the previous audit", "<p>This is the first audit.</p>")
    last = len(audits.audits) - 1
    diff = diff_scans(_outcomes_at(audits, detail, last - 1), _outcomes_at(audits, detail, last))
    score_line = (
        f"<p>Score {format_score(previous.score)} → "
        f"{format_score(audits.latest.score)}"
        f" (previous audit {e(when(previous.started))}).</p>"
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


def _outcomes_at(audits: EntityAudits, detail: EntityDetail, index: int) -> ScanOutcomes:
    """The published repositories' outcomes in one of the entity's last two audits."""
    audit = audits.audits[index]
    record = ScanRecord(0, audit.started, audits.name, "", "", audit.score, None, 0, 0)
    outcomes: dict[str, dict[str, Outcome]] = {}
    for name, history in detail.repositories.items():
        # index is one of the last two audits, so if it saw the repository, it is one of the
        # repository's last two
        if any(seen == index for seen, _ in history.seen[-2:]):
            outcomes[name] = {
                rule: by_audit[index]
                for rule, by_audit in history.outcomes.items()
                if index in by_audit
            }
    return ScanOutcomes(record, outcomes)


def _fix_first(report: Report) -> str:
    actions = fix_first(report)
    if not actions:
        return ""
    items = "".join(
        f'<li>{e(a.describe())} <span class="muted">(+{a.points:.1f} points)</span></li>'
        for a in actions
    )
    return section("fix-first", "Fix first", f"<ol>{items}</ol>")


def _to_pass(usual: Mapping[str, str]) -> str:
    if not usual:
        return ""
    rows = "".join(
        f'<tr><th scope="row">{_rule_link(rule)}</th><td>{e(remediation)}</td></tr>'
        for rule, remediation in sorted(usual.items())
    )
    return section(
        TO_PASS,
        "How to pass each rule",
        "<p>What each rule most often asked for in the latest audit; a repository's page "
        "says where it was asked something else.</p>"
        '<table><thead><tr><th scope="col">rule</th><th scope="col">to pass</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>",
    )


def _repositories(audits: EntityAudits, report: Report) -> str:
    rows = []
    levels = any(repository_level(repo) is not None for repo in report.repositories)
    for repo in sorted(
        report.repositories, key=lambda r: (r.score is None, r.score or 0.0, r.name)
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
            f'<td><code>{e(licence)}</code></td><td class="num">{failing}</td>'
            + (f"<td>{e(repository_level(repo) or '—')}</td>" if levels else "")
            + "</tr>"
        )
    if not rows:
        return section("repositories", "Repositories", "<p>No repository to show.</p>")
    return (
        '<section aria-labelledby="repositories"><h2 id="repositories">Repositories</h2>'
        '<table><thead><tr><th scope="col">repository</th><th scope="col" class="num">score</th>'
        '<th scope="col">scope</th><th scope="col">licence</th>'
        '<th scope="col" class="num">rules failing or partial</th>'
        + ('<th scope="col">Baseline level</th>' if levels else "")
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _repo_link(entity: str, repository: str) -> str:
    return f'<a href="{up(repository_page(entity, repository))}">{e(repository)}</a>'


def _rule_link(rule: str) -> str:
    return f'<a href="{up(rule_page(rule))}"><code>{e(rule)}</code></a>'
