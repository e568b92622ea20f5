"""The scan's CI pre-pass: every repository's CI definitions read once, and one workflow audit
(zizmor) over all repositories' GitHub Actions workflows together, before any rule runs.

Rules read the result through `RuleContext` (`rules.ci.ci_definitions`); it is prepared only
when a rule of the ruleset reads CI definitions (`HostFact.CI_DEFINITIONS`), and the audit
only when one of them reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ospo_scan.config import Ruleset
from ospo_scan.rules.ci import (
    CI_DEFINITIONS,
    CiDefinitions,
    CiRule,
    WorkflowAudit,
    read_ci_definitions,
)
from ospo_scan.scan.zizmor import audit_workflows
from ospo_scan.snapshot import Snapshot

log = logging.getLogger(__name__)


def audits_workflows(ruleset: Ruleset) -> bool:
    """Whether any rule of the ruleset reads the workflow audit."""
    return any(isinstance(c.rule, CiRule) and c.rule.needs_audit for c in ruleset.rules)


def prepare_ci(snapshots: Sequence[Snapshot], *, audit: bool) -> list[dict[str, Any]]:
    """For each snapshot, what its rules' shared analyses start with: its CI definitions
    (nothing when they could not be read: the rules then read them, and say what failed)."""
    definitions: list[CiDefinitions | None] = []
    for snapshot in snapshots:
        try:
            definitions.append(read_ci_definitions(snapshot))
        except Exception:  # one repository's reads must never cost the others their audit
            log.debug("reading the CI definitions of %s failed", snapshot.name, exc_info=True)
            definitions.append(None)
    if audit and any(d is not None and d.workflows for d in definitions):
        try:
            audits = audit_workflows([d.workflows if d is not None else () for d in definitions])
        except Exception as exc:  # e.g. no room for the temporary tree: no audit, no lost scan
            log.debug("the workflow audit failed", exc_info=True)
            failed = WorkflowAudit(failure=f"the workflow audit failed ({type(exc).__name__})")
            audits = [failed for _ in definitions]
        definitions = [
            replace(d, audit=a) if d is not None else None
            for d, a in zip(definitions, audits, strict=True)
        ]
    return [{CI_DEFINITIONS: d} if d is not None else {} for d in definitions]
