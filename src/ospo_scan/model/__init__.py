"""The ground floor's data: what a scan produces (`report`) and what an entity says of itself
(`profile`). Every type is a frozen dataclass or an enum; importers name them from here."""

from ospo_scan.model.profile import Contacts, OspoStage, Progress, Readiness
from ospo_scan.model.report import (
    MAX_WEIGHT,
    REPORT_SCHEMA_ID,
    BundledLicence,
    DeclaredLicence,
    EntitySummary,
    Evidence,
    EvidenceSource,
    Finding,
    LicenceSummary,
    Outcome,
    RepoReport,
    Report,
    RepoStatus,
    RuleResult,
    RulesetInfo,
    ScanInfo,
    ScanSummary,
)

__all__ = [
    "MAX_WEIGHT",
    "REPORT_SCHEMA_ID",
    "BundledLicence",
    "Contacts",
    "DeclaredLicence",
    "EntitySummary",
    "Evidence",
    "EvidenceSource",
    "Finding",
    "LicenceSummary",
    "OspoStage",
    "Outcome",
    "Progress",
    "Readiness",
    "RepoReport",
    "RepoStatus",
    "Report",
    "RuleResult",
    "RulesetInfo",
    "ScanInfo",
    "ScanSummary",
]
