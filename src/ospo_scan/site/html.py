"""What every page of the site shares: the shell (the HTML report's stylesheet and
Content-Security-Policy), escaping, page names and the small charts.

Page names come from a digest of what they show, never from a repository's own string, so a
hostile name cannot make a path; every link is relative, so the site works from `file://`.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from html import escape

from ospo_scan.formats._html_chart import score_band
from ospo_scan.formats._html_style import STYLE
from ospo_scan.formats._views import OUTCOME_SYMBOLS, format_score
from ospo_scan.formats.html import CONTENT_SECURITY_POLICY
from ospo_scan.model import Outcome, Report
from ospo_scan.untrusted.display import neutralise

CRUMBS_STYLE = "nav.crumbs{font-size:14px;margin-bottom:12px}"
_PALETTE = STYLE[: STYLE.index("}") + 1]
"""The HTML report's colours (its `:root` block), so that the site and the report look alike."""
SITE_STYLE = (
    _PALETTE
    + CRUMBS_STYLE
    + """
:root{--band-b:#38801e;--band-none:#6e7781;--exempt:#3e6aa8}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:24px;color:var(--ink);background:#fff;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
h1{font-size:28px;margin:0 0 4px;overflow-wrap:anywhere}
h1 code{font-size:inherit}
h2{font-size:20px;margin:32px 0 12px;padding-bottom:4px;border-bottom:1px solid var(--line)}
a{color:#0969da}a:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
td.cell{text-align:center;font-weight:700;min-width:26px}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
code.strip{font-size:16px;letter-spacing:1px;overflow-wrap:anywhere}
.pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:13px;font-weight:600;
white-space:nowrap}
.band-a{background:var(--band-a);color:#fff}.band-b{background:var(--band-b);color:#fff}
.band-c{background:var(--band-c);color:#1f2328}.band-d{background:var(--band-d);color:#fff}
.band-none{background:var(--band-none);color:#fff}
.o-pass{background:var(--pass);color:#fff}.o-exempt{background:var(--exempt);color:#fff}
.o-partial{background:var(--partial);color:#1f2328}.o-fail{background:var(--fail);color:#fff}
.o-not-applicable{background:var(--na);color:#59636e}.o-error{background:var(--error);color:#fff}
.o-none{background:#fff;color:#6e7781}
svg.chart{width:100%;height:auto;max-width:640px}
svg.chart circle.bar-band-a{fill:var(--band-a)}svg.chart circle.bar-band-b{fill:var(--band-b)}
svg.chart circle.bar-band-c{fill:var(--band-c)}svg.chart circle.bar-band-d{fill:var(--band-d)}
svg.spark{vertical-align:middle;background:#f6f8fa;border-radius:3px}
.figures{display:flex;gap:24px;flex-wrap:wrap;margin:8px 0}
.figures div{border:1px solid var(--line);border-radius:8px;padding:8px 14px}
.figures strong{display:block;font-size:22px}
ul.evidence{margin:0;padding-left:18px}
table.history td:nth-child(3){white-space:nowrap}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap}
"""
)
"""The site's stylesheet: the report's palette and the few rules its pages use, kept small
because every page carries it (the policy allows no shared stylesheet). Three colours are
darker than the report's, so that white text on them meets WCAG AA (4.5:1)."""
_SLUG_KEEP = re.compile(r"[^a-z0-9]+")
_SLUG_PREFIX = 40
_SPARK_WIDTH, _SPARK_HEIGHT = 120, 28
_SPARK_SCALE = 10
"""Sparkline units per pixel."""
_SPARK_MARKS = 12
"""Up to this many values, each has its dot; beyond, only the latest does."""
_RULE = re.compile(r"[^{}]+\{[^{}]*\}")
_CLASS_IN_SELECTOR = re.compile(r"\.([A-Za-z][\w-]*)")
_CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
_ROOT = re.compile(r":root\s*\{[^}]*\}")
_PROPERTY = re.compile(r"(--[\w-]+):\s*([^;}]+)")
_PROPERTY_USE = re.compile(r"var\((--[\w-]+)\)")


def with_values(style: str) -> str:
    """A stylesheet with each custom property's value written where it is used, its `:root`
    blocks (the later winning) and line breaks gone: a page then carries only the colours its
    rules use."""
    values: dict[str, str] = {}
    for block in _ROOT.findall(style):
        values.update((name, value.strip()) for name, value in _PROPERTY.findall(block))
    return _PROPERTY_USE.sub(lambda use: values[use[1]], _ROOT.sub("", style)).replace("\n", "")


_STYLE_RULES = tuple(
    (rule, tuple(_CLASS_IN_SELECTOR.findall(rule.split("{", 1)[0])))
    for rule in (match.group(0).strip() for match in _RULE.finditer(with_values(SITE_STYLE)))
)
"""The stylesheet's rules as pages carry them, each with the classes its selector names."""


