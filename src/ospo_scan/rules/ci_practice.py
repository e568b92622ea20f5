"""What CI does with every change: runs tests, analyses dependencies and code for weaknesses,
and ingests dependencies with standard tooling. Read from GitHub Actions workflows and
`.gitlab-ci.yml` alike (`_ci_tools.CiJob`).
"""

from __future__ import annotations

from abc import abstractmethod

from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._ci_tools import (
    PACKAGE_MANAGER,
    PIPED_INSTALLER,
    SAST_ACTIONS,
    SAST_COMMAND,
    SAST_INCLUDES,
    SCA_ACTIONS,
    SCA_COMMAND,
    SCA_INCLUDES,
    SETUP_ACTION,
    TEST_COMMAND,
    CiJob,
    ci_jobs,
    first_match,
    uses_any,
)
from ospo_scan.rules._host_facts import fact_unknown
from ospo_scan.rules.ci import (
    CiDefinitions,
    CiRule,
    ci_definitions,
    ci_evidence,
    no_pipeline,
    shown,
    unread_unknown,
)
from ospo_scan.rules.interface import RuleContext, not_applicable, unknown
from ospo_scan.rules.security import DEPENDENCY_UPDATE_FILES
from ospo_scan.snapshot import HostFact


def _path(job: CiJob) -> str:
    return job.where.split(" (", 1)[0]


class _OnChangePractice(CiRule):
    """Passes when a job that runs on proposed changes does the practice; partial when only
    jobs after acceptance (pushes to the default branch, schedules) do."""

    practice: str
    """What is looked for, in a sentence's middle: `runs a test suite`."""

    @abstractmethod
    def detect(self, job: CiJob) -> str | None:
        """What in the job does the practice (a command, an action), if anything."""

    def absent(self, ci: CiDefinitions, context: RuleContext) -> str:
        return f"No CI job {self.practice}."

    def check(self, context: RuleContext) -> Finding:
        ci = ci_definitions(context)
        if not ci.present:
            return Finding(Outcome.FAIL, f"No CI definitions: nothing {self.practice} on changes.")
        jobs = ci_jobs(ci)
        seen = [(job, what) for job in jobs if (what := self.detect(job)) is not None]
        on_change = [(job, what) for job, what in seen if job.on_change]
        if on_change:
            job, what = on_change[0]
            return Finding(
                Outcome.PASS,
                f"{shown(job.where, 160)} {self.practice} on every proposed change: {shown(what)}.",
                tuple(ci_evidence(_path(j), shown(w, 80)) for j, w in on_change[:5]),
            )
        if (missing := unread_unknown(ci, f"No job {self.practice} on changes")) is not None:
            return missing
        if seen:
            job, what = seen[0]
            return Finding(
                Outcome.PARTIAL,
                f"{shown(job.where, 160)} {self.practice} ({shown(what)}), but only after changes "
                "are accepted (pushes, schedules), not on pull or merge requests.",
                tuple(ci_evidence(_path(j), shown(w, 80)) for j, w in seen[:5]),
            )
        remote = [
            u
            for job in jobs
            for u in job.uses
            if "/.github/workflows/" in u and not u.startswith("./")
        ]
        if remote:
            return unknown(
                f"No job seen {self.practice}, but the workflows call reusable workflows of "
                f"other repositories ({shown(remote[0], 80)}), which were not read",
                settles="a reviewer reading the called workflows",
            )
        return Finding(Outcome.FAIL, self.absent(ci, context))


class CiTestsRule(_OnChangePractice):
    id = "ci-tests"
    category = "maintenance"
    description = "CI runs an automated test suite on every proposed change."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-qa-0601"
    remediation = (
        "Run the test suite in CI on pull or merge requests (`on: pull_request` with `pytest`, "
        "`npm test`, `go test`, ...; a GitLab job with the tests in its script)."
    )
    default_weight = 4.0
    practice = "runs a test suite"

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "test commands",
                "pytest, tox, nox, unittest, npm/yarn/pnpm test, jest, vitest, mocha, go test, "
                "cargo test, mvn test/verify/package, gradle test/check/build, make test/check, "
                "ctest, dotnet test, rspec, rake, phpunit, mix test, swift test, flutter test, "
                "deno test, bazel test, R CMD check, cabal/stack test and more",
            ),
            (
                "on changes",
                "GitHub: a workflow on pull_request, pull_request_target or merge_group (with "
                "reusable workflows of the same repository followed); GitLab: a job not limited "
                "to the default branch, tags or schedules",
            ),
            ("partial", "tests run only after changes land (push, schedule)"),
        )

    def detect(self, job: CiJob) -> str | None:
        return first_match(TEST_COMMAND, job.commands)


class CiDependencyAnalysisRule(_OnChangePractice):
    id = "ci-dependency-analysis"
    description = "CI checks every change's dependencies for known vulnerabilities."
    help_url = "https://docs.github.com/en/code-security/supply-chain-security/understanding-your-software-supply-chain/about-dependency-review"
    remediation = (
        "Run a dependency check on pull or merge requests: actions/dependency-review-action, "
        "osv-scanner, pip-audit, npm audit, Trivy; on GitLab include "
        "Security/Dependency-Scanning.gitlab-ci.yml. Make it a required check."
    )
    default_weight = 3.0
    practice = "checks dependencies for vulnerabilities"

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("actions", ", ".join(SCA_ACTIONS)),
            (
                "commands",
                "osv-scanner, pip-audit, npm/yarn/pnpm audit, cargo audit/deny, govulncheck, "
                "trivy, snyk test, grype, safety, bundle-audit, composer audit, "
                "OWASP dependency-check, retire",
            ),
            ("GitLab", "the Dependency-Scanning template or component, or Auto DevOps"),
            (
                "not counted",
                "Dependabot or Renovate alone: they propose updates, they do not evaluate a "
                "change; whether a failing check blocks the change is the host's branch rules",
            ),
        )

    def detect(self, job: CiJob) -> str | None:
        return uses_any(job, SCA_ACTIONS, SCA_INCLUDES) or first_match(SCA_COMMAND, job.commands)

    def absent(self, ci: CiDefinitions, context: RuleContext) -> str:
        updates = [p for p in DEPENDENCY_UPDATE_FILES if context.snapshot.find_file(p)]
        if updates:
            return (
                f"No CI job checks dependencies for vulnerabilities; {updates[0]} proposes "
                "updates but does not evaluate changes."
            )
        return super().absent(ci, context)


