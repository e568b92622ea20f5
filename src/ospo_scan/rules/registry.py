"""Where rules come from: the built-in registry, then the `ospo_scan.rules` entry-point group."""

from __future__ import annotations

from importlib.metadata import entry_points

from ospo_scan.rules.artefacts import NoBinaryArtefactsRule, NoGeneratedExecutablesRule
from ospo_scan.rules.baseline_access import (
    BranchDeletionBlockedRule,
    CollaboratorLeastPrivilegeRule,
    ContributorSignoffRule,
    DirectCommitsBlockedRule,
    MfaRequiredRule,
    RequiredApprovalsRule,
    RequiredStatusChecksRule,
    SecretPushProtectionRule,
)
from ospo_scan.rules.baseline_assessment import (
    DesignDocumentationRule,
    DisclosureTimeframeRule,
    InterfaceDocumentationRule,
    SastRemediationRule,
    ScaBeforeReleaseRule,
    ScaRemediationRule,
    SecurityAssessmentRule,
    ThreatModelRule,
)
from ospo_scan.rules.baseline_docs import (
    BuildInstructionsRule,
    DefectReportingRule,
    DependencyPolicyRule,
    ReleaseSignerVerificationRule,
    ReleaseVerificationRule,
    SecurityUpdatesEndRule,
    SupportScopeRule,
    UserGuideRule,
)
from ospo_scan.rules.baseline_governance import (
    PermissionReviewRule,
    ProjectMembersRule,
    RolesRule,
)
from ospo_scan.rules.baseline_policies import (
    ChangesWithTestsRule,
    ContributionProcessRule,
    ContributionRequirementsRule,
    RunningTestsRule,
    SecretsPolicyRule,
)
from ospo_scan.rules.baseline_project import (
    PrivateVulnerabilityReportingRule,
    PublicChangeHistoryRule,
    PublicDiscussionRule,
    PublicRepositoryRule,
    VulnerabilityPublicationRule,
)
from ospo_scan.rules.baseline_releases import (
    ReleaseAssetNamesRule,
    ReleaseNotesRule,
    ReleaseSbomRule,
    ReleaseSignaturesRule,
    ReleaseVersionsRule,
)
from ospo_scan.rules.channels import EncryptedChannelsRule, SecureDistributionRule
from ospo_scan.rules.ci_injection import (
    CiCollaboratorInputRule,
    CiUntrustedCodeRule,
    CiUntrustedInputRule,
)
from ospo_scan.rules.ci_permissions import CiDefaultPermissionsRule, CiJobPermissionsRule
from ospo_scan.rules.ci_practice import (
    CiDependencyAnalysisRule,
    CiDependencyToolingRule,
    CiStaticAnalysisRule,
    CiTestsRule,
)
from ospo_scan.rules.codebases import CodebasesListedRule, SubprojectsSecurityRule
from ospo_scan.rules.dependencies import DependencyListRule
from ospo_scan.rules.documentation import (
    ChangelogRule,
    CodeOfConductRule,
    ContributingRule,
    ReadmeRule,
    ReadmeUsageRule,
)
from ospo_scan.rules.governance import GovernanceRule, MaintainersRule
from ospo_scan.rules.host import BranchProtectionRule, DescriptionRule, RecentActivityRule
from ospo_scan.rules.insights import SecurityInsightsRule
from ospo_scan.rules.interface import Rule, RuleError
from ospo_scan.rules.licensing import LicenseApprovedRule, LicenseConsistentRule, LicenseRule
from ospo_scan.rules.participation import ContributorsRule, IssueTemplatesRule, NewcomerIssuesRule
from ospo_scan.rules.publiccode import PubliccodeRule
from ospo_scan.rules.released_licence import (
    ReleasedLicenceApprovedRule,
    ReleasedLicenceIncludedRule,
)
from ospo_scan.rules.releases import PackageManifestRule, VersionedReleasesRule
from ospo_scan.rules.security import DependencyUpdatesRule, SecurityPolicyRule
from ospo_scan.rules.sustainability import RecentCommittersRule, SupportPolicyRule
from ospo_scan.rules.vex import VexDocumentsRule

