"""What CI jobs run, recognised: test suites, dependency (SCA) and static (SAST) analysers,
package managers, and installers piped from the network into a shell.

Each job of either platform becomes a `CiJob` (where, commands, actions used, whether it runs on
a change before acceptance), so the practice rules read GitHub and GitLab alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ospo_scan.rules._ci_github import workflows
from ospo_scan.rules._ci_gitlab import pipeline
from ospo_scan.rules.ci import CiDefinitions, where
from ospo_scan.untrusted.linear_regex import LinearPattern, linear

_START = r"(?:^|[\s;&|(`'\"/])"
_END = r"(?:$|[\s;&|)`'\"])"


def _command(alternatives: str) -> LinearPattern:
    return linear(_START + r"(?:" + alternatives + r")" + _END, re.IGNORECASE | re.MULTILINE)


TEST_COMMAND = _command(
    r"pytest|py\.test|tox|nox|python3?\s+-m\s+(?:pytest|unittest|tox|nox)|hatch\s+(?:test|run\s+\S*test\S*)"
    r"|(?:npm|pnpm|yarn|bun)(?:\s+run)?\s+(?:test|test:[\w:-]+|ci-test)|npx\s+(?:jest|vitest|mocha)"
    r"|jest|vitest|mocha|karma\s+start|go\s+test|cargo\s+(?:test|nextest\s+run)"
    r"|(?:\./)?mvnw?\s+(?:[^\n;&|]*\s)?(?:test|verify|install|package)"
    r"|(?:\./)?gradlew?\s+(?:[^\n;&|]*\s)?(?:test|check|build)"
    r"|make\s+(?:[^\n;&|]*\s)?(?:test|tests|check)|ctest|meson\s+test|dotnet\s+test|rspec"
    r"|rake(?:\s+(?:test|spec))?|phpunit|(?:vendor/bin/)?pest|composer\s+test|mix\s+test"
    r"|swift\s+test|flutter\s+test|dart\s+test|deno\s+test|bazel(?:isk)?\s+test|R\s+CMD\s+check"
    r"|cabal\s+test|stack\s+test|sbt\s+(?:[^\n;&|]*\s)?test|lein\s+test|ant\s+test|zig\s+build\s+test"
    r"|julia\s+[^\n;&|]*Pkg\.test|devtools::(?:test|check)|testthat|prove|busted"
)
SCA_COMMAND = _command(
    r"osv-scanner|pip-audit|(?:npm|pnpm|yarn|bun)\s+audit|audit-ci|cargo\s+(?:audit|deny)|govulncheck"
    r"|trivy\s+(?:fs|filesystem|repo|repository|rootfs|sbom|image)|snyk\s+(?:test|monitor)|grype"
    r"|safety\s+(?:check|scan)|bundle(?:r)?[- ]audit|bundle\s+exec\s+bundle-audit|composer\s+audit"
    r"|dotnet\s+list\s+[^\n;&|]*--vulnerable|dependency-check(?:\.sh)?|retire"
)
SCA_ACTIONS = (
    "actions/dependency-review-action",
    "google/osv-scanner-action",
    "pypa/gh-action-pip-audit",
    "aquasecurity/trivy-action",
    "snyk/actions",
    "anchore/scan-action",
    "golang/govulncheck-action",
    "rustsec/audit-check",
    "actions-rust-lang/audit",
    "embarkstudios/cargo-deny-action",
    "dependency-check/dependency-check_action",
)
SCA_INCLUDES = ("dependency-scanning", "auto-devops")
"""GitLab templates and components (`Security/Dependency-Scanning.gitlab-ci.yml`)."""
SAST_COMMAND = _command(
    r"semgrep(?:\s+(?:ci|scan|--config))?|bandit|gosec|sonar-scanner|codeql\s+database|brakeman"
    r"|njsscan|flawfinder|devskim|horusec|snyk\s+code\s+test|[^\s]*mvnw?\s+[^\n;&|]*sonar:sonar"
    r"|[^\s]*gradlew?\s+[^\n;&|]*sonar(?:qube)?|psalm\s+[^\n;&|]*--taint-analysis"
)
SAST_ACTIONS = (
    "github/codeql-action/analyze",
    "github/codeql-action/init",
    "returntocorp/semgrep-action",
    "semgrep/semgrep-action",
    "securego/gosec",
    "sonarsource/sonarqube-scan-action",
    "sonarsource/sonarcloud-github-action",
    "pycqa/bandit-action",
    "microsoft/security-devops-action",
)
SAST_INCLUDES = ("sast", "auto-devops")
"""GitLab templates and components (`Security/SAST.gitlab-ci.yml`, `components/sast`)."""
PIPED_INSTALLER = linear(
    r"(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)\s[^\n|]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?"
    r"(?:env\s+\S+\s+)?(?:sh|bash|zsh|dash|ksh|python3?|perl|ruby|node|iex|invoke-expression|pwsh)"
    r"(?:\s|$)|(?:sh|bash|zsh)\s+(?:-s\s+)?<\(\s*(?:curl|wget)|(?:sh|bash)\s+-c\s+\"\$\((?:curl|wget)"
    r"|downloadstring\(",
    re.IGNORECASE | re.MULTILINE,
)
"""A script fetched from the network and run at once, outside any package manager."""
PACKAGE_MANAGER = _command(
    r"pip3?\s+install|python3?\s+-m\s+pip\s+install|pip-sync|poetry\s+install|uv\s+(?:sync|pip\s+install)"
    r"|pdm\s+(?:install|sync)|pipenv\s+(?:install|sync)|conda\s+(?:install|env)|mamba\s+install"
    r"|npm\s+(?:ci|install|i)|yarn(?:\s+install)?|pnpm\s+(?:install|i)|bun\s+install"
    r"|go\s+(?:mod\s+download|build|install|get)|cargo\s+(?:build|fetch|install)"
    r"|(?:\./)?mvnw?|(?:\./)?gradlew?|bundle\s+install|gem\s+install|composer\s+install"
    r"|dotnet\s+restore|nuget\s+restore|apt-get\s+install|apt\s+install|apk\s+add|dnf\s+install"
    r"|brew\s+install|mix\s+deps\.get|swift\s+package\s+resolve|flutter\s+pub\s+get|dart\s+pub\s+get"
)
SETUP_ACTION = linear(r"^actions/setup-|^[\w.-]+/setup-[\w.-]+$")


@dataclass(frozen=True)
class CiJob:
    """A job of either platform, as the practice rules read it."""

    where: str
    """`.github/workflows/ci.yml (job test)`, `.gitlab-ci.yml (job unit)`."""
    commands: tuple[str, ...]
    uses: tuple[str, ...]
    """Actions and reusable workflows (lower-cased, without the `@ref`)."""
    on_change: bool
    """It runs on a proposed change before it is accepted."""
    includes: tuple[str, ...] = ()
    """GitLab includes (lower-cased): templates, components, other projects' files."""


