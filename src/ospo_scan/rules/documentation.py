"""Documentation rules: README, contributing guide, code of conduct, changelog."""

from __future__ import annotations

import re

from ospo_scan.evidence import FileKind, describe_search
from ospo_scan.licences.readme import find_section
from ospo_scan.model import Finding, Outcome
from ospo_scan.rules._documents import (
    STUB_RULE,
    TEMPLATE_RULE,
    Document,
    PresenceRule,
    content_lines,
    find_document,
    find_readable_document,
    has_heading,
    has_placeholder,
    headings,
    is_stub,
    template_finding,
    unusable,
    word_count,
)
from ospo_scan.rules._packages import changelogs_per_package, unlisted_note
from ospo_scan.rules.interface import Rule, RuleContext
from ospo_scan.untrusted.linear_regex import linear

_USAGE = re.compile(
    r"\b(?:install(?:ation|ing)?|usage|getting started|quick ?start|how to (?:use|run|build)"
    r"|pip install|npm install|docker run|requirements|run the|build the)\b",
    re.IGNORECASE,
)


_CONTRIBUTING_TITLE = linear(r"contribut|how to help|getting involved", re.IGNORECASE)
"""A README heading that opens a section on contributing."""
_RELEASE = linear(
    r"^(?:#{1,6}[ \t]+[^\n]*|={1,6}[ \t]+[^\n]*"
    r"|[ \t]*(?:[-*][ \t]+)?\[?(?:(?:version|release)[ \t]+)?v?)(?:\d+\.\d+|\d{4}-\d{2}-\d{2})"
    r"|^[^\n]*\d+\.\d+[^\n]*\n[ \t]*[=~^*+-]{3,}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
"""A release entry: a heading naming a version or a date (`## [1.2.0] - 2024-05-01`, `# pkg
1.2.0`), a line that starts with one (`v1.2.0`, `Version 1.2`, `2024-05-01`), or a reST title
with a version over its underline. A version inside a sentence or a link does not count."""

_MIN_WORDS = 40
"""Words of prose (headings and badges left out) that make a README more than a stub."""
_MIN_WORDS_WITH_USAGE = 8
"""Fewer words suffice when the README says how to install or use the project."""


class ReadmeRule(Rule):
    id = "readme"
    category = "documentation"
    description = "The repository has a README that explains what it is and how to use it."
    help_url = "https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-readmes"
    remediation = (
        "Write a README.md that says what the project does, who it is for, how to install and "
        "use it, and where to get help."
    )
    default_weight = 8.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("files searched", describe_search(FileKind.README)),
            (
                "counts as a stub (partial)",
                f"fewer than {_MIN_WORDS} words of prose (headings, badges and markup left out, "
                "however the lines are broken), unless it says how to install or use the project "
                f"in {_MIN_WORDS_WITH_USAGE} words or more; or placeholder text (TODO, lorem "
                f"ipsum) in fewer than {3 * _MIN_WORDS} words",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        document = find_readable_document(context.snapshot, FileKind.README)
        if document is None:
            return Finding(Outcome.FAIL, "No README found in .github/, the root or docs/.")
        if (failure := unusable(document, "README")) is not None:
            return failure
        if (template := template_finding(document, "README")) is not None:
            return template
        # Judged by words, not physical lines: a paragraph may be one long line.
        prose = " ".join(content_lines(document.text))
        words = word_count(prose)
        explains_use = bool(_USAGE.search(document.text)) and words >= _MIN_WORDS_WITH_USAGE
        placeholder = has_placeholder(prose) and words < 3 * _MIN_WORDS
        if (explains_use or words >= _MIN_WORDS) and not placeholder:
            return Finding(
                Outcome.PASS,
                f"README {document.path} has {words} words of content.",
                (document.evidence(),),
            )
        return Finding(
            Outcome.PARTIAL,
            f"README {document.path} is a stub ("
            + (f"{words} words" if words else "only a title")
            + ", no install or usage section).",
            (document.evidence("stub"),),
        )


class ContributingRule(Rule):
    id = "contributing"
    category = "documentation"
    description = "A contributing guide tells newcomers how to propose changes (own or inherited)."
    help_url = "https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions/setting-guidelines-for-repository-contributors"
    remediation = (
        "Add CONTRIBUTING.md (or an organisation-wide one in the .github repository) explaining "
        "how to report issues, propose changes, run the tests and get a review."
    )
    default_weight = 6.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("files searched", describe_search(FileKind.CONTRIBUTING)),
            ("counts as a stub (fail)", STUB_RULE),
            TEMPLATE_RULE,
            (
                "without a guide (partial)",
                "a README section whose heading mentions contributing (Contributing, How to "
                "help, Getting involved) with content",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        document = find_document(context.snapshot, FileKind.CONTRIBUTING)
        if document is None:
            return _readme_contributing(context) or Finding(
                Outcome.FAIL, "No CONTRIBUTING guide, own or organisation default."
            )
        if (failure := unusable(document, "Contributing guide")) is not None:
            return failure
        if (template := template_finding(document, "Contributing guide")) is not None:
            return template
        if is_stub(document.text):
            return Finding(
                Outcome.FAIL,
                f"Contributing guide {document.where} is a stub.",
                (document.evidence("stub"),),
            )
        return Finding(
            Outcome.PASS, f"Contributing guide {document.where}.", (document.evidence(),)
        )


def _readme_contributing(context: RuleContext) -> Finding | None:
    """A partial finding when the README says how to contribute in a section of its own."""
    readme = find_readable_document(context.snapshot, FileKind.README)
    if readme is None or readme.binary or readme.unreadable:
        return None
    section = find_section(readme.text, _CONTRIBUTING_TITLE)
    if section is None or word_count(" ".join(content_lines(section))) < 5:
        return None
    return Finding(
        Outcome.PARTIAL,
        f"No CONTRIBUTING guide; README {readme.path} has a section on contributing.",
        (readme.evidence("contributing section"),),
    )


class CodeOfConductRule(PresenceRule):
    id = "code-of-conduct"
    category = "documentation"
    description = (
        "A code of conduct sets the expected behaviour in the community (own or inherited)."
    )
    help_url = "https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions/adding-a-code-of-conduct-to-your-project"
    remediation = (
        "Adopt a code of conduct (for example the Contributor Covenant) as CODE_OF_CONDUCT.md, "
        "with a contact for reports, in the repository or the organisation's .github repository."
    )
    default_weight = 5.0
    kind = FileKind.CODE_OF_CONDUCT
    label = "code of conduct"


class ChangelogRule(PresenceRule):
    id = "changelog"
    category = "documentation"
    description = "A changelog records what changed in each release."
    help_url = "https://keepachangelog.com/"
    remediation = (
        "Keep a CHANGELOG.md listing notable changes per release (see keepachangelog.com)."
    )
    default_weight = 2.0
    kind = FileKind.CHANGELOG
    label = "changelog"

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            *super().explain(),
            (
                "records no release (partial)",
                "no heading or line that starts with a version or a date (## [1.2.0], # pkg "
                "1.2.0, v1.2.0, 2024-05-01): an empty Unreleased section is not yet a record",
            ),
            (
                "monorepos",
                "with no changelog at the root, a workspace whose every package keeps one "
                "passes, and one where only some do is partial (local and GitHub scans; GitLab "
                "scans do not list package directories)",
            ),
        )

    def absent(self, context: RuleContext) -> Finding:
        if (per_package := changelogs_per_package(context)) is not None:
            return per_package
        finding = super().absent(context)
        if (note := unlisted_note(context)) is not None:
            return Finding(finding.outcome, f"{finding.message.removesuffix('.')}; {note}.")
        return finding

    def judge(self, document: Document) -> Finding:
        if _RELEASE.search(document.text) is None:
            return Finding(
                Outcome.PARTIAL,
                f"Changelog {document.where} records no release yet.",
                (document.evidence("no release"),),
            )
        return super().judge(document)


INSTALL_SECTIONS = frozenset(
    {
        "install",
        "installation",
        "installing",
        "setup",
        "set up",
        "getting started",
        "get started",
        "quick start",
        "quickstart",
        "building",
        "how to build",
        "build from source",
        "deploy",
        "deployment",
        "deploying",
        "running",
        "how to run",
        "run",
    }
)
"""Section titles that say how to install, build or run the project (not `build` alone: a
`Build status` section holds badges)."""
USAGE_SECTIONS = frozenset(
    {
        "usage",
        "using",
        "how to use",
        "example",
        "examples",
        "tutorial",
        "getting started",
        "get started",
        "quick start",
        "quickstart",
        "documentation",
        "user guide",
        "commands",
    }
)
"""Section titles that say how to use it (`getting started` and `quick start` say both; not
`use` alone: `Terms of use`)."""
INSTALL_COMMAND = linear(
    r"(?:^|[\s`$>])(?:pip3? install|pipx install|uv (?:add|tool install|pip install)"
    r"|npm (?:install|ci|i)[\s`]|yarn (?:add|install)|pnpm (?:add|install)"
    r"|docker(?:-compose| compose)? (?:run|pull|up|build)|cargo (?:install|build|run)"
    r"|go (?:install|get|run|build)|gem install|bundle install|brew install"
    r"|apt(?:-get)? install|conda install|make install|mvn (?:install|package)"
    r"|\./gradlew |gradle build|composer (?:require|install)|dotnet (?:add|build|run)"
    r"|install\.packages\(|remotes::install_|devtools::install_|helm install|kubectl apply)",
    re.IGNORECASE | re.MULTILINE,
)
"""A command that installs, builds or runs the project, in prose or a code block."""
_FENCE = linear(r"^ {0,3}(?:```|~~~)")
_SETUP_LINE = linear(r"^\s*\$?\s*(?:git clone|cd |#|//|$)")
_DOCS_LINK = linear(
    r"\[[^\]\n]{0,80}(?:documentation|docs|user guide|manual|handbook|tutorial)[^\]\n]{0,80}\]\("
    r"|(?:documentation|user guide|manual|handbook)[^\n]{0,80}https?://",
    re.IGNORECASE,
)
"""A link to the documentation, which tells how to use the project elsewhere."""


class ReadmeUsageRule(Rule):
    id = "readme-usage"
    category = "documentation"
    description = "The README says how to install or run the project and how to use it."
    help_url = "https://www.makeareadme.com/"
    remediation = (
        "Give the README an Installation (or Getting started) section with the commands that "
        "install or run the project, and a Usage section with an example or a link to the "
        "documentation."
    )
    default_weight = 4.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "install or run",
                f"a section titled {', '.join(sorted(INSTALL_SECTIONS))}; or a command that "
                "installs, builds or runs it (pip install, npm install, docker run, cargo "
                "build, go install, install.packages(, ...)",
            ),
            (
                "use",
                f"a section titled {', '.join(sorted(USAGE_SECTIONS))}; or a code block that "
                "does more than install; or a link to the documentation",
            ),
            ("partial", "only one of the two; length alone never counts"),
        )

    def check(self, context: RuleContext) -> Finding:
        document = find_readable_document(context.snapshot, FileKind.README)
        if document is None:
            return Finding(Outcome.FAIL, "No README found in .github/, the root or docs/.")
        if (failure := unusable(document, "README")) is not None:
            return failure
        titles = headings(document.text)
        install = has_heading(titles, INSTALL_SECTIONS)
        if install is None and INSTALL_COMMAND.search(document.text):
            install = "an install or run command"
        usage = has_heading(titles, USAGE_SECTIONS)
        if usage is None and _usage_example(document.text):
            usage = "a usage example"
        if usage is None and _DOCS_LINK.search(document.text):
            usage = "a link to the documentation"
        if install and usage:
            detail = install if install == usage else f"{install}; {usage}"
            return Finding(
                Outcome.PASS,
                f"README {document.path} says how to install or run ({install}) and how to use "
                f"it ({usage}).",
                (document.evidence(detail),),
            )
        if install or usage:
            missing = "how to use it" if install else "how to install or run it"
            return Finding(
                Outcome.PARTIAL,
                f"README {document.path} does not say {missing}.",
                (document.evidence(install or usage),),
            )
        return Finding(
            Outcome.FAIL,
            f"README {document.path} says neither how to install or run the project nor how to "
            "use it.",
            (document.evidence("no install or usage"),),
        )


def _usage_example(text: str) -> bool:
    """Whether a fenced code block holds more than installing (cloning, changing directory)."""
    inside = False
    for line in text.splitlines():
        if _FENCE.match(line):
            inside = not inside
            continue
        if inside and not _SETUP_LINE.match(line) and not INSTALL_COMMAND.search(line):
            return True
    return False
