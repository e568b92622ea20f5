"""Official channels over encrypted connections (OSPS-BR-03.01, OSPS-BR-03.02).

The URIs judged are those the project itself lists as its own, in machine-readable places: its
Security Insights file (when valid) and its root manifests' project links (`homepage`,
`repository`, `[project.urls]`) for the project's channels; Security Insights' distribution
points and the package registries the manifests publish to or install from for its distribution
channels. Links in prose (a README) are not judged: which of them are the project's own cannot be
told reliably. Local, loopback and reserved example addresses are left out.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ospo_scan.licences.manifests import json_object, nested_table, toml_table
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._insights import SecurityInsights, valid_insights
from ospo_scan.rules.interface import Rule, RuleContext, not_applicable
from ospo_scan.snapshot import Snapshot
from ospo_scan.untrusted.display import neutralise

ENCRYPTED_SCHEMES = frozenset({"https", "ssh", "git+https", "git+ssh", "sftp", "wss", "ftps"})
PLAIN_SCHEMES = frozenset({"http", "git", "ftp", "ws", "svn", "git+http", "telnet"})
"""Schemes whose traffic anyone on the path can read and change."""
IGNORED_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})
IGNORED_SUFFIXES = (".localhost", ".local", ".test", ".invalid", ".example", ".internal")
EXAMPLE_DOMAINS = frozenset({"example.com", "example.org", "example.net"})
READ_ROOT_FILES = frozenset(
    {"package.json", "pyproject.toml", "Cargo.toml", "composer.json", "requirements.txt", ".npmrc"}
)
"""The root files whose links and registries the rules read."""
MAX_URI = 2048
_READ = 256 * 1024
_SHOWN = 3
_DISTRIBUTION = ("repository", "release", "distribution-points")
_OWN = EvidenceSource.REPOSITORY
_NOT_CHANNELS = (".".join(_DISTRIBUTION), "project.steward")
"""Security Insights fields that are no project channel: distribution points (judged apart),
the steward (another legal person)."""
_NOT_CHANNEL_FIELDS = (
    ".comment",
    ".name",
    ".social",
    ".email",
    ".predicate-uri",
    "license.url",
    ".evidence",
)
"""People's profiles, identifiers, a licence's text (often on its publisher's site), and
assessment reports: addresses the project does not run."""


@dataclass(frozen=True)
class ListedUri:
    """A URI the project lists, and where."""

    uri: str
    """The URI as written."""
    path: str
    """The file listing it."""
    field: str
    """The field (`project.homepage`, `homepage`)."""
    source: EvidenceSource = EvidenceSource.MANIFEST
    """A manifest, or the Security Insights file (repository)."""

    @property
    def shown(self) -> str:
        return f"{neutralise(self.uri[:120])} ({neutralise(self.path)} {self.field})"


def judged(uri: str) -> bool | None:
    """True for an encrypted channel, False for a plain one, None when not judged (no scheme,
    another kind of address, a local or example host)."""
    if len(uri) > MAX_URI:
        return None
    try:
        parts = urllib.parse.urlsplit(uri.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if not host or host in IGNORED_HOSTS or host.endswith(IGNORED_SUFFIXES):
        return None
    if host in EXAMPLE_DOMAINS or host.endswith(tuple(f".{d}" for d in EXAMPLE_DOMAINS)):
        return None
    scheme = parts.scheme.lower()
    if scheme in ENCRYPTED_SCHEMES:
        return True
    if scheme in PLAIN_SCHEMES:
        return False
    return None


def _strings(value: Any, field: str) -> Iterator[tuple[str, str]]:
    """(field path, text) of every string under `value`."""
    if isinstance(value, str):
        yield field, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, f"{field}.{key}" if field else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{field}[{index}]")


def insights_uris(insights: SecurityInsights, *, distribution: bool) -> list[ListedUri]:
    """URIs a valid Security Insights file lists: its distribution points, or every other."""
    points = insights.value(*_DISTRIBUTION) or []
    if distribution:
        return [
            ListedUri(p["uri"], insights.path, f"{'.'.join(_DISTRIBUTION)}[{i}].uri", _OWN)
            for i, p in enumerate(points)
        ]
    found = []
    for field, text in _strings(insights.document, ""):
        if field.startswith(_NOT_CHANNELS) or field.endswith(_NOT_CHANNEL_FIELDS):
            continue
        if "://" in text[:20]:
            found.append(ListedUri(text, insights.path, field, _OWN))
    return found


def _root_text(snapshot: Snapshot, name: str) -> tuple[str, str] | None:
    entry = snapshot.find_file(name)
    if entry is None:
        return None
    text = snapshot.read_text(entry.path, _READ)
    if text is None or text.binary:
        return None
    return entry.path, text.text


def _link(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("url"), str):
        return str(value["url"])
    return None


def manifest_uris(snapshot: Snapshot) -> list[ListedUri]:
    """Project links in the root manifests."""
    found: list[ListedUri] = []
    if (read := _root_text(snapshot, "package.json")) is not None:
        data = json_object(read[1])
        for key in ("homepage", "repository", "bugs"):
            if (uri := _link(data.get(key))) is not None:
                found.append(ListedUri(uri, read[0], key))
    if (read := _root_text(snapshot, "pyproject.toml")) is not None:
        urls = nested_table(toml_table(read[1]), "project", "urls")
        found += [
            ListedUri(v, read[0], f"project.urls.{k}")
            for k, v in urls.items()
            if isinstance(v, str)
        ]
    if (read := _root_text(snapshot, "Cargo.toml")) is not None:
        package = nested_table(toml_table(read[1]), "package")
        for key in ("homepage", "repository", "documentation"):
            if isinstance(package.get(key), str):
                found.append(ListedUri(str(package[key]), read[0], f"package.{key}"))
    if (read := _root_text(snapshot, "composer.json")) is not None:
        data = json_object(read[1])
        if isinstance(data.get("homepage"), str):
            found.append(ListedUri(str(data["homepage"]), read[0], "homepage"))
        support = data.get("support")
        if isinstance(support, Mapping):
            found += [
                ListedUri(v, read[0], f"support.{k}")
                for k, v in support.items()
                if isinstance(v, str)
            ]
    return found


def registry_uris(snapshot: Snapshot) -> list[ListedUri]:
    """Package registries the root manifests publish to or install from."""
    found: list[ListedUri] = []
    if (read := _root_text(snapshot, "package.json")) is not None:
        registry = nested_table(json_object(read[1]), "publishConfig").get("registry")
        if isinstance(registry, str):
            found.append(ListedUri(registry, read[0], "publishConfig.registry"))
    if (read := _root_text(snapshot, ".npmrc")) is not None:
        for line in read[1].splitlines()[:500]:
            key, _, value = line.partition("=")
            if key.strip().endswith("registry") and value.strip():
                found.append(ListedUri(value.strip(), read[0], key.strip()))
    if (read := _root_text(snapshot, "requirements.txt")) is not None:
        for line in read[1].splitlines()[:2000]:
            words = line.replace("=", " ").split()
            if len(words) >= 2 and words[0] in ("--index-url", "-i", "--extra-index-url"):
                found.append(ListedUri(words[1], read[0], words[0]))
    if (read := _root_text(snapshot, "pyproject.toml")) is not None:
        data = toml_table(read[1])
        for key in ("poetry", "uv"):
            sources = nested_table(data, "tool", key).get("source" if key == "poetry" else "index")
            for index, source in enumerate(sources if isinstance(sources, list) else []):
                if isinstance(source, Mapping) and isinstance(source.get("url"), str):
                    field = f"tool.{key}.{'source' if key == 'poetry' else 'index'}[{index}].url"
                    found.append(ListedUri(str(source["url"]), read[0], field))
    return found


def _verdict(listed: list[ListedUri], what: str, where: str) -> Finding:
    verdicts = [(item, judged(item.uri)) for item in listed]
    plain = [item for item, encrypted in verdicts if encrypted is False]
    secure = [item for item, encrypted in verdicts if encrypted is True]
    if plain:
        shown = "; ".join(item.shown for item in plain[:_SHOWN])
        more = f" and {len(plain) - _SHOWN} more" if len(plain) > _SHOWN else ""
        return Finding(
            Outcome.FAIL,
            f"{len(plain)} {what} use an unencrypted scheme: {shown}{more}.",
            tuple(Evidence(i.path, i.source, i.field) for i in plain[:_SHOWN]),
        )
    if not secure:
        return not_applicable(f"The project lists no {what} in {where}.")
    sources = {item.path: item.source for item in secure}
    paths = sorted(sources)
    evidence = tuple(Evidence(p, sources[p]) for p in paths)
    return Finding(
        Outcome.PASS,
        f"All {len(secure)} {what} listed ({', '.join(paths)}) use encrypted connections.",
        evidence,
    )


class EncryptedChannelsRule(Rule):
    id = "encrypted-channels"
    category = "security"
    description = "The URIs the project lists as its official channels are all encrypted."
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-br-0301"
    remediation = (
        "Change every http:// (or git://, ftp://) link the project lists as its own, in "
        "security-insights.yml and the manifests' project links, to https://."
    )
    default_weight = 3.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "URIs judged",
                "every URL of a valid Security Insights file except its distribution points; "
                "package.json homepage, repository and bugs; pyproject.toml [project.urls]; "
                "Cargo.toml homepage, repository, documentation; composer.json homepage, support",
            ),
            ("encrypted", ", ".join(sorted(ENCRYPTED_SCHEMES))),
            ("left out", "localhost, loopback, .local/.test/.invalid hosts, example.com/org/net"),
            ("not-applicable", "the project lists no such URI"),
        )

    def check(self, context: RuleContext) -> Finding:
        insights = valid_insights(context)
        listed = insights_uris(insights, distribution=False) if insights else []
        listed += manifest_uris(context.snapshot)
        return _verdict(listed, "official channel URI(s)", "Security Insights or its manifests")


class SecureDistributionRule(Rule):
    id = "secure-distribution"
    category = "security"
    description = (
        "The distribution channels the project lists use authenticated, encrypted connections."
    )
    help_url = "https://baseline.openssf.org/versions/2026-02-19#osps-br-0302"
    remediation = (
        "Publish and install only through registries reached over https:// (publishConfig, "
        ".npmrc, --index-url, Poetry and uv indexes, Security Insights distribution points)."
    )
    default_weight = 3.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            (
                "URIs judged",
                "Security Insights repository.release.distribution-points; package.json "
                "publishConfig.registry; .npmrc registries; requirements.txt index URLs; "
                "pyproject.toml Poetry sources and uv indexes",
            ),
            ("not-applicable", "the project lists no distribution channel URI"),
        )

    def check(self, context: RuleContext) -> Finding:
        insights = valid_insights(context)
        listed = insights_uris(insights, distribution=True) if insights else []
        listed += registry_uris(context.snapshot)
        return _verdict(listed, "distribution channel(s)", "Security Insights or its manifests")
