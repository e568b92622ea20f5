"""Where rules come from: the built-in registry, then the `ospo_scan.rules` entry-point group.

A built-in rule's module is imported when a ruleset selects the rule, not before: a scan with
the default ruleset imports the modules of its rules only (the Baseline's document, CI and
host rules, and the schemas they load, stay unread).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module

from ospo_scan.rules.interface import Rule, RuleError

ENTRY_POINT_GROUP = "ospo_scan.rules"

BUILTIN_RULE_CLASSES: Mapping[str, str] = {
    "readme": "documentation:ReadmeRule",
    "license": "licensing:LicenseRule",
    "license-approved": "licensing:LicenseApprovedRule",
    "license-consistent": "licensing:LicenseConsistentRule",
    "contributing": "documentation:ContributingRule",
    "code-of-conduct": "documentation:CodeOfConductRule",
    "security-policy": "security:SecurityPolicyRule",
    "governance": "governance:GovernanceRule",
    "maintainers": "governance:MaintainersRule",
    "changelog": "documentation:ChangelogRule",
    "dependency-updates": "security:DependencyUpdatesRule",
    "publiccode": "publiccode:PubliccodeRule",
    "branch-protection": "host:BranchProtectionRule",
    "recent-activity": "host:RecentActivityRule",
    "description": "host:DescriptionRule",
    "issue-templates": "participation:IssueTemplatesRule",
    "newcomer-issues": "participation:NewcomerIssuesRule",
    "versioned-releases": "releases:VersionedReleasesRule",
    "package-manifest": "releases:PackageManifestRule",
    "readme-usage": "documentation:ReadmeUsageRule",
    "contributors-acknowledged": "participation:ContributorsRule",
    "recent-committers": "sustainability:RecentCommittersRule",
    "support-policy": "sustainability:SupportPolicyRule",
    "security-insights": "insights:SecurityInsightsRule",
    "dependency-list": "dependencies:DependencyListRule",
    "no-generated-executables": "artefacts:NoGeneratedExecutablesRule",
    "no-binary-artefacts": "artefacts:NoBinaryArtefactsRule",
    "codebases-listed": "codebases:CodebasesListedRule",
    "subprojects-security": "codebases:SubprojectsSecurityRule",
    "encrypted-channels": "channels:EncryptedChannelsRule",
    "secure-distribution": "channels:SecureDistributionRule",
    "release-licence-approved": "released_licence:ReleasedLicenceApprovedRule",
    "release-licence-included": "released_licence:ReleasedLicenceIncludedRule",
    "vex-documents": "vex:VexDocumentsRule",
    "mfa-required": "baseline_access:MfaRequiredRule",
    "collaborator-least-privilege": "baseline_access:CollaboratorLeastPrivilegeRule",
    "direct-commits-blocked": "baseline_access:DirectCommitsBlockedRule",
    "branch-deletion-blocked": "baseline_access:BranchDeletionBlockedRule",
    "required-status-checks": "baseline_access:RequiredStatusChecksRule",
    "required-approvals": "baseline_access:RequiredApprovalsRule",
    "secret-push-protection": "baseline_access:SecretPushProtectionRule",
    "contributor-signoff": "baseline_access:ContributorSignoffRule",
    "public-discussion": "baseline_project:PublicDiscussionRule",
    "public-repository": "baseline_project:PublicRepositoryRule",
    "public-change-history": "baseline_project:PublicChangeHistoryRule",
    "private-vulnerability-reporting": "baseline_project:PrivateVulnerabilityReportingRule",
    "vulnerability-publication": "baseline_project:VulnerabilityPublicationRule",
    "release-versions": "baseline_releases:ReleaseVersionsRule",
    "release-asset-names": "baseline_releases:ReleaseAssetNamesRule",
    "release-notes": "baseline_releases:ReleaseNotesRule",
    "release-signatures": "baseline_releases:ReleaseSignaturesRule",
    "release-sbom": "baseline_releases:ReleaseSbomRule",
    "ci-default-permissions": "ci_permissions:CiDefaultPermissionsRule",
    "ci-job-permissions": "ci_permissions:CiJobPermissionsRule",
    "ci-untrusted-input": "ci_injection:CiUntrustedInputRule",
    "ci-untrusted-code": "ci_injection:CiUntrustedCodeRule",
    "ci-collaborator-input": "ci_injection:CiCollaboratorInputRule",
    "ci-dependency-tooling": "ci_practice:CiDependencyToolingRule",
    "ci-tests": "ci_practice:CiTestsRule",
    "ci-dependency-analysis": "ci_practice:CiDependencyAnalysisRule",
    "ci-static-analysis": "ci_practice:CiStaticAnalysisRule",
    "user-guide": "baseline_docs:UserGuideRule",
    "defect-reporting-guide": "baseline_docs:DefectReportingRule",
    "release-verification": "baseline_docs:ReleaseVerificationRule",
    "release-signer-verification": "baseline_docs:ReleaseSignerVerificationRule",
    "release-support-scope": "baseline_docs:SupportScopeRule",
    "security-updates-end": "baseline_docs:SecurityUpdatesEndRule",
    "dependency-policy": "baseline_docs:DependencyPolicyRule",
    "build-instructions": "baseline_docs:BuildInstructionsRule",
    "roles-and-responsibilities": "baseline_governance:RolesRule",
    "contribution-process": "baseline_policies:ContributionProcessRule",
    "contribution-requirements": "baseline_policies:ContributionRequirementsRule",
    "permission-review-policy": "baseline_governance:PermissionReviewRule",
    "test-instructions": "baseline_policies:RunningTestsRule",
    "test-policy": "baseline_policies:ChangesWithTestsRule",
    "secrets-policy": "baseline_policies:SecretsPolicyRule",
    "design-documentation": "baseline_assessment:DesignDocumentationRule",
    "interface-documentation": "baseline_assessment:InterfaceDocumentationRule",
    "security-assessment": "baseline_assessment:SecurityAssessmentRule",
    "threat-model": "baseline_assessment:ThreatModelRule",
    "disclosure-timeframe": "baseline_assessment:DisclosureTimeframeRule",
    "sca-remediation-policy": "baseline_assessment:ScaRemediationRule",
    "sca-release-policy": "baseline_assessment:ScaBeforeReleaseRule",
    "sast-remediation-policy": "baseline_assessment:SastRemediationRule",
    "project-members": "baseline_governance:ProjectMembersRule",
}
"""Each built-in rule's id, and where its class is: `module:Class` in `ospo_scan.rules`."""


