"""A rule's page: its pass rate across the system over time, and where it fails now."""

from __future__ import annotations

from collections.abc import Sequence

from ospo_scan.formats._views import format_rate
from ospo_scan.model import Outcome, RepoStatus
from ospo_scan.site.audits import EntityAudits
from ospo_scan.site.figures import SystemPoint
from ospo_scan.site.html import e, outcome_cell, over, page, sparkline
from ospo_scan.site.links import INDEX, entity_page, repository_page, up

FAILING = (Outcome.FAIL, Outcome.PARTIAL)
FAILURES_SHOWN = 500
"""How many failing repositories the page lists; the count says how many there are."""


def rule_html(rule: str, groups: Sequence[EntityAudits], points: Sequence[SystemPoint]) -> str:
    about = _about(rule, groups)
    body = "\n".join(
        [
            f"<header><div><h1><code>{e(rule)}</code></h1>{about}</div></header>",
            _over_time(rule, points),
            _failing(rule, groups),
        ]
    )
    return page(f"Rule {rule}", [(up(INDEX), "All entities")], body)


def _about(rule: str, groups: Sequence[EntityAudits]) -> str:
    for group in groups:
        for repo in group.latest.repositories:
            for result in repo.results:
                if result.rule == rule:
                    return (
                        f'<p class="muted">Category {e(result.category)} · weight '
                        f"{result.weight:g}</p>"
                    )
    return ""


def _over_time(rule: str, points: Sequence[SystemPoint]) -> str:
    tallies = [point.rules.get(rule) for point in points]
    shares = [tally.share if tally else None for tally in tallies]
    rows = "".join(
        f'<tr><th scope="row">{e(point.day)}</th><td class="num">{point.entities}</td>'
        f'<td class="num">{tally.count if tally else 0} of {tally.of if tally else 0}</td>'
        f'<td class="num">{format_rate(tally.share if tally else None)}</td></tr>'
        for point, tally in reversed(list(zip(points, tallies, strict=True)))
    )
    spark = sparkline(over(rule, "pass rate", len(points), "audit day"), shares, top=1.0)
    return (
        '<section aria-labelledby="over-time"><h2 id="over-time">Pass rate across the system</h2>'
        f"<p>{spark} In-scope published repositories passing (or exempt), of those where the "
        "rule applied, each entity as its latest audit by that day saw it.</p>"
        '<table><thead><tr><th scope="col">day</th><th scope="col" class="num">entities</th>'
        '<th scope="col" class="num">passing</th><th scope="col" class="num">pass rate</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _failing(rule: str, groups: Sequence[EntityAudits]) -> str:
    rows = []
    for group in groups:
        for repo in group.latest.repositories:
            if repo.status is not RepoStatus.OK or not repo.in_scope:
                continue
            result = next((r for r in repo.results if r.rule == rule), None)
            if result is None or result.outcome not in FAILING:
                continue
            rows.append(
                f'<tr><td><a href="{up(entity_page(group.name))}">{e(group.name)}</a></td>'
                f'<th scope="row"><a href="{up(repository_page(group.name, repo.name))}">'
                f"{e(repo.name)}</a></th>{outcome_cell(result.outcome)}"
                f"<td>{e(result.message)}</td></tr>"
            )
    if not rows:
        return (
            '<section aria-labelledby="failing"><h2 id="failing">Where it fails</h2>'
            "<p>No published repository fails it in its entity's latest audit.</p></section>"
        )
    more = len(rows) - FAILURES_SHOWN
    return (
        '<section aria-labelledby="failing"><h2 id="failing">Where it fails</h2>'
        f"<p>{len(rows)} published repositories fail it or pass it partly in their entity's "
        "latest audit.</p>"
        '<table><thead><tr><th scope="col">entity</th><th scope="col">repository</th>'
        '<th scope="col">outcome</th><th scope="col">why</th></tr></thead>'
        f"<tbody>{''.join(rows[:FAILURES_SHOWN])}</tbody></table>"
        + (f'<p class="muted">and {more} more.</p>' if more > 0 else "")
        + "</section>"
    )
