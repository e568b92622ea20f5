"""Untrusted input and code in CI pipelines: metadata expanded into code, a change's code run with
the repository's secrets, collaborators' input used unchecked. GitHub Actions workflows are judged
by zizmor's audits (run once per scan); `.gitlab-ci.yml` by the checks in `_ci_gitlab`.
"""

from __future__ import annotations

from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._ci_audit import ZIZMOR, audit_unknown, failing
from ospo_scan.rules._ci_github import (
    PRIVILEGED_TRIGGERS,
    checks_out_untrusted_head,
    workflows,
)
from ospo_scan.rules._ci_gitlab import pipeline, reparsed_untrusted
from ospo_scan.rules.ci import (
    CiRule,
    ci_definitions,
    ci_evidence,
    no_pipeline,
    shown,
    unread_unknown,
    where,
)
from ospo_scan.rules.interface import RuleContext, not_applicable
from ospo_scan.untrusted.linear_regex import linear

_INPUT = linear(r"^\s*(?:github\.event\.)?inputs\.")
"""An expression reading a workflow's inputs: collaborators' input, not an outsider's."""


class CiUntrustedInputRule(CiRule):
    id = "ci-untrusted-input"
    description = "Pipelines never expand untrusted metadata (titles, branch names) into code."
    help_url = "https://docs.zizmor.sh/audits/#template-injection"
    remediation = (
        "Pass untrusted values through environment variables (`env: TITLE: ${{ "
        'github.event.issue.title }}` then `"$TITLE"`) instead of `${{ }}` inside `run:`; '
        "on GitLab, never `eval` or `sh -c` a merge request's title or branch name."
    )
    default_weight = 5.0
    needs_audit = True

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("GitHub", f"{ZIZMOR}: `template-injection` on anything but the workflow's inputs"),
            (
                "GitLab",
                "a script line that parses a merge request's or commit's title, description, "
                "message or branch name as code again (`eval`, `sh -c`, `python -c`, `iex`)",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        ci = ci_definitions(context)
        if not ci.present:
            return no_pipeline()
        gitlab = pipeline(ci)
        for job in gitlab.jobs if gitlab else ():
            if (reparsed := reparsed_untrusted(job)) is not None:
                variable, line = reparsed
                return Finding(
                    Outcome.FAIL,
                    f"{where(job.path, job.name)} parses ${variable} as code: {shown(line)}",
                    (ci_evidence(job.path, f"job {shown(job.name, 60)}: ${variable}"),),
                )
        if ci.workflows:
            if (missing := audit_unknown(ci)) is not None:
                return missing
            injected = tuple(
                f for f in ci.audit.of("template-injection") if not _INPUT.search(f.expression)
            )
            if injected:
                return failing(injected, "untrusted data expanded into code")
        return unread_unknown(ci, "No untrusted metadata is expanded into code") or Finding(
            Outcome.PASS,
            "No untrusted metadata is expanded into code"
            + (" (zizmor's template-injection audit)." if ci.workflows else "."),
            tuple(ci_evidence(f.path) for f in (*ci.workflows, *ci.gitlab)[:5]),
        )


class CiUntrustedCodeRule(CiRule):
    id = "ci-untrusted-code"
    description = (
        "Workflows that run with the repository's secrets never check out a pull request's code."
    )
    help_url = "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/"
    remediation = (
        "Build and test pull requests under `pull_request` (no secrets, read-only token); keep "
        "`pull_request_target` and `workflow_run` workflows to labelling and commenting, "
        "without checking out the change."
    )
    default_weight = 5.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "GitHub",
                "a workflow on `pull_request_target` or `workflow_run` (the triggers of zizmor's "
                "`dangerous-triggers`) that checks out or fetches the triggering change's head "
                "(`actions/checkout` with its ref, `gh pr checkout`, `refs/pull/`) fails",
            ),
            (
                "GitLab",
                "passes on the platform: merge requests from forks run in the fork's project, "
                "without the parent's CI/CD variables, unless a maintainer runs them in the "
                "parent; protected variables reach only protected branches and tags",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        ci = ci_definitions(context)
        if not ci.present:
            return no_pipeline()
        found, _ = workflows(ci)
        privileged = [w for w in found if w.triggers & PRIVILEGED_TRIGGERS]
        for workflow in privileged:
            for job in workflow.jobs:
                if (head := checks_out_untrusted_head(job)) is not None:
                    triggers = ", ".join(sorted(workflow.triggers & PRIVILEGED_TRIGGERS))
                    return Finding(
                        Outcome.FAIL,
                        f"{where(workflow.path, job.name)} runs on {triggers} with the "
                        f"repository's secrets and checks out the change's code: {shown(head)}.",
                        (ci_evidence(workflow.path, f"{triggers}: {shown(head, 80)}"),),
                    )
        if missing := unread_unknown(ci, "No privileged workflow checks out untrusted code"):
            return missing
        if not ci.workflows:
            return Finding(
                Outcome.PASS,
                "GitLab runs merge requests from forks in the fork's project, without this "
                "project's CI/CD variables, unless a maintainer runs them here.",
                (Evidence(ci.gitlab[0].path, EvidenceSource.PLATFORM, "fork pipelines"),),
            )
        if privileged:
            return Finding(
                Outcome.PASS,
                f"{len(privileged)} workflows run on privileged triggers without checking out "
                "the change's code.",
                tuple(
                    ci_evidence(w.path, "privileged trigger, no checkout") for w in privileged[:5]
                ),
            )
        return Finding(
            Outcome.PASS,
            "No workflow runs on pull_request_target or workflow_run: changes' code runs without "
            "the repository's secrets.",
            tuple(ci_evidence(f.path) for f in ci.workflows[:5]),
        )


class CiCollaboratorInputRule(CiRule):
    id = "ci-collaborator-input"
    description = "Pipelines validate collaborators' input (workflow inputs) before using it."
    help_url = "https://docs.zizmor.sh/audits/#template-injection"
    remediation = (
        "Read workflow inputs through environment variables, or give them a `choice`, `boolean` "
        "or `number` type; on GitLab, constrain string inputs with `options:` or `regex:`."
    )
    default_weight = 2.0
    needs_audit = True

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("GitHub", f"{ZIZMOR}: `template-injection` on `inputs.*`"),
            (
                "GitLab",
                "`$[[ inputs.name ]]` pasted into a script where the input is a string with "
                "neither `options:` nor `regex:`",
            ),
            ("not applicable", "no workflow or pipeline takes inputs"),
        )

    def check(self, context: RuleContext) -> Finding:
        ci = ci_definitions(context)
        if not ci.present:
            return no_pipeline()
        found, _ = workflows(ci)
        taking = [w for w in found if w.takes_inputs]
        gitlab = pipeline(ci)
        interpolated = gitlab.interpolations if gitlab else ()
        if not taking and not interpolated and not ci.unread:
            return not_applicable("No workflow or pipeline takes collaborators' input.")
        open_names = {name for _, name in gitlab.open_inputs} if gitlab else set()
        for path, name in interpolated:
            if name in open_names:
                return Finding(
                    Outcome.FAIL,
                    f"{shown(path, 80)} pastes the unconstrained input {shown(name, 60)} into a "
                    "script.",
                    (ci_evidence(path, f"$[[ inputs.{shown(name, 60)} ]]"),),
                )
        if taking:
            if (missing := audit_unknown(ci)) is not None:
                return missing
            injected = tuple(
                f for f in ci.audit.of("template-injection") if _INPUT.search(f.expression)
            )
            if injected:
                return failing(injected, "workflow inputs expanded into code")
        return unread_unknown(ci, "Collaborators' input is not expanded into code") or Finding(
            Outcome.PASS,
            "Collaborators' input is never expanded into code unchecked.",
            tuple(ci_evidence(w.path, "takes inputs") for w in taking[:5]),
        )
