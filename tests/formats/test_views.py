"""The views the formatters share: safe links, scope notes, rule failure counts."""

from __future__ import annotations

import dataclasses

import pytest

from ospo_scan.formats._views import rule_failures, safe_link, scope_note
from ospo_scan.model import Report


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/org/repo", "https://github.com/org/repo"),
        ("HTTP://example.org/a b", "HTTP://example.org/a%20b"),
        (
            "https://example.org/x)[y](javascript:z",
            "https://example.org/x%29%5By%5D%28javascript:z",
        ),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("vbscript:x", None),
        ("file:///srv/repos/app", None),
        ("https://example.org/\nnext", None),
        ("//evil.example/path", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_link_keeps_only_web_links(url: str | None, expected: str | None) -> None:
    assert safe_link(url) == expected


def test_file_links_only_when_allowed() -> None:
    assert safe_link("file:///srv/repos/app", allow_file=True) == "file:///srv/repos/app"


def test_scope_notes(report: Report) -> None:
    registry, _, _, archived, _ = report.repositories
    assert scope_note(registry) == ""
    assert scope_note(archived) == "archived"
    fork = dataclasses.replace(registry, in_scope=False, fork=True)
    assert scope_note(fork) == "fork"
    both = dataclasses.replace(archived, fork=True)
    assert scope_note(both) == "archived, fork"
    defaults = dataclasses.replace(registry, name="un-example/.github", in_scope=False)
    assert scope_note(defaults, "un-example/.github") == "organisation defaults"
    assert scope_note(defaults) == "excluded"


def test_rule_failures_count_in_scope_repositories_only(report: Report) -> None:
    counts = {f.rule.id: (f.failing, f.counted) for f in rule_failures(report)}
    # three scanned in-scope repositories; the archived one's failures do not count
    assert counts == {
        "security-policy": (2, 3),
        "license": (1, 3),
        "readme": (1, 3),
        "contributing": (1, 3),
        "changelog": (0, 2),
    }
    assert [f.rule.id for f in rule_failures(report)][:2] == ["security-policy", "license"]
