"""Documentation rules: README, contributing guide, code of conduct, changelog."""

from __future__ import annotations

import re

from ospo_scan.evidence import FileKind, describe_search
from ospo_scan.model import Finding, Outcome
from ospo_scan.rules._documents import (
    STUB_RULE,
    PresenceRule,
    content_lines,
    find_document,
    find_readable_document,
    has_placeholder,
    is_stub,
    unusable,
    word_count,
)
from ospo_scan.rules.interface import Rule, RuleContext

_USAGE = re.compile(
    r"\b(?:install(?:ation|ing)?|usage|getting started|quick ?start|how to (?:use|run|build)"
    r"|pip install|npm install|docker run|requirements|run the|build the)\b",
    re.IGNORECASE,
)


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
        )

    def check(self, context: RuleContext) -> Finding:
        document = find_document(context.snapshot, FileKind.CONTRIBUTING)
        if document is None:
            return Finding(Outcome.FAIL, "No CONTRIBUTING guide, own or organisation default.")
        if (failure := unusable(document, "Contributing guide")) is not None:
            return failure
        if is_stub(document.text):
            return Finding(
                Outcome.FAIL,
                f"Contributing guide {document.where} is a stub.",
                (document.evidence("stub"),),
            )
        return Finding(
            Outcome.PASS, f"Contributing guide {document.where}.", (document.evidence(),)
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
