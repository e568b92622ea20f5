"""Participation rules (UN Open Source Principles 4 and 7): templates that guide newcomers'
issues and changes, issues marked for newcomers, and contributors acknowledged by name."""

from __future__ import annotations

import json

from ospo_scan.evidence import FileKind, describe_search
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._documents import (
    TEMPLATE_RULE,
    content_lines,
    find_readable_document,
    has_heading,
    headings,
    template_finding,
)
from ospo_scan.rules.boilerplate import unreviewed_template
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable
from ospo_scan.snapshot import EntryKind, FileEntry, Snapshot

TEMPLATE_DIRECTORIES = (
    ".github/ISSUE_TEMPLATE",
    ".gitlab/issue_templates",
    ".gitlab/merge_request_templates",
)
"""Directories whose Markdown or YAML files are templates (GitHub issue forms included)."""
TEMPLATE_FILES = ("issue_template", "pull_request_template", "merge_request_template")
"""Single templates (any case, `.md`/`.txt`/none), looked for in `.github/`, the root, `docs/`."""
_TEMPLATE_EXTENSIONS = frozenset({"md", "markdown", "yml", "yaml", "txt", ""})
_NOT_TEMPLATES = frozenset({"config.yml", "config.yaml"})
"""GitHub's issue chooser settings: they configure the templates, they are not one."""
_MAX_SHOWN = 5
_TEMPLATE_READ_BYTES = 64 * 1024


class IssueTemplatesRule(Rule):
    id = "issue-templates"
    category = "documentation"
    description = (
        "Issue or merge-request templates guide newcomers' reports and changes (own or inherited)."
    )
    help_url = "https://docs.github.com/en/communities/using-templates-to-encourage-useful-issues-and-pull-requests/about-issue-and-pull-request-templates"
    remediation = (
        "Add issue templates (.github/ISSUE_TEMPLATE/bug_report.md, or .gitlab/issue_templates/ "
        "on GitLab) and a pull or merge request template; an organisation-wide set in the "
        ".github repository also counts on GitHub."
    )
    default_weight = 2.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        directories = ", ".join(f"{d}/" for d in TEMPLATE_DIRECTORIES)
        return (
            (
                "files searched",
                f"Markdown or YAML files (issue forms) in {directories} (config.yml left out); "
                "ISSUE_TEMPLATE, PULL_REQUEST_TEMPLATE or MERGE_REQUEST_TEMPLATE (.md, .txt or "
                "none, any case) in .github/, the root or docs/; else the same in the "
                "organisation's .github repository",
            ),
            ("fails when", "there is none, or every one found is empty"),
            TEMPLATE_RULE,
        )

    def check(self, context: RuleContext) -> Finding:
        snapshot = context.snapshot
        source = EvidenceSource.REPOSITORY
        found = templates(snapshot)
        if not found and snapshot.org_defaults is not None:
            found = templates(snapshot.org_defaults)
            source = EvidenceSource.ORGANISATION_DEFAULT
            snapshot = snapshot.org_defaults
        if not found:
            return Finding(Outcome.FAIL, "No issue or merge-request template, own or inherited.")
        # One reviewed template with content is enough; the rest are not read.
        with_content = (entry for entry in found if _has_content(snapshot, entry))
        unreviewed: list[tuple[FileEntry, str]] = []
        filled = None
        for entry in with_content:
            why = _unreviewed(snapshot, entry)
            if why is None:
                filled = entry
                break
            unreviewed.append((entry, why))
        inherited = source is EvidenceSource.ORGANISATION_DEFAULT
        where = f" (organisation default from {snapshot.name})" if inherited else ""
        if filled is None and unreviewed:
            entry, why = unreviewed[0]
            return Finding(
                Outcome.PARTIAL,
                f"Template {entry.path}{where} is written from a template, not yet reviewed "
                f"({why}).",
                (Evidence(entry.path, source, "unreviewed template"),),
            )
        if filled is None:
            return Finding(
                Outcome.FAIL,
                f"Every template found is empty ({found[0].path}).",
                (Evidence(found[0].path, source, "empty"),),
            )
        shown = [filled, *(entry for entry in found if entry is not filled)][:_MAX_SHOWN]
        evidence = tuple(Evidence(entry.path, source) for entry in shown)
        return Finding(Outcome.PASS, f"{len(found)} template(s){where}.", evidence)


def is_template_path(path: str) -> bool:
    """Whether a repository path is an issue or change template this rule counts."""
    directory, _, name = path.rpartition("/")
    lowered = name.lower()
    if directory in TEMPLATE_DIRECTORIES:
        stem, _, extension = lowered.rpartition(".")
        return bool(stem) and extension in _TEMPLATE_EXTENSIONS and lowered not in _NOT_TEMPLATES
    stem, _, extension = lowered.partition(".")
    return (
        directory in (".github", "", "docs")
        and stem in TEMPLATE_FILES
        and extension in _TEMPLATE_EXTENSIONS
    )


def templates(snapshot: Snapshot) -> list[FileEntry]:
    """The issue and change templates a repository holds, in search order."""
    return [
        entry
        for directory in (*TEMPLATE_DIRECTORIES, ".github", "", "docs")
        for entry in snapshot.entries(directory)
        if entry.kind is EntryKind.FILE and is_template_path(entry.path)
    ]


def _unreviewed(snapshot: Snapshot, entry: FileEntry) -> str | None:
    """Why the template is still fix mode's (or a known) template; None when it is not."""
    text = snapshot.read_text(entry.path, _TEMPLATE_READ_BYTES)
    return None if text is None or text.binary else unreviewed_template(text.text)


