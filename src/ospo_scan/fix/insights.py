"""A Security Insights file (schema 2.2.0) made from the entity profile and what the scan saw.

Every value comes from somewhere named: the repository's https address (the host's, or a local
clone's `origin` remote), its default branch, its identified licence file and security policy,
the profile's `[contacts]`. No contact is ever made up: without `contacts.maintainers` (the
required administrators and core team) or an identified licence file, no file is proposed and
the plan says which is missing. The few yes/no answers the schema requires and no scan can see
(a bug bounty, whether change requests are welcome) are written as the conservative answer and
listed at the top of the file for the reviewer. The document is checked against the shipped
2.2.0 schema before it is proposed; an invalid one is never written.
"""

from __future__ import annotations

import configparser
import urllib.parse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ospo_scan.evidence import FileKind, locate
from ospo_scan.fix.files import FillContext
from ospo_scan.fix.kinds import GITHUB, GITLAB
from ospo_scan.model import Outcome, RepoReport
from ospo_scan.rules._insights import WRITTEN_VERSION, validate_insights
from ospo_scan.snapshot import Snapshot
from ospo_scan.untrusted.bounded_read import read_regular_file
from ospo_scan.untrusted.display import neutralise

INSIGHTS_PATH = "security-insights.yml"
RULE = "security-insights"
_CONFIG_BYTES = 64 * 1024
_REVIEW = (
    "# Security Insights {version} for {project}, proposed by `ospo-scan fix` from the entity\n"
    "# profile and what the scan saw. Review before merging; these answers are the cautious\n"
    "# default because no scan can see them:\n"
    "#   project.vulnerability-reporting.bug-bounty-available: false\n"
    "#   repository.accepts-change-request: true\n"
    "#   repository.security.assessments.self: no self-assessment recorded yet\n"
    "# https://github.com/ossf/security-insights\n"
)


@dataclass(frozen=True)
class Forge:
    """Where a repository lives on the web."""

    url: str
    """Its https address, without `.git`."""
    platform: str
    """github or gitlab: how file addresses are made."""

    def file_url(self, branch: str, path: str, *, raw: bool = False) -> str:
        quoted = urllib.parse.quote(path)
        if self.platform == GITHUB:
            return f"{self.url}/{'raw' if raw else 'blob'}/{branch}/{quoted}"
        return f"{self.url}/-/{'raw' if raw else 'blob'}/{branch}/{quoted}"


def _forge_of(url: str, platform: str | None) -> Forge | None:
    """The forge of an https repository address; None for anything else."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a port that is no number
        return None
    host = (parts.hostname or "").lower()
    path = parts.path.strip("/").removesuffix(".git")
    if parts.scheme != "https" or not host or path.count("/") < 1:
        return None
    kind = platform or (GITHUB if host == "github.com" else GITLAB if "gitlab" in host else None)
    if kind not in (GITHUB, GITLAB):
        return None
    return Forge(f"https://{host}{port}/{path}", kind)  # no user name or token, ever


def origin_url(worktree: Path) -> str | None:
    """A local clone's `origin` remote as an https address (`git@host:o/r.git` included)."""
    git_directory = worktree / ".git"
    if git_directory.is_symlink() or not git_directory.is_dir():
        return None  # a worktree's `.git` file or a link elsewhere: not read
    try:
        text = read_regular_file(git_directory / "config", _CONFIG_BYTES)
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.read_string(text.decode("utf-8", errors="replace"))
        remote = parser.get('remote "origin"', "url", fallback=None)
    except (OSError, configparser.Error, ValueError):
        return None
    if remote is None:
        return None
    remote = remote.strip()
    if remote.startswith(("ssh://", "git+ssh://")):
        parts = urllib.parse.urlsplit(remote)
        return f"https://{parts.hostname}{parts.path}" if parts.hostname else None
    if "://" not in remote and ":" in remote and "@" in remote.split(":", 1)[0]:
        host, path = remote.split("@", 1)[1].split(":", 1)
        return f"https://{host}/{path.lstrip('/')}"
    return remote


