"""Redaction by value: whole secrets, and what is left of one that text was cut across."""

from __future__ import annotations

from ospo_scan.untrusted.redaction import MASK, redact, register_secret, shorten

SECRET = "ghp_redactionUnitTestSecret0123456789"


def test_a_secret_and_any_long_beginning_of_it_are_masked() -> None:
    register_secret(SECRET)
    assert redact(f"token {SECRET} was sent") == f"token {MASK} was sent"
    for kept in (8, 20, len(SECRET) - 1):
        assert redact(f"token {SECRET[:kept]}…") == f"token {MASK}…"
    assert redact(f"a {SECRET[:7]} b") == f"a {SECRET[:7]} b"  # too short to tell


def test_shortened_text_holds_no_part_of_a_secret_wherever_the_cut_falls() -> None:
    register_secret(SECRET)
    for padding in range(100, 160):
        text = shorten("x" * padding + " " + SECRET + " and more", 160)
        assert len(text) <= 160
        assert SECRET[:8] not in text