@lru_cache(maxsize=1 << 16)
def e(text: str) -> str:
    """A string from a report, neutralised and escaped for HTML text and attributes."""
    return escape(neutralise(text, keep_line_breaks=True), quote=True)


@lru_cache(maxsize=1 << 16)
def slug(*parts: str) -> str:
    """A file name for what `parts` name: a readable prefix and a digest of the exact parts,
    so two names differing only in case or punctuation stay two pages."""
    readable = _SLUG_KEEP.sub("-", "-".join(parts).lower()).strip("-")[:_SLUG_PREFIX]
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{readable}-{digest}" if readable else digest


def page(title: str, crumbs: Sequence[tuple[str, str]], body: str, *, extra_style: str = "") -> str:
    """A whole page: `crumbs` are (relative link, label) pairs leading to it."""
    trail = " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} ".join(
        f'<a href="{href}">{e(label)}</a>' for href, label in crumbs
    )
    nav = f'<nav class="crumbs" aria-label="Breadcrumb">{trail}</nav>\n' if crumbs else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{_used_style(nav + body)}{extra_style}</style>\n"
        f"</head>\n<body>\n{nav}<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _used_style(body: str) -> str:
    """The site's stylesheet less the rules for classes the page does not use: every page
    carries its own (the policy allows no shared stylesheet), and a repository page is small."""
    return _style_for(
        frozenset(n for names in _CLASS_ATTRIBUTE.findall(body) for n in names.split())
    )


@lru_cache(maxsize=256)
def _style_for(used: frozenset[str]) -> str:
    return "".join(
        rule for rule, classes in _STYLE_RULES if not classes or any(c in used for c in classes)
    )


def section(anchor: str, heading: str, content: str) -> str:
    """A titled section of a page; `anchor` names it for links and its heading labels it."""
    return (
        f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{e(heading)}</h2>'
        f"{content}</section>"
    )


def score_pill(score: float | None) -> str:
    return f'<span class="pill {score_band(score)}">{format_score(score)}</span>'


@lru_cache(maxsize=1024)
def outcome_cell(outcome: Outcome | None, tip: str = "") -> str:
    """A table cell with an outcome's symbol (never colour alone) and its name for screen
    readers."""
    if outcome is None:
        return '<td class="cell o-none"><span title="not run">·</span></td>'
    title = f' title="{e(outcome.value)}: {e(tip)}"' if tip else ""
    return (
        f'<td class="cell o-{outcome.value}"{title}>'
        f'{OUTCOME_SYMBOLS[outcome]}<span class="vh"> {e(outcome.value)}</span></td>'
    )


def sparkline(label: str, values: Sequence[float | None], *, top: float = 100.0) -> str:
    """A small line of values on a 0 to `top` scale, the latest marked; a missing value is
    left out. Drawn in tenths of a pixel, as whole numbers, each point relative to the last:
    a year of weekly values costs a few hundred bytes, and a repository page carries one."""
    scale = _SPARK_SCALE
    pad = 3 * scale
    width, height = (_SPARK_WIDTH * scale - 2 * pad), (_SPARK_HEIGHT * scale - 2 * pad)
    count = len(values)
    points = [
        (
            round(pad + (width * i / (count - 1) if count > 1 else width / 2)),
            round(pad + height * (1 - v / top)),
        )
        for i, v in enumerate(values)
        if v is not None
    ]
    line = ""
    if len(points) > 1:
        steps = "".join(
            f" {dx}{dy}" if dy < 0 else f" {dx} {dy}"
            for (x0, y0), (x1, y1) in itertools.pairwise(points)
            for dx, dy in [(x1 - x0, y1 - y0)]
        )
        x, y = points[0]
        line = f'<path d="M{x} {y}l{steps[1:]}" fill="none" stroke="#0969da" stroke-width="15"/>'
    marked = points if len(points) <= _SPARK_MARKS else points[-1:]  # a line says the rest
    marks = "".join(f'<circle cx="{x}" cy="{y}" r="20" fill="#0969da"/>' for x, y in marked)
    return (
        f'<svg class="spark" viewBox="0 0 {_SPARK_WIDTH * scale} {_SPARK_HEIGHT * scale}" '
        f'width="{_SPARK_WIDTH}" height="{_SPARK_HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{e(label)}</title>{line}{marks}</svg>'
    )


def when(started: str) -> str:
    """An audit's date, as a day (the site's pages are about weeks, not minutes)."""
    return started[:10] if len(started) >= 10 else started


def count(number: int, singular: str, plural: str) -> str:
    """`1 repository`, `2 repositories`."""
    return f"{number} {singular if number == 1 else plural}"


def over(subject: str, measure: str, number: int, unit: str) -> str:
    """A chart's title: `app: score over 3 audits`."""
    return f"{subject}: {measure} over {count(number, unit, unit + 's')}"


def started(report: Report) -> str:
    """When an audit started (ISO 8601 UTC), or nothing for a report without a scan date."""
    return report.scan.started if report.scan else ""
