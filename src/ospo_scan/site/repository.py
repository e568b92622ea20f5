"""A repository's page: each rule's outcome over the audits, and the evidence of the latest
audit that saw it."""

from __future__ import annotations

from ospo_scan.formats._views import OUTCOME_SYMBOLS, safe_link
from ospo_scan.formats.html import evidence_list
from ospo_scan.model import Outcome, RepoReport, Report
from ospo_scan.site.audits import EntityAudits
from ospo_scan.site.html import e, outcome_cell, over, page, score_pill, sparkline, started, when
from ospo_scan.site.links import INDEX, entity_page, rule_page, up

AUDITS_SHOWN = 52
"""How many of the latest audits the outcome strips show: a year of weekly audits."""
NOT_RUN = "·"


def audits_by_repository(audits: EntityAudits) -> dict[str, list[tuple[Report, RepoReport]]]:
    """Each repository of the entity's audits, with the audits that saw it, oldest first."""
    seen: dict[str, list[tuple[Report, RepoReport]]] = {}
    for report in audits.reports:
        for repo in report.repositories:
            seen.setdefault(repo.name, []).append((report, repo))
    return seen


def repository_html(audits: EntityAudits, seen: list[tuple[Report, RepoReport]]) -> str:
    """The page of a repository, from the audits that saw it (`audits_by_repository`)."""
    report, latest = seen[-1]
    name = latest.name
    body = "\n".join(
        [
            _header(audits, report, latest, seen),
            _over_time(seen[-AUDITS_SHOWN:]),
            _evidence(latest),
        ]
    )
    crumbs = [(up(INDEX), "All entities"), (up(entity_page(audits.name)), audits.name)]
    return page(f"{name} — {audits.name}", crumbs, body)


def _header(
    audits: EntityAudits, report: Report, repo: RepoReport, seen: list[tuple[Report, RepoReport]]
) -> str:
    link = safe_link(repo.url)
    where = f' · <a href="{e(link)}" rel="noopener noreferrer">on its host</a>' if link else ""
    gone = "" if report is audits.latest else " · not in the latest audit"
    licence = repo.licence.expression if repo.licence and repo.licence.expression else "none found"
    description = f"<p>{e(repo.description)}</p>" if repo.description else ""
    scores = sparkline(over(repo.name, "score", len(seen), "audit"), [r.score for _, r in seen])
    audited = started(report)
    return (
        f"<header><div><h1>{e(repo.name)}</h1>{description}"
        f'<p class="muted">Score {score_pill(repo.score)} {scores} · licence '
        f"<code>{e(licence)}</code> · audited {e(when(audited))}{gone}{where}</p>"
        + (f"<p><strong>Could not be scanned:</strong> {e(repo.error)}</p>" if repo.error else "")
        + "</div></header>"
    )


def _over_time(seen: list[tuple[Report, RepoReport]]) -> str:
    """Per rule: its latest outcome, since when, and every outcome as a strip of symbols."""
    rules = list(dict.fromkeys(res.rule for _, repo in seen for res in repo.results))
    first = when(started(seen[0][0]))
    rows = []
    for rule in rules:
        outcomes = [_outcome(repo, rule) for _, repo in seen]
        latest = outcomes[-1]
        since = len(outcomes) - 1
        while since > 0 and outcomes[since - 1] == latest:
            since -= 1
        changed = started(seen[since][0])
        strip = "".join(OUTCOME_SYMBOLS[o] if o else NOT_RUN for o in outcomes)
        rows.append(
            f'<tr><th scope="row"><a href="{up(rule_page(rule))}"><code>{e(rule)}</code></a></th>'
            f"{outcome_cell(latest)}<td>{e(when(changed))}</td>"
            f'<td><code class="strip">{strip}</code></td></tr>'
        )
    legend = ", ".join(f"{symbol} {outcome.value}" for outcome, symbol in OUTCOME_SYMBOLS.items())
    return (
        '<section aria-labelledby="over-time"><h2 id="over-time">Each rule over time</h2>'
        f'<p class="muted">{len(seen)} audits from {e(first)}, oldest first: {e(legend)}, '
        f"{NOT_RUN} not run.</p>"
        '<table><thead><tr><th scope="col">rule</th><th scope="col">now</th>'
        '<th scope="col">since</th><th scope="col">every audit</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
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
        + f"</td><td>{evidence_list(r.evidence)}</td></tr>"
        for r in repo.results
    )
    return (
        '<section aria-labelledby="evidence"><h2 id="evidence">Latest audit, with evidence</h2>'
        '<table><thead><tr><th scope="col">rule</th><th scope="col">outcome</th>'
        '<th scope="col">why</th><th scope="col">evidence</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )
