"""GitHub Actions workflows as the CI rules read them: triggers, jobs, commands, permissions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ospo_scan.rules.ci import CiDefinitions, mapping, strings, where, workflow_document
from ospo_scan.untrusted.linear_regex import linear

ON_CHANGE_TRIGGERS = frozenset({"pull_request", "pull_request_target", "merge_group"})
"""Triggers that run a workflow on a proposed change, before it is accepted."""
PRIVILEGED_TRIGGERS = frozenset({"pull_request_target", "workflow_run"})
"""Triggers that run with the base repository's secrets and a write token on a fork's change."""
UNTRUSTED_HEAD = linear(
    r"pull_request\.head|head_ref|head_sha|head_branch|head\.sha|head\.ref|refs/pull/"
    r"|pull/\$\{\{|gh\s+pr\s+checkout|merge_commit_sha",
    re.IGNORECASE,
)
"""A reference to a pull request's (or a triggering run's) head: its untrusted code."""


@dataclass(frozen=True)
class Job:
    """One job of a workflow."""

    name: str
    """The job's id."""
    commands: tuple[str, ...]
    """The scripts of its `run:` steps."""
    uses: tuple[str, ...]
    """What it uses, lower-cased without the `@ref`: step actions and a reusable workflow."""
    checkout_refs: tuple[str, ...]
    """The `ref:` given to each `actions/checkout` step ('' for the default)."""
    permissions: Any
    """Its `permissions:` value; None when it sets none."""
    sets_permissions: bool
    """Whether it has a `permissions:` key."""


@dataclass(frozen=True)
class Workflow:
    """One workflow file."""

    path: str
    triggers: frozenset[str]
    """The events in `on:`."""
    jobs: tuple[Job, ...]
    permissions: Any
    """The top-level `permissions:` value; None when it sets none."""
    sets_permissions: bool
    takes_inputs: bool
    """It accepts `workflow_dispatch` or `workflow_call` inputs: collaborators' input."""

    @property
    def on_change(self) -> bool:
        return bool(self.triggers & ON_CHANGE_TRIGGERS)

    def where(self, job: Job | None = None) -> str:
        return where(self.path, job.name if job is not None else None)


def workflows(ci: CiDefinitions) -> tuple[tuple[Workflow, ...], tuple[str, ...]]:
    """The workflows that parse, and the paths of those that do not (GitHub runs none of them)."""
    parsed: list[Workflow] = []
    invalid: list[str] = []
    for file in ci.workflows:
        document = workflow_document(file.text)
        if document is None:
            invalid.append(file.path)
        else:
            parsed.append(_workflow(file.path, document))
    return tuple(parsed), tuple(invalid)


def _workflow(path: str, document: dict[Any, Any]) -> Workflow:
    # YAML 1.1 reads an unquoted `on` key as the boolean true.
    on = document.get("on", document.get(True))
    triggers = _triggers(on)
    inputs = any(
        mapping(mapping(on).get(event)).get("inputs")
        for event in ("workflow_dispatch", "workflow_call")
    )
    jobs = tuple(_job(str(name), job) for name, job in document["jobs"].items())
    return Workflow(
        path,
        triggers,
        jobs,
        document.get("permissions"),
        "permissions" in document,
        bool(inputs),
    )


def _triggers(on: Any) -> frozenset[str]:
    if isinstance(on, str):
        return frozenset({on})
    if isinstance(on, list):
        return frozenset(t for t in on if isinstance(t, str))
    return frozenset(str(t) for t in mapping(on))


def _job(name: str, job: Any) -> Job:
    job = mapping(job)
    steps = [mapping(step) for step in job.get("steps") or () if isinstance(step, dict)]
    commands = tuple(s["run"] for s in steps if isinstance(s.get("run"), str))
    uses = [s["uses"] for s in steps if isinstance(s.get("uses"), str)]
    if isinstance(job.get("uses"), str):
        uses.append(job["uses"])
    refs = tuple(
        " ".join(strings(mapping(s.get("with")).get("ref")))
        for s in steps
        if isinstance(s.get("uses"), str) and action_name(s["uses"]) == "actions/checkout"
    )
    return Job(
        name,
        commands,
        tuple(action_name(u) for u in uses),
        refs,
        job.get("permissions"),
        "permissions" in job,
    )


def action_name(uses: str) -> str:
    """`actions/checkout@v4` -> `actions/checkout`; `./.github/workflows/x.yml` unchanged."""
    return uses.strip().split("@", 1)[0].lower()


def grants_write(permissions: Any) -> bool:
    """Whether a `permissions:` value grants any write scope (`write-all`, `contents: write`);
    a value this does not understand counts as a grant."""
    if permissions is None:
        return False
    if isinstance(permissions, str):
        return permissions.strip().lower() != "read-all"
    if isinstance(permissions, dict):
        return any(str(v).strip().lower() not in ("read", "none") for v in permissions.values())
    return True


def checks_out_untrusted_head(job: Job) -> str | None:
    """What in a job fetches the triggering change's own code, if anything."""
    for ref in job.checkout_refs:
        if UNTRUSTED_HEAD.search(ref):
            return f"actions/checkout with ref {ref}"
    for command in job.commands:
        if (found := UNTRUSTED_HEAD.search(command)) is not None and "git" in command:
            return f"a run step using {found.group(0)}"
    return None
