"""What the CI token may do: read-only by default (`ci-default-permissions`), and no more than
jobs need (`ci-job-permissions`, zizmor's `excessive-permissions`)."""

from __future__ import annotations

from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._ci_audit import ZIZMOR, audit_unknown, failing
from ospo_scan.rules._ci_github import (
    Workflow,
    grants_write,
    workflows,
)
from ospo_scan.rules._ci_gitlab import pipeline
from ospo_scan.rules.ci import (
    CiRule,
    ci_definitions,
    ci_evidence,
    no_pipeline,
    shown,
    unread_unknown,
)
from ospo_scan.rules.interface import RuleContext, not_applicable, unknown
from ospo_scan.snapshot import HostFact


class CiDefaultPermissionsRule(CiRule):
    id = "ci-default-permissions"
    description = "CI tasks that specify no permissions get read-only access by default."
    help_url = "https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token"
    remediation = (
        "Give every workflow a top-level `permissions: {}` (or `contents: read`) and grant more "
        "only to the jobs that need it; set the repository's (or organisation's) default "
        "workflow permissions, or GitLab's job token, to read-only."
    )
    default_weight = 3.0
    host_facts = frozenset({HostFact.CI_DEFINITIONS, HostFact.WORKFLOW_PERMISSIONS})

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                "a job without `permissions:` of its own gets the workflow's top-level "
                "permissions, which must grant nothing to write (`read-all`, `{}`, read or "
                "none per scope) unless the workflow has that one job; where a workflow sets "
                "none, or on GitLab CI, it gets the host's default CI token permissions, which "
                "must be read-only",
            ),
            ("unknown", "the host's default is needed but could not be read (local scans)"),
        )

    def check(self, context: RuleContext) -> Finding:
        ci = ci_definitions(context)
        if not ci.present:
            return no_pipeline()
        found, _ = workflows(ci)
        writing: list[str] = []
        relying: list[str] = []
        for workflow in found:
            if all(job.sets_permissions for job in workflow.jobs):
                continue
            if len(workflow.jobs) == 1 and workflow.sets_permissions:
                continue  # a single job's permissions, written at the top (as zizmor reads it)
            if not workflow.sets_permissions:
                relying.append(workflow.path)
            elif grants_write(workflow.permissions):
                writing.append(workflow.path)
        gitlab = pipeline(ci)
        if gitlab is not None and gitlab.jobs:
            relying.append(ci.gitlab[0].path)
        if writing:
            return Finding(
                Outcome.FAIL,
                "Jobs without permissions of their own get write access from the top-level "
                f"permissions of {', '.join(shown(p, 80) for p in writing[:5])}.",
                tuple(ci_evidence(p, "top-level permissions grant write") for p in writing[:5]),
            )
        if not relying:
            return unread_unknown(ci, "Every task's default permissions are read-only") or Finding(
                Outcome.PASS,
                "Every workflow's jobs get read-only or no permissions unless they set their own.",
                tuple(ci_evidence(w.path, "permissions set") for w in found[:5]),
            )
        return (
            self._host_default(context, relying)
            or unread_unknown(ci, "The default permissions are read-only")
            or Finding(
                Outcome.PASS,
                f"{', '.join(shown(p, 80) for p in relying[:5])} rely on the host's default CI "
                "token permissions, which are read-only.",
                (Evidence("CI token default permissions", EvidenceSource.HOST, "read"),),
            )
        )

    def _host_default(self, context: RuleContext, relying: list[str]) -> Finding | None:
        host = context.snapshot.metadata.host
        default = host.default_workflow_permissions
        paths = ", ".join(shown(p, 80) for p in relying[:5])
        if default is None:
            settles = host.withheld.get(HostFact.WORKFLOW_PERMISSIONS) or (
                "a token that may read the repository's Actions settings (GitHub) or CI/CD "
                "settings (GitLab)"
                if host.platform
                else "scanning the repository on its host, with a token that may read its CI "
                "settings"
            )
            return unknown(
                f"{paths} rely on the host's default CI token permissions, which were not read",
                settles=settles,
                evidence=tuple(ci_evidence(p, "no top-level permissions") for p in relying[:5]),
            )
        if default != "read":
            return Finding(
                Outcome.FAIL,
                f"{paths} rely on the host's default CI token permissions, which grant "
                f"{shown(default, 20)} access.",
                (
                    Evidence(
                        "CI token default permissions", EvidenceSource.HOST, shown(default, 20)
                    ),
                ),
            )
        return None


def _write_all(workflow: Workflow) -> bool:
    """`permissions: write-all` anywhere in the workflow (zizmor does not report it at the top
    of a workflow with a single job)."""
    values = [workflow.permissions, *(job.permissions for job in workflow.jobs)]
    return any(isinstance(v, str) and v.strip().lower() == "write-all" for v in values)


class CiJobPermissionsRule(CiRule):
    id = "ci-job-permissions"
    description = "Workflows grant their jobs only the permissions they need."
    help_url = "https://docs.zizmor.sh/audits/#excessive-permissions"
    remediation = (
        "Replace `write-all` and workflow-wide write permissions with per-job grants of the "
        "scopes each job needs."
    )
    default_weight = 2.0
    needs_audit = True

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("audit", f"{ZIZMOR}: `excessive-permissions`"),
            (
                "not applicable",
                "no workflow assigns permissions (GitLab CI assigns its job token none in the "
                "pipeline; what a job gets by default is ci-default-permissions' question)",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        ci = ci_definitions(context)
        if not ci.present:
            return no_pipeline()
        found, _ = workflows(ci)
        assigning = [
            w for w in found if w.sets_permissions or any(j.sets_permissions for j in w.jobs)
        ]
        if not assigning and not ci.unread:
            return not_applicable("No workflow assigns its jobs permissions.")
        if (missing := audit_unknown(ci)) is not None:
            return missing
        # zizmor also reports jobs left to the default permissions: that is no assignment.
        assigned = [f for f in ci.audit.of("excessive-permissions") if "permissions" in f.route]
        if assigned:
            return failing(tuple(assigned), "permissions broader than jobs need")
        if write_all := [w for w in assigning if _write_all(w)]:
            paths = ", ".join(shown(w.path, 80) for w in write_all[:5])
            return Finding(
                Outcome.FAIL,
                f"`permissions: write-all` in {paths}.",
                tuple(ci_evidence(w.path, "write-all") for w in write_all[:5]),
            )
        return unread_unknown(ci, "No job is granted excessive permissions") or Finding(
            Outcome.PASS,
            f"zizmor finds no excessive permissions in the {len(assigning)} workflows that "
            "assign them.",
            tuple(ci_evidence(w.path, "permissions assigned") for w in assigning[:5]),
        )
