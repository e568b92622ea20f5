"""The terminal table: entity score and level, a row per entity, a line per framework item (the
UN Open Source Principles, the DPG indicators), a row per repository, per-rule pass rates,
warnings, and what to fix first; fitted to a width (80 columns unless told)."""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from ospo_scan.formats._frameworks import (
    item_note,
    levels_line,
    shown_items,
    text_bar,
    unmapped_note,
)
from ospo_scan.formats._priorities import fix_first
from ospo_scan.model import ItemView, Outcome, RepoReport, Report, RepoStatus
from ospo_scan.untrusted.display import neutralise

_NOT_PASSING = (Outcome.FAIL, Outcome.PARTIAL, Outcome.UNKNOWN, Outcome.ERROR)
DEFAULT_WIDTH = 80
_MIN_WRAPPED = 16
"""The narrowest a wrapped column gets, however narrow the terminal."""


def format_table(report: Report, width: int = DEFAULT_WIDTH) -> str:
    entity = report.entity
    summary = report.summary
    lines = _wrapped(
        [
            f"{_clean(entity.name)}: entity score {_score(entity.score)} "
            f"({entity.level or 'no level'})",
            f"ruleset {report.ruleset.id} {report.ruleset.version}; "
            f"{_counted(summary.repositories, 'repository', 'repositories')}, "
            f"{summary.in_scope} in scope, {_counted(summary.errors, 'error', 'errors')}"
            + (f", {summary.unknown} unknown" if summary.unknown else "")
            + (f"; shard {report.scan.shard}" if report.scan and report.scan.shard else ""),
            *_shard_notes(report),
            *[f"note: {_clean(note)}" for note in entity.notes],
        ],
        width,
    )
    if report.entities:
        rows = [
            [_clean(e.name), _score(e.score), e.level or "-", e.source] for e in report.entities
        ]
        lines += ["", _fitted(rows, ["entity", "score", "level", "source"], width, wrap=0)]
    for framework in entity.frameworks:
        heading = _clean(f"{framework.title} {framework.version} ({framework.id}):")
        lines += ["", *_wrapped([heading], width, indent=2)]
        lines += _wrapped([_item_line(item) for item in shown_items(framework)], width, indent=23)
        if (unmapped := unmapped_note(framework)) is not None:
            lines += _wrapped([f"  {_clean(unmapped)}"], width, indent=4)
        if (levels := levels_line(framework)) is not None:
            lines += _wrapped([f"  {_clean(levels)}"], width, indent=4)
    rows = [_repository_row(r, entity.defaults_repository) for r in report.repositories]
    lines += ["", _fitted(rows, ["repository", "score", "scope", "not passing"], width, wrap=3)]
    rates = [[rule, _rate(rate)] for rule, rate in summary.rule_pass_rates.items()]
    lines += ["", tabulate(rates, headers=["rule", "pass rate"], disable_numparse=True)]
    errors = [r for r in report.repositories if r.status is RepoStatus.ERROR]
    if errors:
        lines += ["", "could not be scanned:"]
        lines += _wrapped(
            [f"  {_clean(r.name)}: {_clean(r.error or 'unknown error')}" for r in errors], width
        )
    lines += _unknown(report, width)
    warnings = [(r.name, w) for r in report.repositories for w in r.warnings]
    if warnings:
        lines += ["", "warnings:"]
        lines += _wrapped([f"  {_clean(name)}: {_clean(w)}" for name, w in warnings], width)
    actions = fix_first(report)
    if actions:
        lines += ["", "fix first (entity score points recovered):"]
        lines += _wrapped(
            [f"  +{a.points:.1f}  {_clean(a.describe())}" for a in actions], width, indent=8
        )
    return "\n".join(lines) + "\n"


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _shard_notes(report: Report) -> list[str]:
    if report.scan is None or report.scan.shard is None:
        return []
    return [
        f"note: this is shard {report.scan.shard} of the scan: it holds only that part of the "
        "repositories, and its score is the part's; join the shards' JSON reports with "
        "`ospo-scan merge`"
    ]


