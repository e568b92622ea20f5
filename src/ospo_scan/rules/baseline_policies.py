"""The OSPS Baseline's contribution, quality and secrets policies: the contribution process
and its requirements, when and how tests run, tests with every major change, and how secrets
are managed."""

from __future__ import annotations

import re

from ospo_scan.evidence import FileKind
from ospo_scan.model import Finding, Outcome
from ospo_scan.rules._topic_rule import TopicRule
from ospo_scan.rules._topics import Reading, Sighting, Topic, phrases
from ospo_scan.rules.documentation import ContributingRule
from ospo_scan.rules.interface import RuleContext
from ospo_scan.untrusted.linear_regex import linear

_FLAGS = re.IGNORECASE | re.MULTILINE
_BASELINE = "https://baseline.openssf.org/versions/2026-02-19"
_DEVELOPER_GUIDES = phrases("development, developing, hacking, developer_guide")


_NOT_ACCEPTED = linear(
    r"(?:not|no[ \t]+longer)[ \t]+(?:accept|accepting|taking|open[ \t]+to|looking[ \t]+for)"
    r"[^\n]{0,30}(?:contributions|pull[ \t]+requests|merge[ \t]+requests|patches|prs)"
    r"|(?:contributions|pull[ \t]+requests|merge[ \t]+requests|patches|prs)[^\n]{0,40}"
    r"(?:are|will)[ \t]+not[ \t]+(?:be[ \t]+)?(?:accepted|considered|reviewed|merged)"
    r"|does[ \t]+not[ \t]+accept[^\n]{0,30}(?:contributions|pull[ \t]+requests|patches)",
    _FLAGS,
)
"""A statement that the project takes no public contributions."""


class ContributionProcessRule(TopicRule):
    id = "contribution-process"
    category = "documentation"
    description = (
        "The documentation explains how to contribute, or says that contributions are not accepted."
    )
    help_url = f"{_BASELINE}#osps-gv-0301"
    remediation = (
        "Add CONTRIBUTING.md explaining how to propose a change; a project that takes no "
        "public contributions says so in its README."
    )
    default_weight = 6.0
    subject = "that public contributions are not accepted"
    kinds = (FileKind.CONTRIBUTING, FileKind.README)
    topic = Topic(statements=_NOT_ACCEPTED)
    statement_words = (
        "'we do not accept contributions', 'pull requests will not be merged', 'this project "
        "does not accept patches'"
    )

    def explain(self) -> tuple[tuple[str, str], ...]:
        guide = [
            line for line in ContributingRule().explain() if line[0] != "without a guide (partial)"
        ]
        return (
            ("passes", "as the contributing rule does: a contributing guide with content"),
            *guide,
            (
                "also passes",
                "a README section whose heading mentions contributing (Contributing, How to "
                "help, Getting involved) with content; or a statement, in the README or the "
                "guide, that public contributions are not accepted",
            ),
            *super().explain()[:2],
        )

    def conclude(self, reading: Reading, context: RuleContext) -> Finding:
        guide = ContributingRule().check(context)
        if guide.outcome is Outcome.PASS:
            return guide
        if (statement := reading.first(self.topic)) is not None:
            return Finding(
                Outcome.PASS,
                f"Public contributions are not accepted: {statement.describe()}.",
                (statement.evidence(),),
            )
        if guide.outcome is Outcome.PARTIAL and _readme_section(guide):
            # The Baseline asks for an explanation in the documentation, not for a file.
            return Finding(Outcome.PASS, guide.message, guide.evidence)
        if reading.unread:
            return self.missing(reading)
        return guide


def _readme_section(finding: Finding) -> bool:
    """Whether the contributing rule found the README's section on contributing."""
    return any(e.detail == "contributing section" for e in finding.evidence)


class ContributionRequirementsRule(TopicRule):
    id = "contribution-requirements"
    category = "documentation"
    description = "The contributor guide states the requirements an acceptable contribution meets."
    help_url = f"{_BASELINE}#osps-gv-0302"
    remediation = (
        "State what a contribution must meet: coding style, tests, documentation, sign-off or "
        "CLA, review; in CONTRIBUTING.md or as a pull request template checklist."
    )
    default_weight = 4.0
    subject = "requirements for acceptable contributions"
    kinds = (FileKind.CONTRIBUTING,)
    with_templates = True
    names = phrases(
        "style_guide, styleguide, coding_standards, coding_style, code_style, "
        "coding_guidelines, code_review, review_guidelines, pull_request_guidelines"
    )
    related = _DEVELOPER_GUIDES
    topic = Topic(
        sections=phrases(
            "coding standards, coding style, code style, style guide, coding conventions, "
            "code conventions, code review, review process, pull request guidelines, pull "
            "request process, pull request checklist, merge request guidelines, commit "
            "messages, commit message guidelines, commit guidelines, sign off, signing off, "
            "developer certificate of origin, dco, contributor license agreement, cla, "
            "linting, requirements, contribution requirements, acceptance criteria, "
            "definition of done, checklist, before submitting, submitting a pull request"
        ),
        statements=linear(
            r"(?:must|should|need[ \t]+to|needs[ \t]+to|required[ \t]+to|expected[ \t]+to"
            r"|make[ \t]+sure|ensure|please)[^\n]{0,60}(?:tests?|lint|format|style|sign[- ]?off"
            r"|signed[- ]off|dco|cla|review|changelog|documentation|conventional[ \t]+commits?)"
            r"|signed-off-by|\[[ xX]\][^\n]{0,80}(?:tests?|lint|docs|documentation|changelog"
            r"|style|sign)",
            _FLAGS,
        ),
    )
    statement_words = (
        "'changes must include tests', 'please follow the style guide', 'commits must be "
        "signed off', a checklist item ('- [ ] Tests added')"
    )


_RUNNING_TESTS = Topic(
    sections=phrases(
        "testing, tests, running tests, running the tests, run tests, run the tests, how to "
        "test, test suite, running the test suite, unit tests"
    ),
    statements=linear(
        r"(?:^|[\s`$>])(?:pytest|python3?[ \t]+-m[ \t]+(?:pytest|unittest)|tox|nox"
        r"|(?:npm|pnpm|yarn)[ \t]+(?:run[ \t]+)?test|go[ \t]+test|cargo[ \t]+test"
        r"|make[ \t]+(?:test|check)|mvn[ \t]+(?:test|verify)|\./gradlew[ \t]+(?:test|check)"
        r"|gradle[ \t]+test|ctest|rspec|bundle[ \t]+exec[ \t]+(?:rake|rspec)|phpunit"
        r"|dotnet[ \t]+test|jest|mocha|hatch[ \t]+test|devtools::test|testthat::"
        r"|r[ \t]+cmd[ \t]+check|meson[ \t]+test|bazel[ \t]+test|flutter[ \t]+test"
        r"|swift[ \t]+test)",
        _FLAGS,
    ),
)
"""How the tests are run: a section on testing, or a test command."""
_WHEN_TESTS_RUN = Topic(
    statements=linear(
        r"(?:on|for|with)[ \t]+(?:every|each|all)[ \t]+(?:pull[ \t]+requests?|merge[ \t]+"
        r"requests?|push(?:es)?|commits?|prs?|changes?)|(?:tests?|suite|checks)[^\n]{0,80}"
        r"(?:(?:^|[^a-z])ci(?:[^a-z]|$)|continuous[ \t]+integration|github[ \t]+actions"
        r"|gitlab[ \t]+ci|pipeline)|(?:(?:^|[^a-z])ci(?:[^a-z]|$)|continuous[ \t]+integration"
        r"|github[ \t]+actions|gitlab[ \t]+ci|pipeline)[^\n]{0,80}(?:tests?|suite)"
        r"|before[ \t]+(?:submitting|opening|merging|sending|committing|pushing|you[ \t]+"
        r"(?:submit|open|push|commit|send))|pre-commit|nightly",
        _FLAGS,
    )
)
"""When the tests run: on every pull request, in CI, before submitting."""


class RunningTestsRule(TopicRule):
    id = "test-instructions"
    category = "documentation"
    description = "The documentation says how the tests are run, and when."
    help_url = f"{_BASELINE}#osps-qa-0602"
    remediation = (
        "Add a 'Running the tests' section to CONTRIBUTING.md with the command, and say when "
        "the tests run (on every pull request in CI, before submitting a change)."
    )
    default_weight = 3.0
    subject = "how tests are run"
    kinds = (FileKind.CONTRIBUTING, FileKind.README)
    names = phrases("testing, tests, running_tests")
    related = _DEVELOPER_GUIDES | {"building"}
    topic = _RUNNING_TESTS
    statement_words = (
        "a test command: pytest, tox, nox, npm test, go test, cargo test, make test, mvn test, "
        "./gradlew test, ctest, rspec, phpunit, dotnet test, jest, R CMD check ..."
    )

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            *super().explain(),
            (
                "partial",
                "how, but not when: nothing says 'on every pull request', 'continuous "
                "integration', 'GitHub Actions', 'GitLab CI', 'before submitting', 'pre-commit'",
            ),
        )

    def judge(self, sighting: Sighting, reading: Reading) -> Finding:
        when = _WHEN_TESTS_RUN.find(sighting.document) or next(reading.all(_WHEN_TESTS_RUN), None)
        if when is None:
            return Finding(
                Outcome.PARTIAL,
                f"How tests are run: {sighting.describe()}, but not when they run.",
                (sighting.evidence("not when"),),
            )
        return Finding(
            Outcome.PASS,
            f"How tests are run: {sighting.describe()}; when: {when.describe()}.",
            (sighting.evidence(), when.evidence("when")),
        )


