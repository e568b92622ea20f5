"""The ground floor's data: what a scan produces (`report`) and what an entity says of itself
(`profile`). Every type is a frozen dataclass or an enum; importers name them from here."""

from ospo_scan.model.frameworks import (
    FrameworkView,
    ItemStatus,
    ItemView,
    RepoFrameworkView,
    RuleEvidence,
)
from ospo_scan.model.outcome import Outcome
from ospo_scan.model.profile import (
    Contacts,
    DeclaredPrinciple,
    OspoStage,
    PrincipleAnswer,
    Progress,
    Readiness,
)
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
    "DeclaredPrinciple",
    "EntitySummary",
    "Evidence",
    "EvidenceSource",
    "Finding",
    "FrameworkView",
    "ItemStatus",
    "ItemView",
    "LicenceSummary",
    "OspoStage",
    "Outcome",
    "PrincipleAnswer",
    "Progress",
    "Readiness",
    "RepoFrameworkView",
    "RepoReport",
    "RepoStatus",
    "Report",
    "RuleEvidence",
    "RuleResult",
    "RulesetInfo",
    "ScanInfo",
    "ScanSummary",
]
