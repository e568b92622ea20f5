"""The OSPS Baseline's documentation controls (OSPS-DO-*): user guides, how to report defects,
how to verify a release and who made it, how long releases are supported, how dependencies
are managed, and how to build from source."""

from __future__ import annotations

import re

from ospo_scan.evidence import FileKind
from ospo_scan.model import Finding, Outcome
from ospo_scan.rules._topic_rule import TopicRule
from ospo_scan.rules._topics import Reading, Sighting, Topic, phrases
from ospo_scan.rules.documentation import USAGE_SECTIONS
from ospo_scan.untrusted.linear_regex import linear

_FLAGS = re.IGNORECASE | re.MULTILINE
_BASELINE = "https://baseline.openssf.org/versions/2026-02-19"


class UserGuideRule(TopicRule):
    id = "user-guide"
    category = "documentation"
    description = "Once released, the documentation guides users through the basic functionality."
    help_url = f"{_BASELINE}#osps-do-0101"
    remediation = (
        "Give the README a Usage (or Getting started) section with examples of the basic "
        "functionality, or a user guide in docs/ it links to."
    )
    default_weight = 4.0
    subject = "a user guide"
    after_release = True
    kinds = (FileKind.README,)
    names = phrases("user_guide, userguide, usage, getting_started, tutorial, manual, handbook")
    topic = Topic(
        sections=USAGE_SECTIONS - {"documentation"} | {"user documentation", "how it works"},
        statements=linear(
            r"\[[^\]\n]{0,80}(?:documentation|docs|user guide|manual|handbook|tutorial)"
            r"[^\]\n]{0,80}\]\([^)\s]+\)|(?:documentation|user guide|manual|handbook)[^\n]{0,80}"
            r"https?://",
            _FLAGS,
        ),
    )
    statement_words = "a link to the documentation, the user guide or a tutorial"
    judged_by_person = "guides users through all the basic functionality"


class DefectReportingRule(TopicRule):
    id = "defect-reporting-guide"
    category = "documentation"
    description = "Once released, the documentation says how to report a defect."
    help_url = f"{_BASELINE}#osps-do-0201"
    remediation = (
        "Say how to report a bug: a 'Reporting bugs' section in CONTRIBUTING.md, SUPPORT.md or "
        "the README, or a bug report issue template."
    )
    default_weight = 4.0
    subject = "how to report defects"
    after_release = True
    kinds = (FileKind.CONTRIBUTING, FileKind.SUPPORT, FileKind.README)
    with_templates = True
    topic = Topic(
        sections=phrases(
            "reporting bugs, reporting a bug, report a bug, report bugs, bug reports, bug report, "
            "bug reporting, reporting issues, reporting an issue, report an issue, report issues, "
            "issues and bugs, bugs and issues, found a bug, filing issues, filing bugs, filing "
            "a bug, issue tracker, bug tracker, reporting defects, report a defect"
        ),
        statements=linear(
            r"(?:open|file|submit|create|raise|report|log)[ \t]+(?:an?|the|new)[ \t]+"
            r"(?:new[ \t]+)?(?:issue|bug|defect)|report(?:ing)?[ \t]+(?:bugs|issues|defects)"
            r"|(?:issue|bug)[ \t]+tracker|describe[ \t]+the[ \t]+bug|steps[ \t]+to[ \t]+reproduce",
            _FLAGS,
        ),
    )
    statement_words = (
        "'open an issue', 'file a bug', 'report bugs', 'issue tracker'; in a bug report "
        "template: 'Describe the bug', 'Steps to reproduce'"
    )


_VERIFICATION_NAMES = phrases(
    "verification, verify, verifying, verifying_releases, verify_release, release_verification, "
    "verifying_signatures, signatures, signing, release_signing, provenance"
)
"""Documents on verifying releases, by their name."""
_INSTALL_NAMES = phrases("install, installation, installing, releases, download")
"""Documents where verification instructions often stand beside the download."""


