"""A repository's page: each rule's outcome over the audits, and the evidence of the latest
audit that saw it."""

from __future__ import annotations

from ospo_scan.formats._views import format_score, safe_link
from ospo_scan.model import Evidence, Outcome, RepoReport, Report
from ospo_scan.site.audits import EntityAudits
from ospo_scan.site.html import e, outcome_cell, over, page, score_pill, sparkline, when
from ospo_scan.site.links import INDEX, entity_page, rule_page, up

AUDITS_SHOWN = 12
"""How many of the latest audits the outcome table shows, one column each."""


def repository_html(audits: EntityAudits, name: str) -> str:
    """The page of repository `name` of the entity (it appears in at least one audit)."""
    seen = [(report, repo) for report in audits.reports if (repo := _find(report, name))]
    report, latest = seen[-1]
    shown = seen[-AUDITS_SHOWN:]
    body = "\n".join(
        [
            _header(audits, report, latest, seen),
            _over_time(shown, len(seen)),
            _evidence(latest),
        ]
    )
    crumbs = [(up(INDEX), "All entities"), (up(entity_page(audits.name)), audits.name)]
    return page(f"{name} — {audits.name}", crumbs, body)


def _find(report: Report, name: str) -> RepoReport | None:
    return next((r for r in report.repositories if r.name == name), None)


def _header(
    audits: EntityAudits, report: Report, repo: RepoReport, seen: list[tuple[Report, RepoReport]]
) -> str:
    link = safe_link(repo.url)
    where = f' · <a href="{e(link)}" rel="noopener noreferrer">on its host</a>' if link else ""
    gone = "" if report is audits.latest else " · not in the latest audit"
    licence = repo.licence.expression if repo.licence and repo.licence.expression else "none found"
    description = f"<p>{e(repo.description)}</p>" if repo.description else ""
    scores = sparkline(over(repo.name, "score", len(seen), "audit"), [r.score for _, r in seen])
    started = report.scan.started if report.scan else ""
    return (
        f"<header><div><h1>{e(repo.name)}</h1>{description}"
        f'<p class="muted">Score {score_pill(repo.score)} {scores} · licence '
        f"<code>{e(licence)}</code> · audited {e(when(started))}{gone}{where}</p>"
        + (f"<p><strong>Could not be scanned:</strong> {e(repo.error)}</p>" if repo.error else "")
        + "</div></header>"
    )


def _over_time(seen: list[tuple[Report, RepoReport]], total: int) -> str:
    rules = list(dict.fromkeys(res.rule for _, repo in seen for res in repo.results))
    heads = "".join(
        f'<th scope="col">{e(when(report.scan.started if report.scan else ""))}</th>'
        for report, _ in seen
    )
    rows = []
    for rule in rules:
        cells = "".join(outcome_cell(_outcome(repo, rule)) for _, repo in seen)
        rows.append(
            f'<tr><th scope="row"><a href="{up(rule_page(rule))}"><code>{e(rule)}</code></a></th>'
            f"{cells}</tr>"
        )
    scores = "".join(f'<td class="num">{format_score(repo.score)}</td>' for _, repo in seen)
    note = (
        f'<p class="muted">The latest {len(seen)} of {total} audits.</p>'
        if total > len(seen)
        else ""
    )
    return (
        '<section aria-labelledby="over-time"><h2 id="over-time">Each rule over time</h2>'
        f'{note}<div class="scroll"><table class="grid"><thead><tr><th scope="col">rule</th>'
        f"{heads}</tr></thead><tbody>{''.join(rows)}"
        f'<tr><th scope="row">score</th>{scores}</tr></tbody></table></div></section>'
    )


def _outcome(repo: RepoReport, rule: str) -> Outcome | None:
    return next((r.outcome for r in repo.results if r.rule == rule), None)


def _evidence(repo: RepoReport) -> str:
    if not repo.results:
        return ""
    rows = "".join(
        f'<tr><th scope="row"><a href="{up(rule_page(r.rule))}"><code>{e(r.rule)}</code></a></th>'
        f"{outcome_cell(r.outcome)}<td>{e(r.message)}"
        + (f'<br><span class="muted">To pass: {e(r.remediation)}</span>' if r.remediation else "")
        + f"</td><td>{_evidence_list(r.evidence)}</td></tr>"
        for r in repo.results
    )
    return (
        '<section aria-labelledby="evidence"><h2 id="evidence">Latest audit, with evidence</h2>'
        '<table><thead><tr><th scope="col">rule</th><th scope="col">outcome</th>'
        '<th scope="col">why</th><th scope="col">evidence</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _evidence_list(evidence: tuple[Evidence, ...]) -> str:
    if not evidence:
        return "—"
    items = "".join(
        f'<li><code>{e(item.path)}</code> <span class="muted">({e(item.source.value)}'
        + (f": {e(item.detail)}" if item.detail else "")
        + ")</span></li>"
        for item in evidence
    )
    return f'<ul class="evidence">{items}</ul>'
