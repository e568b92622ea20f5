"""The terminal table: entity score and level, a row per repository, per-rule pass rates."""

from __future__ import annotations

from tabulate import tabulate

from ospo_scan.display import neutralise
from ospo_scan.model import Outcome, RepoReport, Report, RepoStatus

_NOT_PASSING = (Outcome.FAIL, Outcome.PARTIAL, Outcome.ERROR)


def format_table(report: Report) -> str:
    entity = report.entity
    summary = report.summary
    lines = [
        f"{_clean(entity.name)}: entity score {_score(entity.score)} "
        f"({entity.level or 'no level'})",
        f"ruleset {report.ruleset.id} {report.ruleset.version}; "
        f"{summary.repositories} repositories, {summary.in_scope} in scope, "
        f"{summary.errors} errors",
        *[f"note: {_clean(note)}" for note in entity.notes],
        "",
        tabulate(
            [_repository_row(r, entity.defaults_repository) for r in report.repositories],
            headers=["repository", "score", "scope", "not passing"],
            tablefmt="simple",
            disable_numparse=True,
        ),
        "",
        tabulate(
            [[rule, _rate(rate)] for rule, rate in summary.rule_pass_rates.items()],
            headers=["rule", "pass rate"],
            tablefmt="simple",
            disable_numparse=True,
        ),
    ]
    errors = [r for r in report.repositories if r.status is RepoStatus.ERROR]
    if errors:
        lines += ["", "could not be scanned:"]
        lines += [f"  {_clean(r.name)}: {_clean(r.error or 'unknown error')}" for r in errors]
    return "\n".join(lines) + "\n"


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
