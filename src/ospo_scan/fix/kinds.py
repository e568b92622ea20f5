"""The rules fix mode can make pass, each by one file: which file, and where it goes.

Data only, so that `fix --help` can list the fixable rules without loading the templates and
the licence detection that filling them needs (`files`).
"""

from __future__ import annotations

from dataclasses import dataclass

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
FIXABLE_RULES = frozenset(kind.rule for kind in FIX_KINDS) | {"license", "security-insights"}
"""Rules `--rules` may name (`license` only with `--licence`; `security-insights` writes a
Security Insights file where there is none, `fix.insights`)."""