def repository_forge(snapshot: Snapshot, platform: str | None) -> Forge | None:
    """The repository's forge: the host's address, or a local clone's origin remote."""
    if snapshot.url.startswith("file:"):
        path = Path(urllib.parse.unquote(urllib.parse.urlsplit(snapshot.url).path))
        remote = origin_url(path)
        return _forge_of(remote, None) if remote else None
    return _forge_of(snapshot.url, platform)


def _contact(value: str, *, primary: bool) -> dict[str, Any]:
    """A contact from one `contacts.maintainers` entry: an e-mail address or a handle."""
    if "@" in value and not value.startswith("@"):
        return {"name": value, "primary": primary, "email": value}
    return {"name": value, "primary": primary, "social": value}


@dataclass(frozen=True)
class InsightsDraft:
    """What fix mode can say of a repository's Security Insights."""

    content: str | None
    """The file, or None when something it requires is missing."""
    missing: tuple[str, ...] = ()
    """What is missing, for the plan's skipped reason."""


def draft_insights(
    repo: RepoReport, snapshot: Snapshot, context: FillContext, today: date
) -> InsightsDraft:
    """The Security Insights file for a repository, or what stops one being written."""
    forge = repository_forge(snapshot, context.platform)
    branch = repo.default_branch or snapshot.metadata.default_branch
    licence = repo.licence
    licence_files = licence.files if licence and licence.expression else ()
    maintainers = context.contacts.maintainers
    missing = []
    if forge is None:
        missing.append(
            "the repository's https address on GitHub or GitLab (for a local clone, an "
            "`origin` remote there)"
        )
    if not branch:
        missing.append("the default branch")
    if not maintainers:
        missing.append("contacts.maintainers in the entity profile (administrators, core team)")
    if not licence_files:
        missing.append("an identified licence file")
    if missing or forge is None or branch is None or licence is None:
        return InsightsDraft(None, tuple(missing))
    document = _document(repo, snapshot, context, forge, branch, today)
    document["repository"]["license"] = {
        "url": forge.file_url(branch, licence_files[0]),
        "expression": licence.expression,
    }
    _, problems = validate_insights(document)
    if problems:
        return InsightsDraft(None, tuple(f"a valid {p!s}" for p in problems))
    project = neutralise(snapshot.name.rsplit("/", 1)[-1])
    header = _REVIEW.format(version=WRITTEN_VERSION, project=project)
    return InsightsDraft(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True))


def _document(
    repo: RepoReport,
    snapshot: Snapshot,
    context: FillContext,
    forge: Forge,
    branch: str,
    today: date,
) -> dict[str, Any]:
    name = snapshot.name.rsplit("/", 1)[-1]
    people = [_contact(m, primary=i == 0) for i, m in enumerate(context.contacts.maintainers)]
    description = snapshot.metadata.description or f"The source code of {name}."
    reporting: dict[str, Any] = {"reports-accepted": False, "bug-bounty-available": False}
    security = context.contacts.security
    policy = locate(snapshot, FileKind.SECURITY)
    passed = {r.rule for r in repo.results if r.outcome is Outcome.PASS}
    if security or "security-policy" in passed:
        reporting["reports-accepted"] = True
    if security and "@" in security and "://" not in security:
        reporting["contact"] = {
            "name": f"{context.entity} security contact",
            "primary": True,
            "email": security.removeprefix("mailto:"),
        }
    if policy is not None and policy.snapshot is snapshot:
        reporting["policy"] = forge.file_url(branch, policy.entry.path)
    elif security and security.startswith("https://"):
        reporting["policy"] = security
    today_text = today.isoformat()
    return {
        "header": {
            "schema-version": WRITTEN_VERSION,
            "last-updated": today_text,
            "last-reviewed": today_text,
            "url": forge.file_url(branch, INSIGHTS_PATH, raw=True),
        },
        "project": {
            "name": name,
            "administrators": people,
            "repositories": [{"name": name, "url": forge.url, "comment": description}],
            "vulnerability-reporting": reporting,
        },
        "repository": {
            "url": forge.url,
            "status": "active",
            "accepts-change-request": True,
            "accepts-automated-change-request": "dependency-updates" in passed,
            "core-team": [dict(person) for person in people],  # no YAML alias
            "license": {},
            "security": {
                "assessments": {"self": {"comment": "No self-assessment has been recorded yet."}}
            },
        },
    }
