"""What the CI rules say of zizmor's audit: unknown when it is missing, a failure naming what it
found."""

from __future__ import annotations

from ospo_scan.model import Finding, Outcome
from ospo_scan.rules._ci_github import workflows
from ospo_scan.rules.ci import AuditFinding, CiDefinitions, ci_evidence, shown
from ospo_scan.rules.interface import unknown

ZIZMOR = "zizmor (https://docs.zizmor.sh), offline audits, regular persona"


def audit_unknown(ci: CiDefinitions) -> Finding | None:
    """Unknown when the workflows were not (all) audited."""
    if not ci.workflows:
        return None  # nothing to audit (unread files are `unread_unknown`'s)
    audit = ci.audit
    if audit.failure is not None:
        return unknown(
            f"The workflows could not be audited: {audit.failure}",
            settles="a scan with zizmor installed (`pip install zizmor`), or a reviewer",
        )
    # A file that is no workflow at all (not YAML, no jobs) runs nothing on GitHub either.
    invalid = set(workflows(ci)[1])
    missing = [p for p in audit.not_audited if p not in invalid]
    if missing:
        paths = ", ".join(shown(p, 80) for p in missing[:5])
        return unknown(
            f"zizmor could not audit {paths}",
            settles="a reviewer reading those workflows (zizmor found them invalid)",
            evidence=tuple(ci_evidence(p, "not audited") for p in missing[:5]),
        )
    return None


def failing(findings: tuple[AuditFinding, ...], what: str) -> Finding:
    listed = "; ".join(
        f"{shown(f.path, 80)}:{f.line} "
        + shown(f.expression if f.audit == "template-injection" else f.annotation, 80)
        for f in findings[:5]
    )
    more = f" (and {len(findings) - 5} more)" if len(findings) > 5 else ""
    return Finding(
        Outcome.FAIL,
        f"zizmor reports {what}: {listed}{more}.",
        tuple(ci_evidence(f.path, f"line {f.line}: {f.audit}") for f in findings[:5]),
    )
