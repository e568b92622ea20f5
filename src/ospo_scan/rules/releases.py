"""Reusability rules (UN Open Source Principle 5): versioned releases and a package manifest.

Both read what people did: tags someone pushed (or releases published on the host), and a
manifest that gives the project a name and a version its ecosystem's tools understand.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree import ElementTree

from ospo_scan.licences.manifests import json_object, nested_table, toml_table
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable
from ospo_scan.snapshot import EntryKind, Snapshot
from ospo_scan.untrusted.linear_regex import linear

SEMANTIC_VERSION = linear(
    r"^(?:.*[-/@_])?[vV]?(\d{1,9})\.(\d{1,9})\.(\d{1,9})"
    r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
)
"""A tag naming a semantic version: `v1.2.3`, `1.2.3-rc.1`, `pkg@1.2.3`, `tools/v0.4.0`."""
_SHOWN_TAGS = 3


class VersionedReleasesRule(Rule):
    id = "versioned-releases"
    category = "maintenance"
    description = "Releases are tagged with semantic versions, so others can depend on them."
    help_url = "https://semver.org/"
    remediation = (
        "Tag each release with a semantic version (`git tag v1.0.0`, then push the tag) and "
        "publish it as a release on the host, with its changes in the changelog."
    )
    default_weight = 3.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "what counts",
                "a tag or host release named as a semantic version: MAJOR.MINOR.PATCH, with an "
                "optional `v`, pre-release or build suffix, and an optional package prefix "
                "(`v1.2.3`, `1.2.3-rc.1`, `pkg@1.2.3`, `tools/v0.4.0`)",
            ),
            (
                "where tags are read",
                "local: `.git/refs/tags/` and `packed-refs`; GitHub: the 20 tags with the latest "
                "commits (every published release has its tag); GitLab: the tags of the 20 "
                "latest releases (GitLab lists no other tags)",
            ),
            ("partial", "tags exist, but none is a semantic version (`v1.2`, `release-2024`)"),
            (
                "not-applicable",
                "the tags could not be read (a GitLab project without a release, a reftable "
                "repository, a directory without `.git`)",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        tags = context.snapshot.metadata.tags
        if tags is None:
            return not_applicable("The repository's tags and releases could not be read.")
        if not tags:
            return Finding(Outcome.FAIL, "No tag or release: no version has been published.")
        versions = [tag for tag in tags if SEMANTIC_VERSION.match(tag)]
        if versions:
            latest = max(versions, key=_version_key)
            evidence = (Evidence(f"refs/tags/{latest}", EvidenceSource.REPOSITORY, "latest"),)
            return Finding(
                Outcome.PASS,
                f"{len(versions)} semantic-version tag(s) or release(s); the highest is {latest}.",
                evidence,
            )
        shown = ", ".join(tags[:_SHOWN_TAGS]) + (", ..." if len(tags) > _SHOWN_TAGS else "")
        return Finding(
            Outcome.PARTIAL,
            f"{len(tags)} tag(s) ({shown}), none a semantic version (MAJOR.MINOR.PATCH).",
            tuple(Evidence(f"refs/tags/{t}", EvidenceSource.REPOSITORY) for t in tags[:1]),
        )


def latest_release(tags: tuple[str, ...]) -> str:
    """The highest semantic-version tag, else the first (connectors list the newest first where
    they can tell)."""
    versions = [tag for tag in tags if SEMANTIC_VERSION.match(tag)]
    return max(versions, key=_version_key) if versions else tags[0]


def _version_key(tag: str) -> tuple[int, int, int, bool]:
    match = SEMANTIC_VERSION.match(tag)
    assert match is not None
    major, minor, patch = (int(match.group(i)) for i in (1, 2, 3))
    return major, minor, patch, "-" not in tag.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Identity:
    """What a manifest says the package is called and which version it is."""

    name: str | None
    version: str | None
    """The version, or how the ecosystem derives it (`from tags`, `dynamic`)."""


_READ_BYTES = 256 * 1024


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _package_json(text: str) -> Identity:
    data = json_object(text)
    return Identity(_text(data.get("name")), _text(data.get("version")))


def _datapackage_json(text: str) -> Identity:
    data = json_object(text)
    return Identity(_text(data.get("name")), _text(data.get("version")))


def _composer_json(text: str) -> Identity:
    data = json_object(text)
    name = _text(data.get("name"))
    return Identity(name, _text(data.get("version")) or ("from tags" if name else None))


def _pyproject(text: str) -> Identity:
    data = toml_table(text)
    project = nested_table(data, "project")
    dynamic = project.get("dynamic")
    version = _text(project.get("version"))
    if version is None and isinstance(dynamic, list) and "version" in dynamic:
        version = "dynamic"
    if project:
        return Identity(_text(project.get("name")), version)
    poetry = nested_table(data, "tool", "poetry")
    return Identity(_text(poetry.get("name")), _text(poetry.get("version")))


def _cargo(text: str) -> Identity:
    package = nested_table(toml_table(text), "package")
    version = package.get("version")
    if isinstance(version, dict) and version.get("workspace") is True:
        return Identity(_text(package.get("name")), "from the workspace")
    return Identity(_text(package.get("name")), _text(version))


def _setup_cfg(text: str) -> Identity:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return Identity(None, None)
    name = parser.get("metadata", "name", fallback=None)
    version = parser.get("metadata", "version", fallback=None)
    return Identity(_text(name), _text(version))


_DCF_FIELD = linear(r"^(Package|Version):[ \t]*(\S.*?)\s*$", re.MULTILINE)


def _r_description(text: str) -> Identity:
    fields = {m.group(1): m.group(2) for m in _DCF_FIELD.finditer(text)}
    return Identity(fields.get("Package"), fields.get("Version"))


def _go_mod(text: str) -> Identity:
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == "module":
            return Identity(words[1].strip('"'), "from tags")
    return Identity(None, None)


def _pom(text: str) -> Identity:
    try:
        root = ElementTree.fromstring(text)
    except (ElementTree.ParseError, ValueError, RecursionError):
        return Identity(None, None)
    found: dict[str, str | None] = {"artifactId": None, "version": None}
    for child in root:
        local = child.tag.rsplit("}", 1)[-1]
        if local in found:
            found[local] = _text(child.text)
    return Identity(found["artifactId"], found["version"])


MANIFESTS: tuple[tuple[str, str, Callable[[str], Identity]], ...] = (
    ("package.json", "npm", _package_json),
    ("pyproject.toml", "Python", _pyproject),
    ("setup.cfg", "Python", _setup_cfg),
    ("Cargo.toml", "Rust", _cargo),
    ("composer.json", "PHP", _composer_json),
    ("pom.xml", "Maven", _pom),
    ("DESCRIPTION", "R", _r_description),
    ("go.mod", "Go", _go_mod),
    ("datapackage.json", "Frictionless Data", _datapackage_json),
)
"""Root manifests that name and version a package, their ecosystem, and how each is read."""


class PackageManifestRule(Rule):
    id = "package-manifest"
    category = "metadata"
    description = "A package manifest names and versions the project for its ecosystem."
    help_url = "https://packaging.python.org/en/latest/specifications/pyproject-toml/"
    remediation = (
        "Describe the project in its ecosystem's manifest with a name and a version "
        "(package.json, pyproject.toml, Cargo.toml, pom.xml, DESCRIPTION, go.mod; "
        "datapackage.json for a data set), so others can install and cite a release."
    )
    default_weight = 2.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        names = ", ".join(f"{name} ({ecosystem})" for name, ecosystem, _ in MANIFESTS)
        return (
            ("files read", f"at the repository root: {names}"),
            (
                "what counts",
                "a name and a version; Go modules and Composer packages are versioned by tags, "
                "and a version computed at build time (`dynamic`, a workspace version) counts",
            ),
            ("partial", "a manifest that names the package but gives no version, or the reverse"),
        )

    def check(self, context: RuleContext) -> Finding:
        partial: tuple[str, Identity] | None = None
        for path, identity in _identities(context.snapshot):
            if identity.name and identity.version:
                return Finding(
                    Outcome.PASS,
                    f"{path} names the package {identity.name}, version {identity.version}.",
                    (Evidence(path, EvidenceSource.MANIFEST),),
                )
            if partial is None and (identity.name or identity.version):
                partial = (path, identity)
        if partial is not None:
            path, identity = partial
            missing = "version" if identity.name else "name"
            return Finding(
                Outcome.PARTIAL,
                f"{path} gives no package {missing}.",
                (Evidence(path, EvidenceSource.MANIFEST, f"no {missing}"),),
            )
        return Finding(Outcome.FAIL, "No package manifest names and versions the project.")


def _identities(snapshot: Snapshot) -> list[tuple[str, Identity]]:
    present = {e.name: e.path for e in snapshot.entries("") if e.kind is EntryKind.FILE}
    found: list[tuple[str, Identity]] = []
    for name, _, reader in MANIFESTS:
        path = present.get(name)
        if path is None:
            continue
        text = snapshot.read_text(path, _READ_BYTES)
        if text is not None and not text.binary:
            found.append((path, reader(text.text)))
    return found