def ci_jobs(ci: CiDefinitions) -> tuple[CiJob, ...]:
    """Every job the repository's CI definitions hold; a job calling a reusable workflow of the
    same repository also runs that workflow's jobs, on the caller's triggers."""
    found, _ = workflows(ci)
    by_path = {w.path: w for w in found}
    jobs: list[CiJob] = []
    for workflow in found:
        for job in workflow.jobs:
            jobs.append(CiJob(workflow.where(job), job.commands, job.uses, workflow.on_change))
            called = next((u[2:] for u in job.uses if u.startswith("./.github/workflows/")), "")
            for inner in by_path[called].jobs if called in by_path else ():
                inner_where = f"{workflow.where(job)} -> {where(called, inner.name)}"
                jobs.append(CiJob(inner_where, inner.commands, inner.uses, workflow.on_change))
    gitlab = pipeline(ci)
    if gitlab is not None:
        jobs += [CiJob(where(j.path, j.name), j.commands, (), j.on_change) for j in gitlab.jobs]
        if gitlab.includes:
            jobs.append(CiJob(f"{ci.gitlab[0].path} (include)", (), (), True, gitlab.includes))
    return tuple(jobs)


def first_match(pattern: LinearPattern, texts: Iterable[str]) -> str | None:
    for text in texts:
        if (found := pattern.search(text)) is not None:
            matched: str = found.group(0)
            return matched.strip(" \t\n;&|()`'\"/")
    return None


def uses_any(job: CiJob, actions: tuple[str, ...], included: tuple[str, ...]) -> str | None:
    """The first action the job uses whose name starts with one of `actions`, or the first
    GitLab include with one of the words `included` in its path."""
    for used in job.uses:
        if used.startswith(actions):
            return used
    for include in job.includes:
        words = include.replace(".", "/").replace("@", "/").split("/")
        if any(word in words for word in included):
            return include
    return None
