"""Applying a plan: files written into local working trees, or one request per repository on a host.

Each repository is applied on its own: one that cannot be changed (archived, no push access, an
unsafe working tree) or that fails says why, and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ospo_scan.connectors.interface import (
    FIX_BRANCH,
    ApplyResult,
    ApplyStatus,
    ScanOptions,
    TargetKind,
)
from ospo_scan.connectors.local.write import in_git_directory, write_new_files
from ospo_scan.errors import OspoScanError, UsageError
from ospo_scan.fix.model import RepositoryPlan
from ospo_scan.fix.run import PlannedRun

PULL_REQUEST_TITLE = "Add missing community and security files (ospo-scan)"

Progress = Callable[[str], None]


def write_local(run: PlannedRun) -> list[ApplyResult]:
    """`--write`: create the planned files in each local working tree."""
    if run.target.kind is not TargetKind.LOCAL:
        raise UsageError("--write changes local working trees; use --open-pr for a host target")
    if in_git_directory(Path(run.target.path)):
        raise UsageError(
            f"{run.target.path} is or lies in a .git directory; --write never writes there",
            hint="give the working tree (the directory holding .git)",
        )
    results: list[ApplyResult] = []
    for plan in run.plan.repositories:
        if not plan.files:
            continue
        directory = run.directories[plan.name]
        outcome = write_new_files(
            directory, {f.path: f.content for f in plan.files}, create=plan.create
        )
        parts = []
        if outcome.written:
            parts.append(f"wrote {', '.join(outcome.written)}")
        if outcome.present:
            parts.append(f"left {', '.join(outcome.present)} as they are (they exist)")
        parts.extend(f"refused {reason}" for reason in outcome.refused)
        if outcome.written and outcome.refused:
            status = ApplyStatus.INCOMPLETE
        elif outcome.written:
            status = ApplyStatus.WRITTEN
        elif outcome.refused:
            status = ApplyStatus.FAILED
        else:
            status = ApplyStatus.UNCHANGED
        results.append(ApplyResult(plan.name, status, "; ".join(parts), outcome.written))
    return results


def open_requests(
    run: PlannedRun, options: ScanOptions, progress: Progress | None = None
) -> list[ApplyResult]:
    """`--open-pr`: one branch and one pull (GitHub) or merge (GitLab) request per repository."""
    match run.target.kind:
        case TargetKind.LOCAL:
            raise UsageError("--open-pr needs a GitHub or GitLab target; use --write locally")
        case TargetKind.GITHUB:
            from ospo_scan.connectors.github.write import GitHubWriter

            writer: _Writer = GitHubWriter.for_options(options, run.target)
        case TargetKind.GITLAB:
            from ospo_scan.connectors.gitlab.write import GitLabWriter

            writer = GitLabWriter.for_options(options, run.target)
    results: list[ApplyResult] = []
    try:
        for plan in run.plan.repositories:
            if not plan.files:
                continue
            if progress is not None:
                progress(f"proposing fixes to {plan.name}")
            results.append(_propose(writer, plan))
    finally:
        writer.close()
    return results


def request_body(plan: RepositoryPlan) -> str:
    """The request's description: each file and the rule it fixes."""
    lines = [
        "This request adds files that [ospo-scan](https://github.com/ospo-scan/ospo-scan) found "
        "missing. Each is filled from the entity profile; review and adapt them before merging.",
        "",
        "| file | fixes rule | now |",
        "|---|---|---|",
    ]
    lines.extend(f"| `{f.path}` | `{f.rule}` | {f.outcome.value} |" for f in plan.files)
    notes = [f"- `{f.path}` {note}." for f in plan.files for note in f.notes]
    if notes:
        lines.extend(["", "Before merging:", "", *notes])
    lines.extend(
        ["", f"Running `ospo-scan fix --open-pr` again updates the branch `{FIX_BRANCH}`."]
    )
    return "\n".join(lines) + "\n"


class _Writer(Protocol):
    """What a host's write side offers (GitHubWriter, GitLabWriter)."""

    def propose(
        self, repository: str, files: dict[str, str], title: str, body: str, *, create: bool
    ) -> ApplyResult:
        """Commit `files` to the fix branch and open (or update) the request."""

    def close(self) -> None:
        """End the session."""


def _propose(writer: _Writer, plan: RepositoryPlan) -> ApplyResult:
    files = {f.path: f.content for f in plan.files}
    try:
        return writer.propose(
            plan.name, files, PULL_REQUEST_TITLE, request_body(plan), create=plan.create
        )
    except OspoScanError as exc:
        return ApplyResult(plan.name, ApplyStatus.FAILED, exc.one_line())
