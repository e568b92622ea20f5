"""Which file fixes which rule, where it goes, and how it is filled from the entity profile.

Names come from directories, hosts and the entity profile, so they are untrusted in what they
write: before a name fills a template it is made inert for that file's format. In Markdown it
renders literally (no link, HTML or heading of its own); in YAML, CODEOWNERS and JSON it stays
on its line (no line break, control or bidirectional character, so a directory name cannot add a
registry to dependabot.yml or an owner to CODEOWNERS) and inside its JSON string. Contacts are
checked when the profile is read (`config.profile`) and go in as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from ospo_scan.fix.kinds import GITHUB, FixKind
from ospo_scan.fix.templates import PLACEHOLDERS, TemplateSet
from ospo_scan.licences.manifests import is_manifest_name
from ospo_scan.model import Contacts
from ospo_scan.snapshot import EntryKind, Snapshot
from ospo_scan.untrusted.display import neutralise
from ospo_scan.untrusted.markdown import escape_markdown

_ECOSYSTEMS: tuple[tuple[str, str], ...] = (
    ("Dockerfile", "docker"),
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
"""Manifests (those the licence module reads, their ecosystems' usual companions, and
Dockerfiles) and the Dependabot `package-ecosystem` that updates them."""

MANIFEST_DEPTH = 3
"""How deep below the root manifests are looked for (`services/api/web` is depth 3)."""
MAX_DIRECTORIES = 200
"""At most this many directories are listed looking for manifests."""
_NOT_SEARCHED = frozenset(
    {"node_modules", "vendor", "third_party", "dist", "build", "target", "__pycache__"}
)
"""Directories of installed or built dependencies, not the repository's own manifests."""


def dependabot_ecosystems(snapshot: Snapshot) -> list[str]:
    """The Dependabot ecosystems a repository's manifests and workflows call for."""
    return sorted(manifest_directories(snapshot))


def manifest_directories(snapshot: Snapshot) -> dict[str, list[str]]:
    """Per Dependabot ecosystem, the directories (`/`, `/services/api`) holding its manifests:
    the root and, where the connector can list them, directories down to `MANIFEST_DEPTH`
    (at most `MAX_DIRECTORIES` listed; dependency and build directories, hidden ones and names
    that are not plain are left out)."""
    found: dict[str, list[str]] = {}
    queue = [""]
    listed = 0
    while queue and listed < MAX_DIRECTORIES:
        directory = queue.pop(0)
        entries = snapshot.list_directory(directory)
        listed += 1
        for entry in entries or ():
            if entry.kind is EntryKind.DIRECTORY and _searched(entry.path):
                queue.append(entry.path)
            elif entry.kind is EntryKind.FILE:
                for ecosystem in _ecosystems_of(entry.name):
                    found.setdefault(ecosystem, []).append(f"/{directory}")
    workflows = snapshot.entry(".github/workflows")
    if workflows is not None and workflows.kind is EntryKind.DIRECTORY:
        found["github-actions"] = ["/"]
    return {ecosystem: sorted(set(paths)) for ecosystem, paths in found.items()}


def _searched(path: str) -> bool:
    parts = path.split("/")
    return len(parts) <= MANIFEST_DEPTH and all(
        part not in _NOT_SEARCHED and not part.startswith(".") and _plain(part) for part in parts
    )


def _plain(name: str) -> bool:
    """A name that is safe to write unquoted-looking into YAML: letters, digits, `._-`."""
    return bool(name) and all(c.isascii() and (c.isalnum() or c in "._-") for c in name)


def _ecosystems_of(name: str) -> list[str]:
    found = []
    for pattern, ecosystem in _ECOSYSTEMS:
        matches = name.endswith(pattern[1:]) if pattern[0] == "*" else name == pattern
        if matches and (is_manifest_name(name) or pattern in _COMPANIONS):
            found.append(ecosystem)
    return found


_COMPANIONS = frozenset({"setup.py", "requirements.txt", "Gemfile", "go.mod", "Dockerfile"})
"""Manifests with no licence field, so the licence module does not read them."""


def dependabot_updates(directories: dict[str, list[str]]) -> str:
    """The `updates:` entries of a dependabot.yml, one per ecosystem, weekly, each with the
    directories holding that ecosystem's manifests."""
    entries = []
    for ecosystem, paths in sorted(directories.items()):
        if len(paths) == 1:
            where = f"    directory: {_yaml_string(paths[0])}\n"
        else:
            where = "    directories:\n" + "".join(
                f"      - {_yaml_string(path)}\n" for path in paths
            )
        entries.append(
            f'  - package-ecosystem: "{ecosystem}"\n'
            + where
            + "    schedule:\n"
            + '      interval: "weekly"\n'
        )
    return "".join(entries).rstrip("\n")


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar: JSON's escapes (control, bidi and non-ASCII characters as
    `\\uXXXX`, quotes and backslashes escaped) are YAML's too, so the value stays one value."""
    return json.dumps(text, ensure_ascii=True)


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
    template = kind.template_on(context.platform)
    inert = _inert_in(template)
    values.update(
        entity=inert(context.entity),
        project=inert(project),
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
        values["updates"] = dependabot_updates(manifest_directories(snapshot))
    return context.templates.fill(template, values)


def _inert_in(template: str) -> Callable[[str], str]:
    """How a name is written into the file made from `template`, by the file's format."""
    if template.lower().endswith(".md"):
        return lambda text: escape_markdown(text, at_line_start=True)
    if template.lower().endswith(".json"):
        return lambda text: json.dumps(neutralise(text), ensure_ascii=False)[1:-1]
    return neutralise  # YAML and CODEOWNERS: one line, where a name only ever sits in a comment
