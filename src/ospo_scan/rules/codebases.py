"""A project of several repositories lists them and holds them to one standard
(OSPS-QA-04.01, OSPS-QA-04.02).

Whether a project spans several repositories is what the project says: its Security Insights
`project.repositories`, or a README linking to other repositories of the same owner on the same
host. Nothing else a single repository shows tells the two cases apart, so a repository saying
neither is not judged as part of a multi-repository project.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping

from ospo_scan.evidence import FileKind, locate
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._insights import SecurityInsights, valid_insights
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable, unknown
from ospo_scan.snapshot import Snapshot
from ospo_scan.untrusted.display import neutralise

_NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
_MAX_LINKED = 50


def listed_repositories(insights: SecurityInsights) -> list[tuple[str, str]]:
    """(name, url) of each repository a valid Security Insights file lists for the project."""
    listed = insights.value("project", "repositories") or []
    return [(str(r["name"]), str(r["url"])) for r in listed if isinstance(r, Mapping)]


def _owner(url: str) -> tuple[str, str, str] | None:
    """(host, owner, repository) of a repository's web address (`gitlab.example.org`,
    `group/subgroup`, `project`); None for a local clone's `file:` address."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return None
    segments = [s for s in parts.path.lower().split("/") if s]
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or len(segments) < 2:
        return None
    return host, "/".join(segments[:-1]), segments[-1].removesuffix(".git")


def readme_repositories(snapshot: Snapshot) -> tuple[str, list[str]] | None:
    """The README's path and the other repositories of the same owner it links to; None when
    the repository's own address or README is unknown."""
    own = _owner(snapshot.url)
    located = locate(snapshot, FileKind.README)
    if own is None or located is None:
        return None
    text = snapshot.read_text(located.entry.path)
    if text is None or text.binary:
        return None
    host, owner, name = own
    prefix = f"{host}/{owner}/"
    lowered = text.text.lower()  # names compared as the forges do, letter case aside
    linked: list[str] = []
    start = lowered.find(prefix)
    while start >= 0 and len(linked) < _MAX_LINKED:
        end = start + len(prefix)
        while end < len(lowered) and lowered[end] in _NAME_CHARACTERS:
            end += 1
        other = lowered[start + len(prefix) : end].removesuffix(".git")
        if other and other != name and other not in linked and other != ".github":
            linked.append(other)
        start = lowered.find(prefix, end)
    return located.entry.path, linked


class CodebasesListedRule(Rule):
    id = "codebases-listed"
    category = "governance"
    description = "A project of several repositories documents the list of its codebases."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-qa-0401"
    remediation = (
        "List every repository of the project in security-insights.yml (project.repositories) "
        "or in the README, with what each holds."
    )
    default_weight = 2.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "pass",
                "Security Insights project.repositories lists several repositories, or "
                "the README links to other repositories of the same owner",
            ),
            (
                "not-applicable",
                "nothing the repository says shows a project of several "
                "repositories (Security Insights listing only this one counts as single)",
            ),
            ("unknown", "the project's details are inherited (header.project-si-source)"),
        )

    def check(self, context: RuleContext) -> Finding:
        insights = valid_insights(context)
        if insights is not None:
            listed = listed_repositories(insights)
            if len(listed) > 1:
                names = ", ".join(neutralise(n[:60]) for n, _ in listed[:5])
                return Finding(
                    Outcome.PASS,
                    f"{insights.path} lists the project's {len(listed)} repositories: {names}.",
                    (insights.evidence,),
                )
            if listed:
                return not_applicable(
                    f"{insights.path} lists this repository as the project's only one."
                )
            source = insights.value("header", "project-si-source")
            if isinstance(source, str):
                return unknown(
                    f"{insights.path} inherits the project's details from "
                    f"{neutralise(source[:120])}, which this scan does not fetch",
                    settles="scanning the repository that holds that file",
                    evidence=(insights.evidence,),
                )
        found = readme_repositories(context.snapshot)
        if found is not None and found[1]:
            path, linked = found
            return Finding(
                Outcome.PASS,
                f"{path} links to {len(linked)} other repositories of the project's owner: "
                f"{', '.join(neutralise(n) for n in linked[:5])}.",
                (Evidence(path, EvidenceSource.README),),
            )
        return not_applicable(
            "Nothing the repository says (Security Insights, README links) shows a project of "
            "several repositories."
        )


class SubprojectsSecurityRule(Rule):
    id = "subprojects-security"
    category = "governance"
    description = (
        "Every repository of a multi-repository release enforces security requirements as "
        "strict as the primary codebase's."
    )
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-qa-0402"
    remediation = (
        "Apply the primary repository's branch rules, reviews, checks and policies to every "
        "repository listed in security-insights.yml, and scan them together to compare."
    )
    default_weight = 1.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "not-applicable",
                "no release (tag), or the project is a single repository as "
                "its Security Insights file says, or nothing shows several repositories",
            ),
            ("unknown", "several repositories: comparing their requirements is a review"),
        )

    def check(self, context: RuleContext) -> Finding:
        tags = context.snapshot.metadata.tags
        if tags is not None and not tags:
            return not_applicable("The project has made no release (no tag).")
        insights = valid_insights(context)
        listed = listed_repositories(insights) if insights is not None else []
        found = readme_repositories(context.snapshot) if not listed else None
        if len(listed) <= 1 and not (found and found[1]):
            return not_applicable(
                "Nothing the repository says shows a release of several repositories."
            )
        evidence = (insights.evidence,) if insights is not None and listed else ()
        return unknown(
            "The project spans several repositories; whether each enforces security "
            "requirements as strict as the primary codebase's is not something one "
            "repository shows",
            settles="scan every repository of the project together with the osps-baseline "
            "ruleset and compare their results, or a maintainer's review",
            evidence=evidence,
        )
