"""The plan (and what applying it did) as text for people or JSON for machines. Pure functions.

The text names repositories, the entity, contacts and file contents, all from outside: every
line is neutralised, as the other commands' terminal output is, so no escape sequence or
bidirectional character reaches the terminal and no name spans two lines.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from typing import Any

from ospo_scan.connectors.interface import ApplyResult
from ospo_scan.fix.model import FixPlan, ProposedFile, RepositoryPlan
from ospo_scan.untrusted.display import neutralise


def plan_text(plan: FixPlan, *, applied: bool = False) -> str:
    """The plan, repository by repository, each file with its reason and (for a dry run, when
    nothing was applied) its diff."""
    score = "no score" if plan.score is None else f"score {plan.score:.1f}"
    lines = [f"Fix plan for {plan.entity} ({plan.source}, {score})", ""]
    for repo in plan.repositories:
        lines.extend(_repository_text(repo, diffs=not applied))
    count = plan.file_count
    touched = sum(1 for r in plan.repositories if r.files)
    lines.append(
        f"{count} file{'s' if count != 1 else ''} in {touched} "
        f"repositor{'y' if touched == 1 else 'ies'}."
        + (
            " Nothing was changed: --write or --open-pr applies the plan."
            if count and not applied
            else ""
        )
    )
    return _lines(lines)


def _lines(lines: Sequence[str]) -> str:
    """The lines, each one line, shown safely."""
    return "".join(neutralise(line) + "\n" for line in lines)


def _repository_text(repo: RepositoryPlan, *, diffs: bool) -> list[str]:
    heading = f"== {repo.name}" + (" (new repository)" if repo.create else "")
    lines = [heading]
    if repo.excluded is not None:
        return [*lines, f"   not fixed: {repo.excluded}", ""]
    if not (repo.files or repo.skipped or repo.covered):
        return [*lines, "   nothing to fix", ""]
    for proposed in repo.files:
        lines.append(f"   + {proposed.path}  [{proposed.rule}: {proposed.outcome.value}]")
        lines.append(f"     why: {proposed.reason}")
        lines.extend(f"     note: {note}" for note in proposed.notes)
    for covered in repo.covered:
        lines.append(f"   ~ {covered.rule}: fixed by {covered.path} in {covered.repository}")
    for skipped in repo.skipped:
        lines.append(f"   - {skipped.rule}: skipped: {skipped.reason}")
    if diffs:
        for proposed in repo.files:
            lines.append("")
            lines.extend(unified_diff(proposed).rstrip("\n").split("\n"))
    lines.append("")
    return lines


def unified_diff(proposed: ProposedFile) -> str:
    """The new file as a unified diff against nothing (`/dev/null`)."""
    new = proposed.content.splitlines(keepends=True)
    if new and not new[-1].endswith("\n"):
        new[-1] += "\n"
    return "".join(difflib.unified_diff([], new, "/dev/null", f"b/{proposed.path}"))


def plan_json(plan: FixPlan, results: Sequence[ApplyResult] = ()) -> str:
    """The plan (and, after --write or --open-pr, what was done) as `ospo-scan/fix-plan/v1`."""
    document: dict[str, Any] = {
        "schema": plan.schema,
        "entity": {"name": plan.entity, "source": plan.source, "score": plan.score},
        "defaults_repository": plan.defaults_repository,
        "repositories": [_repository_json(r) for r in plan.repositories],
        "summary": {
            "files": plan.file_count,
            "repositories": sum(1 for r in plan.repositories if r.files),
        },
        "applied": [
            {
                "repository": r.repository,
                "status": r.status.value,
                "detail": r.detail,
                "files": list(r.files),
                "url": r.url,
            }
            for r in results
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _repository_json(repo: RepositoryPlan) -> dict[str, Any]:
    return {
        "name": repo.name,
        "url": repo.url,
        "create": repo.create,
        "excluded": repo.excluded,
        "files": [
            {
                "path": f.path,
                "rule": f.rule,
                "outcome": f.outcome.value,
                "reason": f.reason,
                "notes": list(f.notes),
                "content": f.content,
                "diff": unified_diff(f),
            }
            for f in repo.files
        ],
        "covered": [
            {"rule": c.rule, "path": c.path, "repository": c.repository} for c in repo.covered
        ],
        "skipped": [{"rule": s.rule, "reason": s.reason} for s in repo.skipped],
    }


def results_text(results: Sequence[ApplyResult]) -> str:
    """One line per repository applied."""
    if not results:
        return "Nothing to apply.\n"
    lines = []
    for result in results:
        where = f" {result.url}" if result.url else ""
        lines.append(f"{result.repository}: {result.status.value}: {result.detail}{where}")
    return _lines(lines)