class CiStaticAnalysisRule(_OnChangePractice):
    id = "ci-static-analysis"
    description = "CI analyses every change's code for security weaknesses (SAST)."
    help_url = "https://docs.github.com/en/code-security/code-scanning/introduction-to-code-scanning/about-code-scanning"
    remediation = (
        "Run static security analysis on pull or merge requests: CodeQL (on GitHub, turning on "
        "code scanning's default setup needs no workflow), Semgrep, Bandit, gosec, SonarQube; "
        "on GitLab include Security/SAST.gitlab-ci.yml."
    )
    default_weight = 3.0
    host_facts = frozenset({HostFact.CI_DEFINITIONS, HostFact.CODE_SCANNING})
    practice = "analyses code for security weaknesses"

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("actions", ", ".join(SAST_ACTIONS)),
            (
                "commands",
                "semgrep, bandit, gosec, sonar-scanner, codeql, brakeman, njsscan, flawfinder, "
                "devskim, horusec, snyk code test, Maven/Gradle sonar, psalm taint analysis",
            ),
            ("GitLab", "the SAST template or component, or Auto DevOps"),
            (
                "GitHub setting",
                "code scanning's default setup (CodeQL on pull requests), a repository setting "
                "read from the host: unknown when no CI job analyses code and the token may not "
                "read it; a local clone does not show it",
            ),
        )

    def detect(self, job: CiJob) -> str | None:
        return uses_any(job, SAST_ACTIONS, SAST_INCLUDES) or first_match(SAST_COMMAND, job.commands)

    def check(self, context: RuleContext) -> Finding:
        found = super().check(context)
        host = context.snapshot.metadata.host
        if found.outcome is Outcome.PASS or host.platform != "github":
            return found
        if host.code_scanning_default:
            evidence = (Evidence("code scanning default setup", EvidenceSource.HOST, "configured"),)
            return Finding(
                Outcome.PASS,
                "Code scanning's default setup (CodeQL) analyses every pull request to the "
                "default branch.",
                evidence,
            )
        if host.code_scanning_default is None and found.outcome is Outcome.FAIL:
            what = (
                "whether code scanning's default setup (CodeQL) analyses the code, which no CI "
                "job does"
            )
            return fact_unknown(context.snapshot, HostFact.CODE_SCANNING, what)
        return found

    def absent(self, ci: CiDefinitions, context: RuleContext) -> str:
        host = context.snapshot.metadata.host
        if host.code_scanning_default is False:
            return (
                "No CI job analyses code for security weaknesses, and code scanning's default "
                "setup is off."
            )
        if host.platform is None:
            return (
                "No CI job analyses code for security weaknesses (a local clone does not show "
                "GitHub's code scanning default setup, a repository setting)."
            )
        return "No CI job analyses code for security weaknesses."


class CiDependencyToolingRule(CiRule):
    id = "ci-dependency-tooling"
    description = "CI ingests dependencies through package managers, never `curl | sh`."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-br-0501"
    remediation = (
        "Install tools and dependencies with the ecosystem's package manager or a setup action, "
        "pinned and verified, instead of piping a downloaded script into a shell."
    )
    default_weight = 2.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "fails",
                "a script downloaded and run at once: `curl ... | sh`, `wget -O- ... | bash`, "
                "`bash <(curl ...)`, `iex (iwr ...)`, `DownloadString(`",
            ),
            (
                "passes",
                "dependencies ingested with package managers (pip, npm, yarn, go, cargo, Maven, "
                "Gradle, Bundler, Composer, dotnet, apt...) or `setup-*` actions",
            ),
            ("not applicable", "no dependency ingestion is visible in the CI definitions"),
        )

    def check(self, context: RuleContext) -> Finding:
        ci = ci_definitions(context)
        if not ci.present:
            return no_pipeline()
        jobs = ci_jobs(ci)
        for job in jobs:
            if (piped := first_match(PIPED_INSTALLER, job.commands)) is not None:
                return Finding(
                    Outcome.FAIL,
                    f"{shown(job.where, 160)} runs a downloaded script: {shown(piped)}.",
                    (ci_evidence(_path(job), shown(piped, 80)),),
                )
        if (missing := unread_unknown(ci, "No downloaded script is run")) is not None:
            return missing
        tools = {
            found
            for job in jobs
            for found in (
                first_match(PACKAGE_MANAGER, job.commands),
                next((u for u in job.uses if SETUP_ACTION.search(u)), None),
            )
            if found
        }
        if not tools:
            return not_applicable("No dependency ingestion is visible in the CI definitions.")
        listed = ", ".join(sorted(shown(t, 40) for t in tools)[:6])
        return Finding(
            Outcome.PASS,
            f"CI ingests dependencies with standard tooling ({listed}), and pipes no download "
            "into a shell.",
            tuple(ci_evidence(f.path) for f in (*ci.workflows, *ci.gitlab)[:5]),
        )
