"""Security rules: a way to report vulnerabilities privately, and automated dependency updates."""

from __future__ import annotations

import re
from typing import Any

from ospo_scan.evidence import FileKind, describe_search
from ospo_scan.model import Evidence, EvidenceSource, Finding, Outcome
from ospo_scan.rules._documents import (
    TEMPLATE_RULE,
    find_document,
    find_readable_document,
    template_finding,
    unusable,
)
from ospo_scan.rules._emails import find_emails
from ospo_scan.rules.boilerplate import unreviewed_template
from ospo_scan.rules.interface import Rule, RuleContext
from ospo_scan.untrusted.linear_regex import linear

_ADVISORY = linear(
    r"security/advisories(?:/new)?|private vulnerability report|report a vulnerability"
    r"|/-/issues/new\?.*confidential|confidential issue",
    re.IGNORECASE,
)
_URL = linear(r"https?://([^\s)>\]]*)", re.IGNORECASE)
_DISCLOSURE_WORD = linear(
    r"vdp|vulnerab|disclos|security\.txt|bug-?bounty|hackerone\.com|bugcrowd\.com"
    r"|intigriti\.com|yeswehack|/security(?:[^\w]|$)",
    re.IGNORECASE,
)
"""In a URL's path, a word that marks a disclosure page (`/security` as a whole word)."""
_NO_REPLY = re.compile(r"no-?reply", re.IGNORECASE)


def private_channel(text: str) -> str | None:
    """The private reporting channel a security policy names, if any."""
    for email in find_emails(text):
        if not _NO_REPLY.search(email.address):
            written = " (written obfuscated)" if email.obfuscated else ""
            return f"e-mail {email.address}{written}"
    if (advisory := _ADVISORY.search(text)) is not None:
        return f"private advisory ({advisory.group(0)})"
    return next(
        (f"disclosure page {url.group(0)}" for url in _URL.finditer(text) if _disclosure(url)),
        None,
    )


def _disclosure(url: Any) -> bool:
    return _DISCLOSURE_WORD.search(url.group(1)) is not None


class SecurityPolicyRule(Rule):
    id = "security-policy"
    category = "security"
    description = "A security policy tells reporters how to disclose a vulnerability privately."
    help_url = "https://docs.github.com/en/code-security/getting-started/adding-a-security-policy-to-your-repository"
    remediation = (
        "Add SECURITY.md (or an organisation-wide one) naming a private channel: a security "
        "e-mail address, GitHub private vulnerability reporting, or your disclosure (VDP) page."
    )
    default_weight = 8.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("files searched", describe_search(FileKind.SECURITY)),
            (
                "private channels accepted",
                "an e-mail address (also written name[@]example.org, name (at) example (dot) "
                "org, or with a nospam marker; no-reply addresses do not count), GitHub "
                "private vulnerability reporting or a confidential GitLab issue, or a "
                "disclosure page (VDP, security.txt, bug bounty platforms)",
            ),
            TEMPLATE_RULE,
            (
                "without a policy (partial)",
                "a private channel named in a paragraph of the contributing guide or the README "
                "that speaks of security or vulnerabilities",
            ),
        )

    def check(self, context: RuleContext) -> Finding:
        document = find_document(context.snapshot, FileKind.SECURITY)
        if document is None:
            return _channel_elsewhere(context) or Finding(
                Outcome.FAIL, "No SECURITY policy, own or organisation default."
            )
        if (failure := unusable(document, "Security policy")) is not None:
            return failure
        if (template := template_finding(document, "Security policy")) is not None:
            return template
        channel = private_channel(document.text)
        if channel is None:
            return Finding(
                Outcome.PARTIAL,
                f"Security policy {document.where} names no private reporting channel.",
                (document.evidence("no private channel"),),
            )
        return Finding(
            Outcome.PASS,
            f"Security policy {document.where} names a private channel: {channel}.",
            (document.evidence(channel),),
        )


def _about_security(text: str) -> str:
    """The paragraphs of a guide that speak of security: an address elsewhere in a README (the
    maintainer's, a mailing list) is no reporting channel."""
    paragraphs = _PARAGRAPH_BREAK.sub("\n\n", text).split("\n\n")
    return "\n\n".join(p for p in paragraphs if _SECURITY_WORDS.search(p))


_PARAGRAPH_BREAK = linear(r"\n[ \t]*\n")
_SECURITY_WORDS = linear(r"vulnerab|security|disclos", re.IGNORECASE)


def _channel_elsewhere(context: RuleContext) -> Finding | None:
    """A partial finding when the contributing guide or the README names a private channel."""
    for kind, label in ((FileKind.CONTRIBUTING, "contributing guide"), (FileKind.README, "README")):
        document = (
            find_document(context.snapshot, kind)
            if kind is FileKind.CONTRIBUTING
            else find_readable_document(context.snapshot, kind)
        )
        if document is None or document.binary or document.unreadable:
            continue
        channel = private_channel(_about_security(document.text))
        if channel is not None:
            return Finding(
                Outcome.PARTIAL,
                f"No SECURITY policy; the {label} {document.where} names a private channel: "
                f"{channel}.",
                (document.evidence(channel),),
            )
    return None


DEPENDENCY_UPDATE_FILES = (
    ".github/dependabot.yml",
    ".github/dependabot.yaml",
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".gitlab/renovate.json5",
)


class DependencyUpdatesRule(Rule):
    id = "dependency-updates"
    category = "security"
    description = "Dependabot or Renovate keeps dependencies up to date automatically."
    help_url = "https://docs.github.com/en/code-security/dependabot/dependabot-version-updates/configuring-dependabot-version-updates"
    remediation = (
        "Add .github/dependabot.yml (GitHub) or renovate.json (any host) so dependency updates "
        "arrive as reviewed pull requests."
    )
    default_weight = 3.0

    def explain(self) -> tuple[tuple[str, str], ...]:
        return (
            ("files searched", ", ".join(DEPENDENCY_UPDATE_FILES) + " (any case)"),
            TEMPLATE_RULE,
        )

    def check(self, context: RuleContext) -> Finding:
        snapshot = context.snapshot
        for path in DEPENDENCY_UPDATE_FILES:
            entry = snapshot.find_file(path)
            if entry is not None:
                tool = "Dependabot" if "dependabot" in path else "Renovate"
                text = snapshot.read_text(entry.path)
                if text is not None and (why := unreviewed_template(text.text)) is not None:
                    return Finding(
                        Outcome.PARTIAL,
                        f"{tool} configuration {entry.path} is written from a template, not yet "
                        f"reviewed ({why}).",
                        (Evidence(entry.path, EvidenceSource.REPOSITORY, "unreviewed template"),),
                    )
                return Finding(
                    Outcome.PASS,
                    f"{tool} is configured in {entry.path}.",
                    (Evidence(entry.path, EvidenceSource.REPOSITORY, tool),),
                )
        return Finding(Outcome.FAIL, "No Dependabot or Renovate configuration found.")