ENTRY_POINT_GROUP = "ospo_scan.rules"

BUILTIN_RULES: tuple[type[Rule], ...] = (
    ReadmeRule,
    LicenseRule,
    LicenseApprovedRule,
    LicenseConsistentRule,
    ContributingRule,
    CodeOfConductRule,
    SecurityPolicyRule,
    GovernanceRule,
    MaintainersRule,
    ChangelogRule,
    DependencyUpdatesRule,
    PubliccodeRule,
    BranchProtectionRule,
    RecentActivityRule,
    DescriptionRule,
    IssueTemplatesRule,
    NewcomerIssuesRule,
    VersionedReleasesRule,
    PackageManifestRule,
    ReadmeUsageRule,
    ContributorsRule,
    RecentCommittersRule,
    SupportPolicyRule,
    SecurityInsightsRule,
    DependencyListRule,
    NoGeneratedExecutablesRule,
    NoBinaryArtefactsRule,
    CodebasesListedRule,
    SubprojectsSecurityRule,
    EncryptedChannelsRule,
    SecureDistributionRule,
    ReleasedLicenceApprovedRule,
    ReleasedLicenceIncludedRule,
    VexDocumentsRule,
    MfaRequiredRule,
    CollaboratorLeastPrivilegeRule,
    DirectCommitsBlockedRule,
    BranchDeletionBlockedRule,
    RequiredStatusChecksRule,
    RequiredApprovalsRule,
    SecretPushProtectionRule,
    ContributorSignoffRule,
    PublicDiscussionRule,
    PublicRepositoryRule,
    PublicChangeHistoryRule,
    PrivateVulnerabilityReportingRule,
    VulnerabilityPublicationRule,
    ReleaseVersionsRule,
    ReleaseAssetNamesRule,
    ReleaseNotesRule,
    ReleaseSignaturesRule,
    ReleaseSbomRule,
    CiDefaultPermissionsRule,
    CiJobPermissionsRule,
    CiUntrustedInputRule,
    CiUntrustedCodeRule,
    CiCollaboratorInputRule,
    CiDependencyToolingRule,
    CiTestsRule,
    CiDependencyAnalysisRule,
    CiStaticAnalysisRule,
    UserGuideRule,
    DefectReportingRule,
    ReleaseVerificationRule,
    ReleaseSignerVerificationRule,
    SupportScopeRule,
    SecurityUpdatesEndRule,
    DependencyPolicyRule,
    BuildInstructionsRule,
    RolesRule,
    ContributionProcessRule,
    ContributionRequirementsRule,
    PermissionReviewRule,
    RunningTestsRule,
    ChangesWithTestsRule,
    SecretsPolicyRule,
    DesignDocumentationRule,
    InterfaceDocumentationRule,
    SecurityAssessmentRule,
    ThreatModelRule,
    DisclosureTimeframeRule,
    ScaRemediationRule,
    ScaBeforeReleaseRule,
    SastRemediationRule,
    ProjectMembersRule,
)


def builtin_rules() -> dict[str, Rule]:
    """The rules that ship with ospo-scan, by id."""
    return {cls.id: cls() for cls in BUILTIN_RULES}


def plugin_rules() -> dict[str, Rule]:
    """Rules installed by other packages under the `ospo_scan.rules` entry-point group."""
    rules: dict[str, Rule] = {}
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry_point.load()
        except Exception as exc:
            raise RuleError(
                f"rule plugin {entry_point.name!r} ({entry_point.value}) failed to load: {exc}"
            ) from exc
        if not (isinstance(loaded, type) and issubclass(loaded, Rule)):
            raise RuleError(f"rule plugin {entry_point.name!r} is not a Rule subclass")
        rule = loaded()
        rules[rule.id] = rule
    return rules


def available_rules(*, load_plugins: bool = True) -> dict[str, Rule]:
    """Every rule a ruleset may select. Built-in ids cannot be overridden by plugins."""
    rules = plugin_rules() if load_plugins else {}
    rules.update(builtin_rules())
    return rules
