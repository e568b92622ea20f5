"""The OSPS Baseline's security assessment and vulnerability management documents (OSPS-SA-*,
OSPS-VM-01.01, OSPS-VM-05.01/.02, OSPS-VM-06.01): design and interface documentation, a
security assessment and threat model, a disclosure policy with a response time, and the
thresholds for fixing what dependency (SCA) and code (SAST) analysis find."""

from __future__ import annotations

import re

from ospo_scan.evidence import TEXT_EXTENSIONS, FileKind
from ospo_scan.model import Finding, Outcome
from ospo_scan.rules._topic_rule import TopicRule
from ospo_scan.rules._topics import Reading, Sighting, Topic, normalised_stem, phrases
from ospo_scan.rules.interface import RuleContext
from ospo_scan.untrusted.linear_regex import linear

_FLAGS = re.IGNORECASE | re.MULTILINE
_BASELINE = "https://baseline.openssf.org/versions/2026-02-19"


class DesignDocumentationRule(TopicRule):
    id = "design-documentation"
    category = "documentation"
    description = "Once released, design documentation shows the system's actors and actions."
    help_url = f"{_BASELINE}#osps-sa-0101"
    remediation = (
        "Add ARCHITECTURE.md (or docs/design.md) describing the components, who and what acts "
        "on them (users, services, CI), and how they interact."
    )
    default_weight = 3.0
    subject = "the design of the system"
    after_release = True
    kinds = (FileKind.README, FileKind.CONTRIBUTING)
    names = phrases(
        "architecture, design, design_doc, design_docs, design_document, system_design, "
        "internals, technical_design"
    )
    topic = Topic(
        sections=phrases(
            "architecture, design, system design, design overview, architecture overview, "
            "system architecture, components, how it works, internals, technical design"
        ),
        min_words=20,
    )
    judged_by_person = "shows every actor and action of the system"


class InterfaceDocumentationRule(TopicRule):
    id = "interface-documentation"
    category = "documentation"
    description = "Once released, the documentation describes the software's external interfaces."
    help_url = f"{_BASELINE}#osps-sa-0201"
    remediation = (
        "Document every external interface: the API reference (or an OpenAPI description), "
        "the command-line options, the configuration and file formats it reads."
    )
    default_weight = 3.0
    subject = "the external interfaces"
    after_release = True
    kinds = (FileKind.README,)
    names = phrases(
        "api, api_reference, api_docs, reference, cli, cli_reference, interfaces, openapi, "
        "swagger, endpoints"
    )
    name_extensions = TEXT_EXTENSIONS | {"yml", "yaml", "json"}
    topic = Topic(
        sections=phrases(
            "api, api reference, api documentation, command line interface, command line "
            "usage, command line options, cli, cli reference, cli usage, commands, endpoints, "
            "interfaces, external interfaces, configuration reference, options, reference"
        ),
        statements=linear(
            r"\[[^\]\n]{0,80}(?:api|reference)[^\]\n]{0,80}\]\([^)\s]+\)|pkg\.go\.dev/"
            r"|docs\.rs/|javadoc\.io/|\.readthedocs\.(?:io|org)",
            _FLAGS,
        ),
    )
    statement_words = (
        "a link to the API reference; pkg.go.dev, docs.rs, javadoc.io or Read the Docs pages"
    )
    judged_by_person = "describes every external interface of the released software"


_ASSESSMENT_NAMES = phrases(
    "security_assessment, security_self_assessment, self_assessment, security_audit, audit, "
    "audits, security_review, security_model"
)
_THREAT_MODEL_NAMES = phrases(
    "threat_model, threat_modeling, threat_modelling, threatmodel, threat_models, attack_surface"
)


