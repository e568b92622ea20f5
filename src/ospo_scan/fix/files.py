"""Which file fixes which rule, where it goes, and how it is filled from the entity profile."""

from __future__ import annotations

from dataclasses import dataclass

from ospo_scan.fix.templates import PLACEHOLDERS, TemplateSet
from ospo_scan.licences.manifests import is_manifest_name
from ospo_scan.model import Contacts
from ospo_scan.snapshot import EntryKind, Snapshot

GITLAB = "gitlab"
GITHUB = "github"


@dataclass(frozen=True)
class FixKind:
    """A rule fix mode can make pass by adding one file."""

    rule: str
    """The rule's id."""
    template: str
    """The template's file name."""
    path: str
    """Where the file goes in a repository on GitHub or on disk."""
    gitlab_path: str
    """Where it goes on GitLab (no `.github/` there; Renovate rather than Dependabot)."""
    inheritable: bool = False
    """GitHub takes it from the organisation's `.github` repository (SPEC §3)."""
    contact: str | None = None
    """The `[contacts]` key the file names; without it the fix is skipped."""

    def path_on(self, platform: str | None) -> str:
        return self.gitlab_path if platform == GITLAB else self.path

    def template_on(self, platform: str | None) -> str:
        if self.rule == "dependency-updates" and platform == GITLAB:
            return "renovate.json"
        return self.template


FIX_KINDS: tuple[FixKind, ...] = (
    FixKind(
        "contributing", "CONTRIBUTING.md", "CONTRIBUTING.md", "CONTRIBUTING.md", inheritable=True
    ),
    FixKind(
        "code-of-conduct",
        "CODE_OF_CONDUCT.md",
        "CODE_OF_CONDUCT.md",
        "CODE_OF_CONDUCT.md",
        inheritable=True,
        contact="conduct",
    ),
    FixKind(
        "security-policy",
        "SECURITY.md",
        "SECURITY.md",
        "SECURITY.md",
        inheritable=True,
        contact="security",
    ),
    FixKind("governance", "GOVERNANCE.md", "GOVERNANCE.md", "GOVERNANCE.md", inheritable=True),
    FixKind("maintainers", "CODEOWNERS", ".github/CODEOWNERS", "CODEOWNERS", contact="maintainers"),
    FixKind("changelog", "CHANGELOG.md", "CHANGELOG.md", "CHANGELOG.md"),
    FixKind("dependency-updates", "dependabot.yml", ".github/dependabot.yml", "renovate.json"),
    FixKind(
        "issue-templates",
        "bug_report.md",
        ".github/ISSUE_TEMPLATE/bug_report.md",
        ".gitlab/issue_templates/Bug.md",
        inheritable=True,
    ),
    FixKind("support-policy", "SUPPORT.md", "SUPPORT.md", "SUPPORT.md", inheritable=True),
    FixKind(
        "contributors-acknowledged",
        "CONTRIBUTORS.md",
        "CONTRIBUTORS.md",
        "CONTRIBUTORS.md",
        contact="maintainers",
    ),
)
"""Every rule fix mode knows how to fix, in the order the plan lists them."""
FIXABLE_RULES = frozenset(kind.rule for kind in FIX_KINDS) | {"license"}
"""Rules `--rules` may name (`license` only with `--licence`)."""

_ECOSYSTEMS: tuple[tuple[str, str], ...] = (
    ("package.json", "npm"),
    ("pyproject.toml", "pip"),
    ("setup.cfg", "pip"),
    ("setup.py", "pip"),
    ("requirements.txt", "pip"),
    ("Cargo.toml", "cargo"),
    ("composer.json", "composer"),
    ("*.gemspec", "bundler"),
    ("Gemfile", "bundler"),
    ("pom.xml", "maven"),
    ("go.mod", "gomod"),
)
"""Root manifests (those the licence module reads, and their ecosystems' usual companions) and
the Dependabot `package-ecosystem` that updates them."""


def dependabot_ecosystems(snapshot: Snapshot) -> list[str]:
    """The Dependabot ecosystems a repository's root manifests and workflows call for."""
    found: list[str] = []
    for entry in snapshot.entries(""):
        if entry.kind is not EntryKind.FILE:
            continue
        for pattern, ecosystem in _ECOSYSTEMS:
            matches = (
                entry.name.endswith(pattern[1:]) if pattern[0] == "*" else entry.name == pattern
            )
            if matches and (is_manifest_name(entry.name) or pattern in _COMPANIONS):
                found.append(ecosystem)
    workflows = snapshot.entry(".github/workflows")
    if workflows is not None and workflows.kind is EntryKind.DIRECTORY:
        found.append("github-actions")
    return sorted(set(found))


_COMPANIONS = frozenset({"setup.py", "requirements.txt", "Gemfile", "go.mod"})
"""Manifests with no licence field, so the licence module does not read them."""


def dependabot_updates(ecosystems: list[str]) -> str:
    """The `updates:` entries of a dependabot.yml, one per ecosystem, weekly."""
    return "".join(
        f'  - package-ecosystem: "{ecosystem}"\n'
        '    directory: "/"\n'
        "    schedule:\n"
        '      interval: "weekly"\n'
        for ecosystem in ecosystems
    ).rstrip("\n")


@dataclass(frozen=True)
class FillContext:
    """What templates are filled from."""

    entity: str
    """The entity's name."""
    contacts: Contacts
    """The entity profile's contacts."""
    platform: str | None
    """github, gitlab, or None for local directories."""
    templates: TemplateSet
    """Where the templates are."""


def missing_contact(kind: FixKind, contacts: Contacts) -> str | None:
    """The `[contacts]` key the kind needs and the profile lacks, or None."""
    if kind.contact == "maintainers":
        return None if contacts.maintainers else "contacts.maintainers"
    if kind.contact is not None and getattr(contacts, kind.contact) is None:
        return f"contacts.{kind.contact}"
    return None


def fill(kind: FixKind, project: str, context: FillContext, snapshot: Snapshot | None) -> str:
    """The file's content for `project` (a repository, or the entity for organisation files)."""
    values = dict.fromkeys(PLACEHOLDERS, "")
    contacts = context.contacts
    values.update(
        entity=context.entity,
        project=project,
        conduct_contact=contacts.conduct or "",
        security_contact=contacts.security or "",
        maintainers=" ".join(contacts.maintainers),
    )
    if context.platform == GITHUB:
        values["host_reporting"] = (
            " Where the repository's **Security** tab offers **Report a vulnerability**, you can"
            " also use GitHub's private vulnerability reporting."
        )
    if kind.rule == "dependency-updates" and snapshot is not None:
        values["updates"] = dependabot_updates(dependabot_ecosystems(snapshot))
    return context.templates.fill(kind.template_on(context.platform), values)