class ReleaseVerificationRule(TopicRule):
    id = "release-verification"
    category = "security"
    description = (
        "Once released, the documentation says how to verify the integrity and authenticity of "
        "the release assets."
    )
    help_url = f"{_BASELINE}#osps-do-0301"
    remediation = (
        "Document how to check a download: the checksum command (sha256sum -c), the signature "
        "check (cosign verify-blob, gpg --verify) or the provenance check (slsa-verifier, gh "
        "attestation verify)."
    )
    default_weight = 3.0
    subject = "how to verify the release assets"
    after_release = True
    kinds = (FileKind.README, FileKind.SECURITY)
    names = _VERIFICATION_NAMES
    related = _INSTALL_NAMES
    topic = Topic(
        sections=phrases(
            "verifying releases, verify releases, verifying the release, verify the release, "
            "verifying a release, release verification, verifying signatures, verify signatures, "
            "signature verification, verifying downloads, verifying a download, verify a download, "
            "verify the download, verifying "
            "checksums, "
            "verify checksums, checksums, verifying integrity, verify integrity, verifying "
            "provenance, verify provenance, verifying artifacts, artifact verification"
        ),
        statements=linear(
            r"cosign[ \t]+verify|gpg2?[ \t]+--verify|sha(?:256|512)sum[ \t]+(?:-c|--check)"
            r"|shasum[ \t]+-a[ \t]*(?:256|512)[^\n]{0,60}(?:-c|--check)|slsa-verifier[ \t]+verify"
            r"|gh[ \t]+attestation[ \t]+verify|sigstore[ \t]+verify|minisign[ \t]+-V"
            r"|signify[ \t]+-[CV]|openssl[ \t]+dgst[^\n]{0,60}-verify|get-filehash"
            r"|npm[ \t]+audit[ \t]+signatures|pypi-attestations[ \t]+verify|git[ \t]+verify-tag",
            _FLAGS,
        ),
    )
    statement_words = (
        "a verification command: cosign verify, gpg --verify, sha256sum -c, shasum -a 256 -c, "
        "slsa-verifier verify, gh attestation verify, sigstore verify, minisign -V, signify, "
        "openssl dgst -verify, Get-FileHash, npm audit signatures, git verify-tag"
    )


class ReleaseSignerVerificationRule(TopicRule):
    id = "release-signer-verification"
    category = "security"
    description = (
        "Once released, the documentation says how to verify who (or which process) made a release."
    )
    help_url = f"{_BASELINE}#osps-do-0302"
    remediation = (
        "Document the expected signer and how to check it: cosign verify-blob "
        "--certificate-identity ... --certificate-oidc-issuer ..., gh attestation verify "
        "--repo ..., or gpg --verify with the release key's fingerprint."
    )
    default_weight = 3.0
    subject = "how to verify who authored a release"
    after_release = True
    kinds = (FileKind.README, FileKind.SECURITY)
    names = _VERIFICATION_NAMES
    related = _INSTALL_NAMES
    topic = Topic(
        sections=phrases(
            "signing keys, signing key, release signing keys, release signing key, release "
            "signing, "
            "public keys, verifying signatures, verify signatures, signature verification, release "
            "managers"
        ),
        statements=linear(
            r"--certificate-identity|--certificate-oidc-issuer|sigstore[ \t]+verify[ \t]+"
            r"(?:identity|github)|gh[ \t]+attestation[ \t]+verify|--source-uri|gpg2?[ \t]+--verify"
            r"|git[ \t]+verify-tag|minisign[ \t]+-V[^\n]{0,80}-[Pp][ \t]|signify[ \t]+-[CV]"
            r"[^\n]{0,80}-p[ \t]|(?:key|signing)[ \t]+fingerprint|fingerprint[ \t]*:",
            _FLAGS,
        ),
    )
    statement_words = (
        "a check of the signer: cosign --certificate-identity / --certificate-oidc-issuer, "
        "sigstore verify identity, gh attestation verify, slsa-verifier --source-uri, gpg "
        "--verify, git verify-tag, minisign or signify with the public key, a key fingerprint"
    )


_SUPPORT_NAMES = phrases(
    "support_policy, supported_versions, release_policy, lts, version_support, versioning_policy, "
    "maintenance_policy, lifecycle, release_lifecycle, support_lifecycle, eol, end_of_life"
)


class SupportScopeRule(TopicRule):
    id = "release-support-scope"
    category = "maintenance"
    description = (
        "Once released, the documentation says which releases are supported, and how long."
    )
    help_url = f"{_BASELINE}#osps-do-0401"
    remediation = (
        "State which versions are supported and for how long: a 'Supported versions' table in "
        "SECURITY.md or SUPPORT.md, or a support policy page."
    )
    default_weight = 3.0
    subject = "the scope and duration of support of releases"
    after_release = True
    kinds = (FileKind.SUPPORT, FileKind.SECURITY, FileKind.README)
    names = _SUPPORT_NAMES
    topic = Topic(
        sections=phrases(
            "supported versions, supported releases, maintained versions, support policy, support "
            "lifecycle, support period, support duration, support schedule, version support, "
            "release support, maintenance policy, long term support, lts, release lifecycle, "
            "release policy"
        ),
        statements=linear(
            r"(?:supported|maintained|receives?[ \t]+(?:security[ \t]+)?(?:updates|fixes|patches))"
            r"[ \t]+(?:for|until)[ \t]+(?:at[ \t]+least[ \t]+)?(?:\d|one|two|three|six|twelve"
            r"|eighteen|the[ \t]+(?:next|last|latest|current))|(?:only|just)[ \t]+the[ \t]+"
            r"(?:latest|most[ \t]+recent|current|last)[^\n]{0,40}(?:is|are|will[ \t]+be|receives?)"
            r"[ \t]+(?:supported|maintained|receiv)|long[- ]term[ \t]+support",
            _FLAGS,
        ),
        min_words=3,
    )
    statement_words = (
        "'supported for 12 months', 'receives security fixes until ...', 'only the latest "
        "release is supported', 'long-term support'"
    )
    judged_by_person = "states the duration of support for each release"