class SecurityAssessmentRule(TopicRule):
    id = "security-assessment"
    category = "security"
    description = (
        "Once released, the project has a security assessment of the likeliest and most "
        "harmful problems."
    )
    help_url = f"{_BASELINE}#osps-sa-0301"
    remediation = (
        "Publish a security assessment (for example the OpenSSF or CNCF self-assessment "
        "template) as SECURITY-ASSESSMENT.md or docs/security-assessment.md."
    )
    default_weight = 3.0
    subject = "a security assessment"
    after_release = True
    kinds = (FileKind.SECURITY, FileKind.README)
    names = _ASSESSMENT_NAMES | _THREAT_MODEL_NAMES
    topic = Topic(
        sections=phrases(
            "security assessment, security self assessment, self assessment, security audit, "
            "security audits, audit report, security review, threat model, threat modeling, "
            "threat modelling, security model, known risks, security considerations"
        ),
        statements=linear(
            r"security[ \t]+(?:audit|assessment|review)[^\n]{0,80}(?:by|performed|conducted"
            r"|completed|report|published)|(?:audited|assessed)[ \t]+by|audit[ \t]+report",
            _FLAGS,
        ),
    )
    statement_words = "'security audit performed by ...', 'audited by ...', 'audit report'"
    judged_by_person = "identifies the likeliest and most harmful security problems"


class ThreatModelRule(TopicRule):
    id = "threat-model"
    category = "security"
    description = (
        "Once released, the project has a threat model and an analysis of its attack surface."
    )
    help_url = f"{_BASELINE}#osps-sa-0302"
    remediation = (
        "Publish a threat model (THREAT_MODEL.md): the assets, trust boundaries, attack "
        "surface and threats to the critical code paths, with their mitigations."
    )
    default_weight = 3.0
    subject = "a threat model"
    after_release = True
    kinds = (FileKind.SECURITY, FileKind.README)
    names = _THREAT_MODEL_NAMES
    related = _ASSESSMENT_NAMES
    topic = Topic(
        sections=phrases(
            "threat model, threat modeling, threat modelling, threats, attack surface, attack "
            "surface analysis, trust boundaries, stride, attacker model, adversary model"
        )
    )
    judged_by_person = "analyses the attack surface and the threats to the critical code paths"


_TIMEFRAME = linear(
    r"(?:within|in|under|after|up[ \t]+to|no[ \t]+later[ \t]+than|at[ \t]+most|next)[ \t]+"
    r"(?:\d{1,3}|one|two|three|four|five|six|seven|ten|fourteen|thirty|sixty|ninety)"
    r"(?:[ \t]*(?:-|to|or)[ \t]*\d{1,3})?[ \t-]*(?:business[ \t]+|working[ \t]+|calendar[ \t]+)?"
    r"(?:hours?|days?|weeks?|months?|hrs?|h)(?:[^a-z]|$)"
    r"|(?:\d{1,3}|thirty|sixty|ninety)[ \t-]+days?[ \t]+(?:disclosure|embargo|deadline)",
    _FLAGS,
)
"""A response time: 'within 5 business days', 'in 2-3 working days', 'within 48h', a
'90-day disclosure' deadline."""


class DisclosureTimeframeRule(TopicRule):
    id = "disclosure-timeframe"
    category = "security"
    description = (
        "The security policy (coordinated vulnerability disclosure) says how soon reporters "
        "get a response."
    )
    help_url = f"{_BASELINE}#osps-vm-0101"
    remediation = (
        "State in SECURITY.md how soon a report is acknowledged and assessed ('we reply within "
        "5 business days') and the disclosure timeline."
    )
    default_weight = 4.0
    subject = "the response time of the disclosure policy"
    kinds = (FileKind.SECURITY,)
    related = phrases(
        "vulnerability_disclosure, disclosure_policy, cvd, coordinated_disclosure, vdp, "
        "security_policy"
    )
    topic = Topic(statements=_TIMEFRAME)
    statement_words = (
        "a time: 'within 5 business days', 'in 2-3 working days', 'within 48 hours', "
        "'90-day disclosure'"
    )

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (*super().explain(), ("partial", "a security policy that states no time"))

    def missing(self, reading: Reading) -> Finding:
        if reading.documents and not reading.unread:
            policy = reading.documents[0]
            return Finding(
                Outcome.PARTIAL,
                f"Security policy {policy.where} states no response time.",
                (policy.evidence("no response time"),),
            )
        return super().missing(reading)