class ChangesWithTestsRule(TopicRule):
    id = "test-policy"
    category = "documentation"
    description = "The documentation asks that major changes add or update tests."
    help_url = f"{_BASELINE}#osps-qa-0603"
    remediation = (
        "Say in CONTRIBUTING.md (or the pull request template's checklist) that changes must "
        "add or update tests of what they change."
    )
    default_weight = 3.0
    subject = "a policy that changes add or update tests"
    kinds = (FileKind.CONTRIBUTING, FileKind.GOVERNANCE, FileKind.README)
    with_templates = True
    related = _DEVELOPER_GUIDES | {"testing"}
    topic = Topic(
        sections=phrases("test policy, testing policy, testing requirements, test requirements"),
        statements=linear(
            r"(?:must|should|need[ \t]+to|needs[ \t]+to|required[ \t]+to|expected[ \t]+to|please"
            r"|make[ \t]+sure|ensure|remember[ \t]+to|are[ \t]+required|is[ \t]+required)"
            r"[^\n]{0,60}"
            r"(?:add|include|update|write|provide|come[ \t]+with|accompan|cover)[^\n]{0,40}test"
            r"|tests?[^\n]{0,30}(?:are|is)[ \t]+(?:required|mandatory|expected)"
            r"|(?:new|changed)[ \t]+(?:code|features?|functionality|behaviou?r)[^\n]{0,60}"
            r"(?:must|should|needs?)[^\n]{0,40}tests?"
            r"|\[[ xX]\][^\n]{0,60}(?:added|updated|wrote|written|include|cover)[^\n]{0,30}tests?"
            r"|\[[ xX]\][^\n]{0,20}tests?[^\n]{0,30}(?:added|updated|written|included)",
            _FLAGS,
        ),
    )
    statement_words = (
        "'changes must include tests', 'please add tests', 'tests are required', 'new "
        "features should come with tests', a checklist item ('- [ ] I have added tests')"
    )


class SecretsPolicyRule(TopicRule):
    id = "secrets-policy"
    category = "security"
    description = (
        "The documentation sets a policy for managing the project's secrets and credentials."
    )
    help_url = f"{_BASELINE}#osps-br-0702"
    remediation = (
        "Write down how the project's secrets and credentials are stored (CI secrets, a "
        "vault), who may access them, how they are rotated, and that none are committed."
    )
    default_weight = 3.0
    subject = "how secrets and credentials are managed"
    kinds = (FileKind.SECURITY, FileKind.CONTRIBUTING, FileKind.GOVERNANCE, FileKind.README)
    names = phrases(
        "secrets, secret_management, secrets_management, secrets_policy, credentials, "
        "credential_management, key_management"
    )
    topic = Topic(
        sections=phrases(
            "secrets, secret management, secrets management, managing secrets, handling "
            "secrets, secrets and credentials, credentials, credential management, handling "
            "credentials, key management, secret handling, sensitive data"
        ),
        statements=linear(
            r"never[ \t]+(?:commit|check[ \t]+in|push|store|hard-?code|include)[^\n]{0,40}"
            r"(?:secrets?|credentials?|passwords?|tokens?|(?:api|private)[ \t]+keys?)"
            r"|(?:secrets?|credentials?|tokens?|(?:api|private|signing)[ \t]+keys?)[ \t]+(?:are"
            r"|must[ \t]+be|should[ \t]+be|will[ \t]+be)[ \t]+(?:stored|kept|managed|rotated"
            r"|revoked|encrypted|held)|rotat(?:e|ed|ion)[ \t]+(?:of[ \t]+)?(?:secrets?"
            r"|credentials?|tokens?|keys?)",
            _FLAGS,
        ),
    )
    statement_words = (
        "'never commit secrets', 'credentials are stored in ...', 'tokens must be rotated'"
    )
    judged_by_person = "covers how secrets are stored, who may use them and how they are rotated"