_RELEASES = r"(?:versions?|releases?|branch(?:es)?|v?\d+\.(?:\d+|x))"
_END_OF_UPDATES = (
    r"(?:end[- ]of[- ](?:life|support)|no[ \t]+longer[ \t]+(?:be[ \t]+)?(?:receives?"
    r"|supported|maintained|gets?)|(?:will|do|does)[ \t]+not[ \t]+(?:receive|get)[ \t]+"
    r"(?:any[ \t]+)?(?:security|updates|fixes|patches)|(?:^|[^a-z])eol(?:[^a-z]|$))"
)
"""An end of security updates, stated of a version or release on the same line."""


class SecurityUpdatesEndRule(TopicRule):
    id = "security-updates-end"
    category = "maintenance"
    description = (
        "Once released, the documentation says when a release stops receiving security updates."
    )
    help_url = f"{_BASELINE}#osps-do-0501"
    remediation = (
        "Say when versions stop receiving security fixes: an end-of-life statement, or a "
        "'Supported versions' table marking the versions that no longer get them."
    )
    default_weight = 3.0
    subject = "when releases stop receiving security updates"
    after_release = True
    kinds = (FileKind.SECURITY, FileKind.SUPPORT, FileKind.README)
    names = _SUPPORT_NAMES
    topic = Topic(
        sections=phrases(
            "end of life, eol, end of support, deprecation policy, unsupported versions, supported "
            "versions, support lifecycle, release lifecycle, security updates, long term support"
        ),
        statements=linear(
            f"{_RELEASES}[^\\n]{{0,100}}{_END_OF_UPDATES}|{_END_OF_UPDATES}[^\\n]{{0,100}}"
            f"{_RELEASES}",
            _FLAGS,
        ),
        min_words=3,
    )
    statement_words = (
        "'end of life', 'end of support', 'no longer receive security updates', 'will not "
        "receive fixes', 'EOL', said of a version or release on the same line ('1.x reached "
        "end of life', 'each release is supported for ... then no longer receives updates')"
    )
    judged_by_person = "says when each release stops receiving security updates"


class DependencyPolicyRule(TopicRule):
    id = "dependency-policy"
    category = "security"
    description = (
        "Once released, the documentation says how the project selects, obtains and tracks "
        "its dependencies."
    )
    help_url = f"{_BASELINE}#osps-do-0601"
    remediation = (
        "Describe how dependencies are chosen (criteria, review), obtained (registries, "
        "pinning, lock files, vendoring) and tracked (lock files, SBOM, update bot), in "
        "CONTRIBUTING.md or a DEPENDENCIES.md."
    )
    default_weight = 3.0
    subject = "how dependencies are selected, obtained and tracked"
    after_release = True
    kinds = (FileKind.CONTRIBUTING, FileKind.README, FileKind.SECURITY, FileKind.GOVERNANCE)
    names = phrases(
        "dependencies, dependency_policy, dependency_management, third_party, "
        "third_party_dependencies, vendoring, supply_chain"
    )
    related = phrases("development, developing, hacking, developer_guide")
    topic = Topic(
        sections=phrases(
            "dependency management, dependency policy, managing dependencies, adding dependencies, "
            "adding a dependency, adding new dependencies, new dependencies, third party "
            "dependencies, third party components, third party libraries, dependency updates, "
            "updating dependencies, vendoring, vendored dependencies, supply chain"
        ),
        statements=linear(
            r"(?:adding|add|introduce|introducing|new)[ \t]+(?:a[ \t]+)?(?:new[ \t]+)?"
            r"(?:third[- ]party[ \t]+)?dependenc[^\n]{0,80}(?:must|should|requires?|needs?"
            r"|approv|review|discuss|justif)|dependencies[ \t]+(?:are|must[ \t]+be|should[ \t]+be)"
            r"[ \t]+(?:pinned|locked|tracked|reviewed|vendored|vetted|managed|updated|kept)"
            r"|(?:we|the[ \t]+project)[ \t]+(?:pin|track|vendor|vet|review|lock)s?[ \t]+"
            r"(?:all[ \t]+|our[ \t]+|its[ \t]+)?dependencies",
            _FLAGS,
        ),
    )
    statement_words = (
        "'new dependencies must be reviewed', 'dependencies are pinned', 'we vendor our "
        "dependencies'"
    )
    judged_by_person = "covers selecting, obtaining and tracking dependencies"


_REQUIREMENTS = Topic(
    sections=phrases(
        "prerequisites, requirements, dependencies, system requirements, build requirements, build "
        "dependencies, required software, before you begin"
    ),
    statements=linear(
        r"(?:requires?|required|prerequisites?|you[ \t]+(?:will[ \t]+)?need|you[ \t]+must"
        r"[ \t]+(?:have|install))[^\n]{0,80}(?:sdk|jdk|toolchain|compiler|python|node|golang"
        r"|(?:^|[^a-z])go[ \t]|java|rust|cargo|gcc|clang|cmake|(?:^|[^a-z])make(?:[^a-z]|$)"
        r"|docker|librar|framework|dotnet|\.net|ruby|php|npm|maven|gradle|perl|r[ \t]+\d)",
        _FLAGS,
    ),
    min_words=2,
)
"""What names the libraries, SDKs and tools a build needs."""


class BuildInstructionsRule(TopicRule):
    id = "build-instructions"
    category = "documentation"
    description = (
        "The documentation says how to build the software from source, and what the build needs."
    )
    help_url = f"{_BASELINE}#osps-do-0701"
    remediation = (
        "Add a 'Building from source' section (README, CONTRIBUTING or BUILDING.md) with the "
        "commands, and a 'Prerequisites' list of the libraries, SDKs and tools it needs."
    )
    default_weight = 4.0
    subject = "how to build from source"
    kinds = (FileKind.README, FileKind.CONTRIBUTING)
    names = phrases(
        "building, build, build_instructions, building_from_source, build_from_source, compiling, "
        "hacking, development, developing, developer_guide, install, installation"
    )
    topic = Topic(
        sections=phrases(
            "building, build from source, building from source, build instructions, how to build, "
            "compiling, compiling from source, building the project, build the project, local "
            "development, development setup, development environment, developer setup, from "
            "source, "
            "build and test"
        ),
        statements=linear(
            r"(?:^|[\s`$>])(?:make(?:[ \t]+(?:all|build))?[ \t]*$|cmake[ \t]|\./configure"
            r"|cargo[ \t]+build|go[ \t]+build|mvn[ \t]+(?:package|install|compile|verify)"
            r"|\./gradlew[ \t]+(?:build|assemble)|gradle[ \t]+build"
            r"|(?:npm|pnpm)[ \t]+run[ \t]+build|yarn[ \t]+build|python3?[ \t]+-m[ \t]+build"
            r"|pip3?[ \t]+install[ \t]+-e|dotnet[ \t]+build"
            r"|meson[ \t]+(?:setup|compile)|bazel[ \t]+build|docker[ \t]+build|uv[ \t]+sync"
            r"|poetry[ \t]+install|hatch[ \t]+build)",
            _FLAGS,
        ),
    )
    statement_words = (
        "a build command: make, cmake, ./configure, cargo build, go build, mvn package, "
        "./gradlew build, npm run build, python -m build, pip install -e, dotnet build, meson, "
        "bazel build, docker build, uv sync, poetry install"
    )

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            *super().explain(),
            (
                "partial",
                "build steps that name no requirement: no section titled "
                f"{', '.join(sorted(_REQUIREMENTS.sections))}, and no line saying what the "
                "build requires (an SDK, a compiler, a language version, a library)",
            ),
        )

    def judge(self, sighting: Sighting, reading: Reading) -> Finding:
        needs = _REQUIREMENTS.find(sighting.document) or next(reading.all(_REQUIREMENTS), None)
        if needs is None:
            return Finding(
                Outcome.PARTIAL,
                f"How to build: {sighting.describe()}, but no document says which libraries, "
                "SDKs or tools the build requires.",
                (sighting.evidence("no requirements"),),
            )
        return Finding(
            Outcome.PASS,
            f"How to build: {sighting.describe()}; what it requires: {needs.describe()}.",
            (sighting.evidence(), needs.evidence("requirements")),
        )