_DEPENDENCY_WORDS = linear(
    r"dependenc|third[- ]party|(?:^|[^a-z])sca(?:[^a-z]|$)|software[ \t]+composition|librar"
    r"|packages?|components?|osv|dependabot|renovate|snyk|(?:npm|pip|cargo)[ \t-]audit",
    _FLAGS,
)
_LICENCE_FINDINGS = linear(
    r"licen[cs]e[^\n]{0,100}(?:dependenc|third[- ]party|package|component|compatib|allow"
    r"|deny|approved|incompatib|polic)|(?:dependenc|third[- ]party|package|component)"
    r"[^\n]{0,100}licen[cs]e",
    _FLAGS,
)
_THRESHOLD = linear(
    r"(?:critical|high|medium|moderate|low|cvss|severity)[^\n]{0,120}(?:within[ \t]+\d"
    r"|within[ \t]+(?:one|two|seven|thirty|ninety)|must[ \t]+be[ \t]+(?:fixed|remediated"
    r"|addressed|patched|resolved|upgraded|updated)|(?:are|is)[ \t]+(?:fixed|remediated"
    r"|addressed|patched|resolved|blocked)|block)",
    _FLAGS,
)
"""A severity with what is done about it: 'critical and high ... fixed within 7 days'."""
_SCA_SECTIONS = phrases(
    "dependency vulnerabilities, vulnerable dependencies, vulnerabilities in dependencies, "
    "dependency remediation, remediation policy, vulnerability remediation, remediation, "
    "sca, software composition analysis, sca policy, patching policy, patch policy, "
    "dependency policy"
)
_POLICY_PLACES = (FileKind.SECURITY, FileKind.CONTRIBUTING, FileKind.GOVERNANCE)
_POLICY_NAMES = phrases(
    "dependency_policy, vulnerability_management, vulnerability_policy, sca_policy, "
    "remediation_policy, patch_policy, dependencies, supply_chain, security_policy"
)


class ScaRemediationRule(TopicRule):
    id = "sca-remediation-policy"
    category = "security"
    description = (
        "A policy sets the threshold for fixing vulnerability and licence findings in "
        "dependencies (SCA)."
    )
    help_url = f"{_BASELINE}#osps-vm-0501"
    remediation = (
        "State which dependency findings must be fixed and how fast ('critical and high "
        "vulnerabilities in dependencies are fixed within 14 days') and which dependency "
        "licences are allowed."
    )
    default_weight = 3.0
    subject = "a threshold for fixing dependency (SCA) findings"
    kinds = _POLICY_PLACES
    related = _POLICY_NAMES
    topic = Topic(sections=_SCA_SECTIONS, statements=_THRESHOLD)
    statement_words = "a severity with its remedy: 'critical ... fixed within 7 days'"

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            *super().explain(),
            (
                "partial",
                "a threshold that is not about dependencies, a section with no severity "
                "threshold, or no word on the dependencies' licences",
            ),
        )

    def judge(self, sighting: Sighting, reading: Reading) -> Finding:
        said = f"{sighting.shown}\n{sighting.passage}"
        if _THRESHOLD.search(said) is None or _DEPENDENCY_WORDS.search(said) is None:
            return Finding(
                Outcome.PARTIAL,
                f"{sighting.describe()} sets no severity threshold for dependency findings.",
                (sighting.evidence("no threshold for dependencies"),),
            )
        if _LICENCE_FINDINGS.search(sighting.document.text) is None:
            return Finding(
                Outcome.PARTIAL,
                f"Threshold for dependency vulnerabilities: {sighting.describe()}; nothing "
                "on the dependencies' licences.",
                (sighting.evidence("no licence policy"),),
            )
        return super().judge(sighting, reading)