def builtin_rule_class(rule_id: str) -> type[Rule]:
    """The class of a built-in rule, its module imported now (KeyError for another id)."""
    module, name = BUILTIN_RULE_CLASSES[rule_id].split(":")
    cls: type[Rule] = getattr(import_module(f"ospo_scan.rules.{module}"), name)
    return cls


def builtin_rules() -> dict[str, Rule]:
    """The rules that ship with ospo-scan, by id."""
    return {rule_id: builtin_rule_class(rule_id)() for rule_id in BUILTIN_RULE_CLASSES}


def plugin_rules() -> dict[str, Rule]:
    """Rules installed by other packages under the `ospo_scan.rules` entry-point group."""
    from importlib.metadata import entry_points  # here: a scan of built-in rules needs none

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


class RuleCatalogue(Mapping[str, Rule]):
    """Every rule a ruleset may select, by id: the built-in ones, whose modules are imported
    on first lookup, and (with `load_plugins`) the installed plugins'. Built-in ids cannot be
    overridden by plugins."""

    def __init__(self, *, load_plugins: bool) -> None:
        self._load_plugins = load_plugins
        self._built: dict[str, Rule] = {}
        self._loaded_plugins: dict[str, Rule] | None = None

    def __getitem__(self, rule_id: str) -> Rule:
        if rule_id in BUILTIN_RULE_CLASSES:
            if rule_id not in self._built:
                self._built[rule_id] = builtin_rule_class(rule_id)()
            return self._built[rule_id]
        return self._plugins()[rule_id]

    def __iter__(self) -> Iterator[str]:
        yield from BUILTIN_RULE_CLASSES
        yield from (rule_id for rule_id in self._plugins() if rule_id not in BUILTIN_RULE_CLASSES)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in BUILTIN_RULE_CLASSES or rule_id in self._plugins()

    def _plugins(self) -> Mapping[str, Rule]:
        if not self._load_plugins:
            return {}
        if self._loaded_plugins is None:
            self._loaded_plugins = plugin_rules()
        return self._loaded_plugins


def available_rules(*, load_plugins: bool = True) -> RuleCatalogue:
    """Every rule a ruleset may select. Built-in ids cannot be overridden by plugins."""
    return RuleCatalogue(load_plugins=load_plugins)