def _has_content(snapshot: Snapshot, entry: FileEntry) -> bool:
    if entry.size is not None:
        return entry.size > 0
    data = snapshot.read_bytes(entry.path, 1024)
    return bool(data and data.strip())


class NewcomerIssuesRule(Rule):
    id = "newcomer-issues"
    category = "governance"
    description = (
        "Issues are open to all, and some are marked for newcomers (`good first issue`, "
        "`help wanted`)."
    )
    help_url = "https://docs.github.com/en/communities/setting-up-your-project-for-healthy-contributions/encouraging-helpful-contributions-to-your-project-with-labels"
    remediation = (
        "Enable issues, and label a few approachable ones `good first issue` or `help wanted` "
        "so newcomers know where to start."
    )
    default_weight = 2.0
    host_only = True

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                "issues enabled on the host, and at least one issue (open or closed) carrying "
                "the label `good first issue` or `help wanted` (GitHub's default newcomer "
                "labels); the labels merely existing does not count",
            ),
            ("partial", "issues enabled, but no issue carries a newcomer label"),
            (
                "fails when",
                "the host's issue tracker is disabled (on GitLab also: open to members only)",
            ),
            (
                "not-applicable",
                "the host did not say (local scans; GitLab read without GraphQL, unless issues "
                "are disabled)",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        host = context.snapshot.metadata.host
        if host.issues_enabled is None:
            return not_applicable("The host did not say whether issues are enabled.")
        if not host.issues_enabled:
            return Finding(
                Outcome.FAIL,
                "Issues are disabled (or open to members only): newcomers cannot report "
                "problems or find work.",
                (Evidence("issues", EvidenceSource.HOST, "disabled"),),
            )
        if host.newcomer_issues is None:
            return not_applicable("Issues are enabled; the host did not say which labels they use.")
        labels = ", ".join(host.newcomer_labels) or "none"
        evidence = (Evidence("issues", EvidenceSource.HOST, f"newcomer labels: {labels}"),)
        if host.newcomer_issues > 0:
            return Finding(
                Outcome.PASS,
                f"Issues are enabled; {host.newcomer_issues} carry a newcomer label ({labels}).",
                evidence,
            )
        return Finding(
            Outcome.PARTIAL, "Issues are enabled, but none is marked for newcomers.", evidence
        )


CONTRIBUTOR_SECTIONS = frozenset(
    {"contributors", "authors", "credits", "acknowledgements", "acknowledgments", "thanks"}
)
"""README section titles that acknowledge contributors."""
ALL_CONTRIBUTORS = ".all-contributorsrc"
CITATION = "CITATION.cff"
_CONFIG_READ_BYTES = 256 * 1024


class ContributorsRule(Rule):
    id = "contributors-acknowledged"
    category = "governance"
    description = "Contributors are acknowledged by name (CONTRIBUTORS, AUTHORS, CITATION.cff)."
    help_url = "https://allcontributors.org/"
    remediation = (
        "Name the people who contributed: a CONTRIBUTORS.md or AUTHORS file, the "
        "all-contributors bot's .all-contributorsrc, or the authors of a CITATION.cff."
    )
    default_weight = 2.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        titles = ", ".join(sorted(CONTRIBUTOR_SECTIONS))
        return (
            ("files searched", describe_search(FileKind.CONTRIBUTORS)),
            (
                "also counts",
                f"{ALL_CONTRIBUTORS} listing contributors; {CITATION} with authors; a README "
                f"section titled {titles}, or the all-contributors table in the README",
            ),
            ("fails when", "none of these names anyone (an empty file does not count)"),
            TEMPLATE_RULE,
        )

    def check(self, context: RuleContext) -> Finding:
        snapshot = context.snapshot
        document = find_readable_document(snapshot, FileKind.CONTRIBUTORS)
        if document is not None and not document.binary and content_lines(document.text):
            if (template := template_finding(document, "Contributors file")) is not None:
                return template
            return Finding(
                Outcome.PASS, f"Contributors named in {document.path}.", (document.evidence(),)
            )
        for path, counted in ((ALL_CONTRIBUTORS, _all_contributors), (CITATION, _citation)):
            entry = snapshot.find_file(path)
            if entry is None:
                continue
            text = snapshot.read_text(entry.path, _CONFIG_READ_BYTES)
            people = counted(text.text) if text is not None and not text.binary else 0
            if people:
                return Finding(
                    Outcome.PASS,
                    f"{entry.path} names {people} contributor(s).",
                    (Evidence(entry.path, EvidenceSource.REPOSITORY),),
                )
        readme = find_readable_document(snapshot, FileKind.README)
        if readme is not None and not readme.binary and not readme.unreadable:
            title = has_heading(headings(readme.text), CONTRIBUTOR_SECTIONS)
            if title is None and "ALL-CONTRIBUTORS-LIST:START" in readme.text:
                title = "all-contributors table"
            if title is not None:
                return Finding(
                    Outcome.PASS,
                    f"README {readme.path} acknowledges contributors ({title}).",
                    (Evidence(readme.path, EvidenceSource.README, title),),
                )
        return Finding(Outcome.FAIL, "No file or README section names the contributors.")


def _all_contributors(text: str) -> int:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return 0
    contributors = data.get("contributors") if isinstance(data, dict) else None
    return len(contributors) if isinstance(contributors, list) else 0


def _citation(text: str) -> int:
    import yaml  # here: only a repository that has the file needs a YAML reader

    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError):
        return 0
    authors = data.get("authors") if isinstance(data, dict) else None
    return len([a for a in authors if a]) if isinstance(authors, list) else 0