_SCA_WORDS = (
    r"(?:dependenc|vulnerab|(?:^|[^a-z])sca[ \t]|software[ \t]+composition|audit|cve|advisor)"
)
_BEFORE_RELEASE = (
    r"(?:before|prior[ \t]+to|ahead[ \t]+of|block(?:s|ed|ing)?)[^\n]{0,20}"
    r"(?:an?[ \t]+|any[ \t]+|each[ \t]+|every[ \t]+|the[ \t]+)?releas"
)
_AUDIT_STEP = Topic(
    statements=linear(
        r"(?:npm|yarn|pnpm|cargo|bundle)[ \t]+audit|pip-audit|govulncheck|osv-scanner|trivy"
        r"|grype|snyk[ \t]+test|dependency-check|safety[ \t]+check",
        re.IGNORECASE,
    )
)
"""A step of the release process that audits the dependencies."""


_RELEASE_DOCUMENTS = phrases("release, releasing, release_process, release_checklist")
"""Documents of the release process, where an audit step shows the policy in practice."""


class ScaBeforeReleaseRule(TopicRule):
    id = "sca-release-policy"
    category = "security"
    description = "A policy says dependency (SCA) findings are addressed before any release."
    help_url = f"{_BASELINE}#osps-vm-0502"
    remediation = (
        "State that no release ships with unaddressed dependency findings, e.g. a release "
        "checklist step 'run pip-audit / npm audit and fix or document every finding'."
    )
    default_weight = 3.0
    subject = "dependency findings addressed before a release"
    kinds = _POLICY_PLACES
    related = _POLICY_NAMES | _RELEASE_DOCUMENTS
    topic = Topic(
        statements=linear(
            f"{_SCA_WORDS}[^\\n]{{0,120}}{_BEFORE_RELEASE}|{_BEFORE_RELEASE}[^\\n]{{0,120}}"
            f"{_SCA_WORDS}|no[ \\t]+releases?[^\\n]{{0,60}}vulnerab",
            _FLAGS,
        )
    )
    statement_words = (
        "'dependency vulnerabilities are fixed before a release', 'releases are blocked by "
        "known vulnerabilities'; in a release document: an audit step (npm audit, pip-audit, "
        "govulncheck, osv-scanner, trivy ...)"
    )

    def conclude(self, reading: Reading, context: RuleContext) -> Finding:
        for document in reading.documents:
            if normalised_stem(document.located.entry.name) not in _RELEASE_DOCUMENTS:
                continue
            if (step := _AUDIT_STEP.find(document)) is not None:
                return self.judge(step, reading)
        return super().conclude(reading, context)


class SastRemediationRule(TopicRule):
    id = "sast-remediation-policy"
    category = "security"
    description = "A policy sets the threshold for fixing static analysis (SAST) findings."
    help_url = f"{_BASELINE}#osps-vm-0601"
    remediation = (
        "State which static analysis findings must be fixed, and how fast ('CodeQL alerts of "
        "high severity block the merge')."
    )
    default_weight = 3.0
    subject = "a threshold for fixing static analysis (SAST) findings"
    kinds = _POLICY_PLACES
    related = _POLICY_NAMES | {"static_analysis", "sast", "code_scanning"}
    topic = Topic(
        sections=phrases(
            "static analysis, sast, code scanning, static analysis policy, sast policy"
        ),
        statements=linear(
            r"(?:sast|static[ \t]+(?:code[ \t]+)?analysis|static[ \t]+application[ \t]+security"
            r"|codeql|semgrep|sonar|bandit|gosec|brakeman|code[ \t]+scanning|spotbugs|psalm"
            r"|phpstan)[^\n]{0,120}(?:critical|high|medium|severity|must[ \t]+be[ \t]+(?:fixed"
            r"|resolved|addressed|remediated)|block|within[ \t]+\d)|(?:critical|high|medium"
            r"|severity)[^\n]{0,120}(?:sast|static[ \t]+analysis|codeql|semgrep|sonar|code"
            r"[ \t]+scanning)",
            _FLAGS,
        ),
    )
    statement_words = "'CodeQL alerts of high severity block the merge', 'SAST findings ...'"

    def judge(self, sighting: Sighting, reading: Reading) -> Finding:
        if sighting.how == "section" and _THRESHOLD.search(sighting.passage) is None:
            return Finding(
                Outcome.PARTIAL,
                f"{sighting.describe()} sets no severity threshold for its findings.",
                (sighting.evidence("no threshold"),),
            )
        return super().judge(sighting, reading)