def _item_line(item: ItemView) -> str:
    """Score, text bar, the item, and what pulls it down; blank where nothing evidences it."""
    note = item_note(item)
    score = "" if item.score is None else f"{item.score:.1f}"
    line = f"  {score:>5}  {text_bar(item.score)}  {item.id}. {item.title}"
    return _clean(f"{line} · {note}" if note else line)


def _fitted(rows: list[list[str]], headers: list[str], width: int, *, wrap: int) -> str:
    """A table no wider than `width` where it can be: column `wrap` (text) is wrapped between
    words, then the first column (names) if still needed; numbers are never cut."""
    # tabulate pads every header by two columns (its MIN_PADDING).
    natural = [max(len(h) + 2, *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    longest_word = max((len(w) for r in rows for w in r[wrap].split()), default=0)
    least = max(longest_word, _MIN_WRAPPED)
    gap = 2 * (len(headers) - 1)
    others = sum(w for i, w in enumerate(natural) if i != wrap)
    room = width - others - gap
    names: int | None = None
    if room < least and wrap != 0:
        names = max(natural[0] - (least - room), _MIN_WRAPPED)
        room = width - (others - natural[0] + names) - gap
    text_width = max(room, least)
    cells = [
        [
            _wrap_words(cell, text_width)
            if i == wrap
            else _wrap_name(cell, names)
            if i == 0
            else cell
            for i, cell in enumerate(row)
        ]
        for row in rows
    ]
    return tabulate(cells, headers=headers, disable_numparse=True, tablefmt="simple")


def _wrap_words(text: str, width: int) -> str:
    """Between words only: a rule id never breaks at its hyphen."""
    lines = textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)
    return "\n".join(lines) or text


def _wrap_name(text: str, width: int | None) -> str:
    if width is None or len(text) <= width:
        return text
    return "\n".join(textwrap.wrap(text, width)) or text


def _wrapped(lines: list[str], width: int, indent: int = 4) -> list[str]:
    wrapped: list[str] = []
    for line in lines:
        wrapped += textwrap.wrap(
            line, max(width, _MIN_WRAPPED), subsequent_indent=" " * indent, break_on_hyphens=False
        ) or [line]
    return wrapped


def _repository_row(repo: RepoReport, defaults: str | None) -> list[str]:
    scope = "no (org defaults)" if repo.name == defaults else _scope(repo)
    if repo.status is RepoStatus.ERROR:
        return [_clean(repo.name), "-", scope, f"error: {_clean(repo.error or '')}"]
    failing = [
        f"{r.rule}" + ("" if r.outcome is Outcome.FAIL else f" ({r.outcome.value})")
        for r in sorted(repo.results, key=lambda r: (-r.weight, r.rule))
        if r.outcome in _NOT_PASSING
    ]
    return [_clean(repo.name), _score(repo.score), scope, ", ".join(failing) or "-"]


def _unknown(report: Report, width: int) -> list[str]:
    """Per rule, how many results could not be observed and what would settle them."""
    by_rule: dict[str, list[str]] = {}
    for repo in report.repositories:
        for result in repo.results:
            if result.outcome is Outcome.UNKNOWN:
                by_rule.setdefault(result.rule, []).append(result.message)
    if not by_rule:
        return []
    lines = [
        f"  {rule} ({_counted(len(messages), 'repository', 'repositories')}): {_clean(messages[0])}"
        for rule, messages in by_rule.items()
    ]
    return ["", "unknown (neither pass nor fail; not scored):", *_wrapped(lines, width)]


def _scope(repo: RepoReport) -> str:
    if repo.in_scope:
        return "yes"
    reasons = [label for flag, label in ((repo.archived, "archived"), (repo.fork, "fork")) if flag]
    return "no (" + ", ".join(reasons) + ")" if reasons else "no"


def _score(score: float | None) -> str:
    return "-" if score is None else f"{score:.1f}"


def _rate(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.0f}%"


def _clean(text: str) -> str:
    """Repository-controlled text cannot move the cursor or colour the terminal."""
    return "".join(c if c.isprintable() else "?" for c in neutralise(text))
