"""A rule's page: its pass rate across the system over time, and where it fails now, entity by
entity (how many published repositories, and the first few of them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ospo_scan.formats._views import format_rate
from ospo_scan.site.audits import EntityAudits
from ospo_scan.site.figures import SystemPoint
from ospo_scan.site.html import count, e, over, page, sparkline
from ospo_scan.site.links import INDEX, entity_page, repository_page, up

NAMED_PER_ENTITY = 10
"""How many failing repositories of an entity the page names; its count says how many fail,
and the entity's page lists them all."""


def rule_html(
    rule: str,
    groups: Sequence[EntityAudits],
    points: Sequence[SystemPoint],
    failing: Mapping[str, Sequence[str]],
) -> str:
    """`failing`: per entity name, its published repositories that fail the rule or pass it
    partly in its latest audit."""
    body = "\n".join(
        [
            f"<header><div><h1><code>{e(rule)}</code></h1></div></header>",
            _over_time(rule, points),
            _failing(groups, failing),
        ]
    )
    return page(f"Rule {rule}", [(up(INDEX), "All entities")], body)


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
        f"<p>{spark} In-scope repositories passing (or exempt), of those where the rule "
        "applied, each entity as its latest audit by that day saw it (counts include "
        "repositories the site does not name).</p>"
        '<table><thead><tr><th scope="col">day</th><th scope="col" class="num">entities</th>'
        '<th scope="col" class="num">passing</th><th scope="col" class="num">pass rate</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _failing(groups: Sequence[EntityAudits], failing: Mapping[str, Sequence[str]]) -> str:
    rows = []
    total = 0
    for group in groups:
        names = sorted(failing.get(group.name, ()))
        if not names:
            continue
        total += len(names)
        links = ", ".join(
            f'<a href="{up(repository_page(group.name, name))}">{e(name)}</a>'
            for name in names[:NAMED_PER_ENTITY]
        )
        more = len(names) - NAMED_PER_ENTITY
        rows.append(
            f'<tr><th scope="row"><a href="{up(entity_page(group.name))}">{e(group.name)}</a>'
            f'</th><td class="num">{len(names)}</td>'
            f"<td>{links}{f' and {more} more' if more > 0 else ''}</td></tr>"
        )
    if not rows:
        return (
            '<section aria-labelledby="failing"><h2 id="failing">Where it fails</h2>'
            "<p>No published repository fails it in its entity's latest audit.</p></section>"
        )
    return (
        '<section aria-labelledby="failing"><h2 id="failing">Where it fails</h2>'
        f"<p>{count(total, 'published repository fails', 'published repositories fail')} it "
        "or pass it partly in their entity's latest audit.</p>"
        '<table><thead><tr><th scope="col">entity</th><th scope="col" class="num">'
        'repositories</th><th scope="col">which</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )
