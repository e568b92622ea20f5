"""A realistic entity report built from the model, with hostile strings where repositories speak.

Repository names, descriptions, messages and evidence paths carry Markdown, HTML, scripts,
`javascript:` links, pipes, newlines and backticks: every formatter must render them inertly.
"""

from __future__ import annotations

from dataclasses import replace

from ospo_scan.config import load_ruleset
from ospo_scan.model import (
    DeclaredLicence,
    DeclaredPrinciple,
    EntitySummary,
    Evidence,
    EvidenceSource,
    LicenceSummary,
    Outcome,
    PrincipleAnswer,
    RepoReport,
    Report,
    RepoStatus,
    RuleResult,
    RulesetInfo,
    ScanInfo,
    ScanSummary,
)
from ospo_scan.scan.frameworks import entity_frameworks, repository_frameworks

HOSTILE_DESCRIPTION = (
    '<script>alert("x")</script> <img src=x onerror=alert(1)> '
    "[click me](javascript:alert(1)) **bold** | pipe\nnew line `tick` www.evil.example "
    "https://evil.example/path"
)
HOSTILE_NAME = "evil-org/<b>bold</b>|`x`[y](javascript:z)"
HOSTILE_PATH = "docs/<img src=x onerror=alert(2)>|README.md"
FORMULA_NAME = '=HYPERLINK("https://evil.example","click")'
DECLARED = {
    "2": DeclaredPrinciple(PrincipleAnswer.YES, "https://un-example.org/contribute?a=1&b=<x>"),
    "3": DeclaredPrinciple(PrincipleAnswer.PARTLY),
    "7": DeclaredPrinciple(PrincipleAnswer.NO, "javascript:alert('declared')"),
}
"""What the sample entity declares: beside evidence (3), alone (2, 7), a link to refuse (7)."""

_RULES = {
    # id: (category, weight, help url, remediation)
    "license": (
        "licensing",
        10.0,
        "https://ospo-scan.example/rules/license",
        "Add a LICENSE file with an OSI-approved licence.",
    ),
    "readme": (
        "documentation",
        8.0,
        "https://ospo-scan.example/rules/readme",
        "Write a README that explains what the project does and how to use it.",
    ),
    "security-policy": (
        "security",
        8.0,
        "https://ospo-scan.example/rules/security-policy",
        "Add SECURITY.md naming a private channel for vulnerability reports.",
    ),
    "contributing": (
        "documentation",
        6.0,
        "javascript:alert('help')",
        "Add CONTRIBUTING.md explaining how to propose changes.",
    ),
    "changelog": (
        "documentation",
        2.0,
        "https://ospo-scan.example/rules/changelog",
        "Keep a CHANGELOG.md.",
    ),
}

_DEFAULT_SCORES = {
    Outcome.PASS: 1.0,
    Outcome.EXEMPT: 1.0,
    Outcome.PARTIAL: 0.5,
    Outcome.FAIL: 0.0,
    Outcome.NOT_APPLICABLE: None,
    Outcome.ERROR: None,
}


def result(
    rule: str, outcome: Outcome, message: str, *evidence: Evidence, remediation: bool = True
) -> RuleResult:
    category, weight, help_url, fix = _RULES[rule]
    return RuleResult(
        rule=rule,
        category=category,
        outcome=outcome,
        score=_DEFAULT_SCORES[outcome],
        weight=weight,
        message=message,
        remediation=fix if remediation and outcome is not Outcome.PASS else "",
        help_url=help_url,
        evidence=evidence,
    )


def _repo_file(path: str, detail: str | None = None) -> Evidence:
    return Evidence(path=path, source=EvidenceSource.REPOSITORY, detail=detail)


def build_report() -> Report:
    """The sample entity: five repositories, one hostile, one archived, one unreadable."""
    compliant = RepoReport(
        name="un-example/registry",
        url="https://github.com/un-example/registry",
        commit="4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        default_branch="main",
        status=RepoStatus.OK,
        score=100.0,
        in_scope=True,
        description="Public registry of digital public goods.",
        licence=LicenceSummary(expression="Apache-2.0", files=("LICENSE",), approved=True),
        results=(
            result("license", Outcome.PASS, "LICENSE is Apache-2.0.", _repo_file("LICENSE")),
            result("readme", Outcome.PASS, "README.md has usage.", _repo_file("README.md")),
            result(
                "security-policy",
                Outcome.PASS,
                "SECURITY.md names security@un-example.org.",
                _repo_file(".github/SECURITY.md"),
            ),
            result(
                "contributing",
                Outcome.PASS,
                "CONTRIBUTING.md inherited from the organisation.",
                Evidence("CONTRIBUTING.md", EvidenceSource.ORGANISATION_DEFAULT),
            ),
            result("changelog", Outcome.PASS, "CHANGELOG.md found.", _repo_file("CHANGELOG.md")),
        ),
        category_scores={"documentation": 100.0, "licensing": 100.0, "security": 100.0},
    )
    hostile = RepoReport(
        name=HOSTILE_NAME,
        url="javascript:alert(document.cookie)",
        status=RepoStatus.OK,
        score=32.4,
        in_scope=True,
        description=HOSTILE_DESCRIPTION,
        licence=LicenceSummary(
            expression=None,
            files=(HOSTILE_PATH,),
            declared=(DeclaredLicence("package.json", "<MIT>", None, "MIT"),),
        ),
        results=(
            result(
                "license",
                Outcome.PARTIAL,
                f"{HOSTILE_PATH} is present but its licence is not identified.",
                _repo_file(HOSTILE_PATH, detail="<b>unknown</b> text"),
            ),
            result(
                "readme",
                Outcome.PARTIAL,
                "README is a stub: `# title` | <script>x</script>",
                _repo_file("README.md"),
            ),
            result("security-policy", Outcome.FAIL, "No SECURITY policy found."),
            result("contributing", Outcome.FAIL, "No CONTRIBUTING found."),
            result("changelog", Outcome.PASS, "NEWS found.", _repo_file("NEWS")),
        ),
        category_scores={"documentation": 43.8, "licensing": 50.0, "security": 0.0},
        warnings=("skipped a symbolic link leaving the repository: docs/<evil>",),
    )
    partial = RepoReport(
        name=FORMULA_NAME,
        url="https://github.com/un-example/formula",
        status=RepoStatus.OK,
        score=61.8,
        in_scope=True,
        description="-2+3 looks like a formula",
        licence=LicenceSummary(expression="MIT", files=("LICENSE",), approved=True),
        results=(
            result("license", Outcome.PASS, "LICENSE is MIT.", _repo_file("LICENSE")),
            result("readme", Outcome.PASS, "README.md has usage.", _repo_file("README.md")),
            result("security-policy", Outcome.FAIL, "No SECURITY policy found."),
            result(
                "contributing",
                Outcome.EXEMPT,
                "Exempt: contributions are not accepted (expires 2027-01-01).",
            ),
            result("changelog", Outcome.ERROR, "CHANGELOG.md could not be read: too large."),
        ),
        category_scores={"documentation": 100.0, "licensing": 100.0, "security": 0.0},
    )
    archived = RepoReport(
        name="un-example/old-site",
        url="https://github.com/un-example/old-site",
        status=RepoStatus.OK,
        score=20.0,
        in_scope=False,
        archived=True,
        licence=LicenceSummary(expression=None),
        results=(
            result("license", Outcome.FAIL, "No licence file found."),
            result("readme", Outcome.PASS, "README found.", _repo_file("README")),
            result("security-policy", Outcome.FAIL, "No SECURITY policy found."),
            result("contributing", Outcome.FAIL, "No CONTRIBUTING found."),
            result("changelog", Outcome.NOT_APPLICABLE, "Not applicable."),
        ),
    )
    broken = RepoReport(
        name="un-example/private-mirror",
        url="https://github.com/un-example/private-mirror",
        status=RepoStatus.ERROR,
        score=None,
        in_scope=True,
        error="GitHub answered 403 for the repository's contents.",
    )
    mapping = load_ruleset("un-ospo", load_plugins=False).mapping
    repositories = tuple(
        replace(repo, frameworks=repository_frameworks(mapping, repo.results))
        for repo in (compliant, hostile, partial, archived, broken)
    )
    return Report(
        tool_version="0.1.0",
        ruleset=RulesetInfo(id="un-ospo", version="2026.11", title="UN OSPO baseline"),
        entity=EntitySummary(
            name="UN Example <Agency> & [Friends](javascript:x)",
            source="github",
            score=64.7,
            level="developing",
            url="https://github.com/un-example",
            defaults_repository="un-example/.github",
            principles=DECLARED,
            frameworks=entity_frameworks(mapping, repositories, DECLARED),
        ),
        repositories=repositories,
        scan=ScanInfo(
            started="2026-03-02T06:00:03Z",
            finished="2026-03-02T06:04:41Z",
            targets=("github:un-example",),
        ),
        summary=ScanSummary(
            repositories=5,
            in_scope=4,
            errors=2,
            rule_pass_rates={
                "license": 2 / 3,
                "readme": 2 / 3,
                "security-policy": 1 / 3,
                "contributing": 2 / 3,
                "changelog": 1.0,
            },
            category_scores={"documentation": 81.3, "licensing": 83.3, "security": 33.3},
        ),
    )
