"""E-mail addresses as security policies write them: sentence ends, obfuscations, anti-spam."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.rules._emails import Email, find_emails
from ospo_scan.rules.security import private_channel
from tests.conftest import RepoFactory
from tests.scanning import evaluate, result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Please write to security@agency.example.org. Do not open a public issue.",
            [Email("security@agency.example.org", obfuscated=False)],
        ),
        ("Report to hope-security[@]unicef.org.", [Email("hope-security@unicef.org", True)]),
        (
            "E-mail name nospam @ gmail.com (remove the blanks and 'nospam').",
            [Email("name@gmail.com", True)],
        ),
        ("psirt (at) agency (dot) example (dot) org", [Email("psirt@agency.example.org", True)]),
        ("security at agency dot org, please", [Email("security@agency.org", True)]),
        ("Have a look at github.com/agency for the code.", []),
        ("Versions 2.0@build.7 and x@localhost are not addresses.", []),
        (
            "a@x.org, b@y.io",
            [Email("a@x.org", False), Email("b@y.io", False)],
        ),
    ],
    ids=[
        "sentence-end",
        "bracketed-at",
        "nospam",
        "parenthesised",
        "words",
        "prose-at",
        "not-addresses",
        "two",
    ],
)
def test_addresses_in_prose(text: str, expected: list[Email]) -> None:
    assert find_emails(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000,
        "a@" * 100_000,
        "a@b." * 50_000,
        "a at " * 40_000,
        "a.b" * 70_000 + "@",
        "@" + "a." * 100_000,
        "a [dot] " * 30_000,
        "x@" + "a-" * 100_000,
        "x@a" + " dot a" * 40_000,
        " at" * 70_000,
    ],
    ids=[
        "word",
        "ats",
        "at-dots",
        "at-words",
        "dotted-local",
        "dotted-domain",
        "dot-words",
        "hyphens",
        "long-domain",
        "at-runs",
    ],
)
def test_long_hostile_text_is_scanned_in_linear_time(text: str) -> None:
    # A pattern that backtracks would not finish on these in any reasonable time.
    assert all("@" in email.address for email in find_emails(text))


def test_the_policy_names_the_address_without_the_full_stop(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "repo",
        {"SECURITY.md": "# Security\n\nWrite to security@agency.example.org. Do not post.\n"},
    )
    found = result(evaluate(repo), "security-policy")
    assert found.message == (
        "Security policy SECURITY.md names a private channel: e-mail security@agency.example.org."
    )


def test_an_obfuscated_address_is_a_private_channel() -> None:
    assert private_channel("Contact hope-security[@]unicef.org") == (
        "e-mail hope-security@unicef.org (written obfuscated)"
    )
