"""A repository's page: each rule's outcome now, since when, over the audits (a compact grid of
runs), and the evidence of the entity's latest audit when it saw the repository."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from itertools import groupby

from ospo_scan.formats._views import OUTCOME_SYMBOLS, safe_link
from ospo_scan.model import Evidence, EvidenceSource, Outcome, RepoReport, Report, RuleResult
from ospo_scan.site.audits import EntityAudits, RepositoryHistory
from ospo_scan.site.baseline import repository_level
from ospo_scan.site.html import count, e, outcome_cell, over, page, score_pill, sparkline, when
from ospo_scan.site.links import INDEX, entity_page, rule_page, up

TO_PASS = "to-pass"
"""The anchor of the entity page's section on how to pass each rule."""
AUDITS_SHOWN = 52
"""How many of the latest audits the outcome grid shows: a year of weekly audits."""
NOT_RUN = "·"


def repository_html(
    audits: EntityAudits,
    name: str,
    history: RepositoryHistory,
    latest: RepoReport | None,
    usual: Mapping[str, str],
) -> str:
    """The page of a repository; `latest` is it in the entity's latest audit, if there;
    `usual` is `usual_remediations` of that audit."""
    rules = _rules(audits, history, latest, usual)
    body = "\n".join([_header(audits, name, history, latest), rules])
    crumbs = [(up(INDEX), "All entities"), (up(entity_page(audits.name)), audits.name)]
    return page(f"{name} — {audits.name}", crumbs, body)


def _header(
    audits: EntityAudits, name: str, history: RepositoryHistory, repo: RepoReport | None
) -> str:
    last_index, last = history.seen[-1]
    shown = history.seen[-AUDITS_SHOWN:]
    scores = sparkline(over(name, "score", len(shown), "audit"), [r.score for _, r in shown])
    audited = when(audits.audits[last_index].started)
    if repo is None:
        return (
            f"<header><div><h1>{e(name)}</h1>"
            f'<p class="muted">Score {score_pill(last.score)} {scores} · last audited '
            f"{e(audited)}, not in the latest audit: its outcomes until then are below.</p>"
            "</div></header>"
        )
    link = safe_link(repo.url)
    where = f' · <a href="{e(link)}" rel="noopener noreferrer">on its host</a>' if link else ""
    licence = repo.licence.expression if repo.licence and repo.licence.expression else "none found"
    description = f"<p>{e(repo.description)}</p>" if repo.description else ""
    level = repository_level(repo)
    baseline = f" · OSPS Baseline {e(level)}" if level else ""
    return (
        f"<header><div><h1>{e(name)}</h1>{description}"
        f'<p class="muted">Score {score_pill(repo.score)} {scores} · licence '
        f"<code>{e(licence)}</code>{baseline} · audited {e(audited)}{where}</p>"
        + (f"<p><strong>Could not be scanned:</strong> {e(repo.error)}</p>" if repo.error else "")
        + "</div></header>"
    )


def _rules(
    audits: EntityAudits,
    history: RepositoryHistory,
    repo: RepoReport | None,
    usual: Mapping[str, str],
) -> str:
    """Per rule: its latest outcome, since when, every outcome as runs, and the evidence;
    what the rule asks to pass only where it differs from `usual`, the entity page's."""
    indices = [index for index, _ in history.seen[-AUDITS_SHOWN:]]
    results = {r.rule: r for r in repo.results} if repo else {}
    rules = list(dict.fromkeys([*results, *history.outcomes]))
    rows = []
    for rule in rules:
        by_audit = history.outcomes.get(rule, {})
        outcomes = list(map(by_audit.get, indices))
        latest = outcomes[-1]
        since = len(outcomes) - 1
        while since > 0 and outcomes[since - 1] == latest:
            since -= 1
        # Cells and rows without their optional end tags: this table is most of the site.
        rows.append(
            f'<tr><th scope="row"><a href="{up(rule_page(rule))}">{e(rule)}</a>'
            f"{outcome_cell(latest).removesuffix('</td>')}"
            f"<td>{e(when(audits.audits[indices[since]].started))}"
            f'<td class="runs">{_runs(outcomes)}'
            + (_evidence(results.get(rule), usual.get(rule, "")) if repo else "")
        )
    legend = ", ".join(f"{symbol} {outcome.value}" for outcome, symbol in OUTCOME_SYMBOLS.items())
    first = when(audits.audits[indices[0]].started)
    evidence = (
        '<th scope="col">why, in the latest audit</th><th scope="col">evidence</th>' if repo else ""
    )
    to_pass = (
        f' How to pass each rule: <a href="{up(entity_page(audits.name))}#{TO_PASS}">the '
        "entity's page</a>."
        if usual
        else ""
    )
    return (
        '<section aria-labelledby="rules"><h2 id="rules">Each rule over time</h2>'
        f'<p class="muted">{count(len(indices), "audit", "audits")} from {e(first)}, oldest '
        f"first, as runs of an outcome and how many audits in a row: {e(legend)}, {NOT_RUN} "
        f"not run.{to_pass}</p>"
        '<table class="history"><thead><tr><th scope="col">rule</th><th scope="col">now</th>'
        f'<th scope="col">since</th><th scope="col">every audit</th>{evidence}</tr></thead>'
        f"<tbody>{''.join(rows)}</table></section>"
    )


def _runs(outcomes: list[Outcome | None]) -> str:
    """Outcomes as runs: `✓12 ✗3 ✓37` (a run of one is its symbol alone)."""
    runs = []
    for outcome, run in groupby(outcomes):
        length = len(list(run))
        symbol = OUTCOME_SYMBOLS[outcome] if outcome else NOT_RUN
        runs.append(symbol if length == 1 else f"{symbol}{length}")
    return " ".join(runs)


def _evidence(result: RuleResult | None, usual: str) -> str:
    if result is None:
        return '<td class="muted">not run<td>'
    remediation = (
        f'<br><span class="muted">To pass: {e(result.remediation)}</span>'
        if result.remediation and result.remediation != usual
        else ""
    )
    return f"<td>{e(result.message)}{remediation}<td>{_evidence_paths(result.evidence)}"


def _evidence_paths(evidence: tuple[Evidence, ...]) -> str:
    """The evidence's paths; where one came from when not the repository's own tree."""
    items = [
        f"<code>{e(item.path)}</code>"
        + ("" if item.source is EvidenceSource.REPOSITORY else f" ({e(item.source.value)})")
        + (f" — {e(item.detail)}" if item.detail else "")
        for item in evidence
    ]
    if len(items) < 2:
        return items[0] if items else "—"
    return '<ul class="evidence">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def usual_remediations(report: Report) -> dict[str, str]:
    """Per rule, what it most often asks to pass in an audit: the entity's page says it once,
    and a repository's page only where the repository is asked something else."""
    asked = Counter(
        (result.rule, result.remediation)
        for repo in report.repositories
        for result in repo.results
        if result.remediation
    )
    usual: dict[str, str] = {}
    for (rule, remediation), _ in asked.most_common():
        usual.setdefault(rule, remediation)
    return usual
