"""Every pattern that searches repository text is linear in that text, and still matches the same.

Linear by construction, not by timing: the patterns run on RE2
(`ospo_scan.untrusted.linear_regex`), whose matching time is linear in the text for any pattern. A
test walks the modules that read repository text and fails on any backtracking `re.Pattern` not
listed below with the reason it is safe. Hypothesis then feeds generated text to each RE2 pattern
and to the Python pattern it replaced, and requires the same matches.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ospo_scan.config import _toml
from ospo_scan.licences import manifests, normalise, notices, readme, spdx
from ospo_scan.rules import _documents, security
from ospo_scan.untrusted.linear_regex import LinearPattern, linear
from tests.untrusted.worst_cases import SIZE, worst_cases

BACKTRACKING_BUT_SAFE = {
    "ospo_scan.config._toml._LINE": "searches a TOML error message, not repository text",
    "ospo_scan.rules._documents._WORD": "one class repeated: an attempt fails after two steps",
    "ospo_scan.rules._documents._PLACEHOLDER": "literal words between word boundaries",
    "ospo_scan.rules.documentation._USAGE": "literal words between word boundaries",
    "ospo_scan.rules.security._NO_REPLY": "a literal, on an address already found",
    "ospo_scan.rules._emails._ADDRESS": "starts only after a non-address character; bounded "
    "repetitions of classes that cannot overlap their neighbours (labels stop at every dot)",
    "ospo_scan.rules._emails._DOT_WORD": "splits one found domain, at most 600 characters",
    "ospo_scan.rules._emails._TOP_LEVEL": "matched on one domain label",
    "ospo_scan.rules._emails._SPAM_MARKER": "matched on one found local part",
    "ospo_scan.rules._emails._WORD_BEFORE": "searched in the 70 characters before an address",
    "ospo_scan.licences.normalise._COPYRIGHT_LINE": "matched once per line, anchored",
    "ospo_scan.licences.normalise._HTML_ENTITY": "literal alternatives, at most ten characters",
    "ospo_scan.licences.normalise._PLACEHOLDER": "at most 42 characters per attempt",
    "ospo_scan.licences.normalise._WORD": "one class repeated",
    "ospo_scan.licences.readme._SETEXT_UNDERLINE": "matched once per line, one class repeated",
    "ospo_scan.licences.readme._EMPHASIS_HEADING": "matched once per line, at most 64 characters",
    "ospo_scan.licences.readme._ASCIIDOC_HEADING": "matched once per line, no nested repetition",
    "ospo_scan.licences.readme._LICENCE_TITLE": "literal words between word boundaries",
    "ospo_scan.licences.files._LICENCE_NAME": "matched on a file name, at most 255 bytes",
    "ospo_scan.licences.analysis._NAME_HINT": "matched on a file name, at most 255 bytes",
    "ospo_scan.licences.analysis._TEXT_EXTENSION": "matched on a file name",
    "ospo_scan.licences.approval._PROPRIETARY": "matched on an SPDX id, anchored",
    "ospo_scan.licences.spdx._LICENSE_REF": "matched on an SPDX id, anchored",
    "ospo_scan.licences.names._CC_URL": "a literal host and path, then bounded parts",
    "ospo_scan.licences.names._ID_URL": "a literal host and path; the id stops at `/`",
    "ospo_scan.licences.name_words._GLUED_VERSION": "matched on one word, anchored",
    "ospo_scan.licences.name_words._PLUS_AFTER_VERSION": "a digit, spaces once, a plus",
    "ospo_scan.licences.manifests._NPM_SEE_FILE": "matched once, anchored",
    "ospo_scan.licences.manifests._DESCRIPTION_LICENCE": "a literal at a line start; lines once",
    "ospo_scan.licences.composition.THIRD_PARTY": "literal words between word boundaries",
    "ospo_scan.licences.composition.CHOICE": "literal words; lookaheads over one run of non-words",
    "ospo_scan.licences.notices.CHOICE": "the same pattern as composition.CHOICE",
    "ospo_scan.licences.composition.LEGAL_WORDS": "literal stems, each ends at its word's end",
    "ospo_scan.licences.detect.LEGAL_WORDS": "the same pattern as composition.LEGAL_WORDS",
    "ospo_scan.licences.composition.DECLARES": "literal words, at most three words between",
    "ospo_scan.licences.notices._PROPRIETARY_MARKS": "literal words between word boundaries",
    "ospo_scan.licences.sections._ATX_HEADING": "matched once per line, anchored",
    "ospo_scan.licences.sections._RULE": "matched once per line; the repeated mark is never a "
    "blank, so each repetition has one way to match",
    "ospo_scan.licences.sections._UNDERLINE": "matched once per line, one run of one mark",
    "ospo_scan.licences.sections._HTML_BREAK": "at most 200 characters per `<`",
    "ospo_scan.licences.sections._HTML_HEADING_END": "a literal tag",
    "ospo_scan.licences.sections._TAGS": "at most 500 characters per `<`",
    "ospo_scan.licences.names._LICENCE_URLS[0][0]": "a literal host and path",
    "ospo_scan.licences.names._LICENCE_URLS[1][0]": "a literal host and path",
    "ospo_scan.licences.names._LICENCE_URLS[2][0]": "a literal host and path",
    "ospo_scan.licences.names._LICENCE_URLS[3][0]": "a literal host and path",
    "ospo_scan.licences.names._LICENCE_URLS[4][0]": "a literal host and path",
    "ospo_scan.licences.igo._ADDITIONS[0][1]": "literal words, at most 30 words between",
    "ospo_scan.licences.igo._ADDITIONS[1][1]": "literal words, at most 30 words between",
    "ospo_scan.licences.igo._ADDITIONS[2][1]": "literal words, at most 30 words between",
    "ospo_scan.licences.restrictions._RESTRICTIONS[0]": "literal words, at most 8 words between",
    "ospo_scan.licences.restrictions._RESTRICTIONS[1]": "literal words, at most 8 words between",
    "ospo_scan.licences.detect._R_STUB": "matched once, anchored at the start",
    "ospo_scan.licences.scancode._TOKEN": "on scancode's own expressions",
    "ospo_scan.licences.reference_build._HEADER_FIELD": "on scancode's own licence data files",
    "ospo_scan.evidence._LANGUAGE_SUFFIX": "matched on a file name, at most 255 bytes",
    "ospo_scan.evidence._PREFERRED_EXTENSION": "matched on a file name",
}
"""Backtracking patterns in the modules that read repository text, and why each is linear."""


def _modules() -> list[Any]:
    modules = [importlib.import_module("ospo_scan.evidence"), _toml]
    for package in ("rules", "licences"):
        path = [str(p) for p in importlib.import_module(f"ospo_scan.{package}").__path__]
        for info in pkgutil.iter_modules(path, f"ospo_scan.{package}."):
            modules.append(importlib.import_module(info.name))
    return modules


def _patterns(name: str, value: Any, depth: int = 0) -> Iterator[tuple[str, re.Pattern[str]]]:
    """The Python patterns a module-level value holds, itself or inside tuples and lists."""
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        yield name, value
    elif isinstance(value, tuple | list) and depth < 3:
        for index, item in enumerate(value):
            yield from _patterns(f"{name}[{index}]", item, depth + 1)


def _backtracking_patterns() -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for module in _modules():
        for name, value in vars(module).items():
            for path, pattern in _patterns(f"{module.__name__}.{name}", value):
                found[path] = pattern
    return found


def test_no_backtracking_pattern_reads_repository_text_unreviewed() -> None:
    assert set(_backtracking_patterns()) - set(BACKTRACKING_BUT_SAFE) == set()


@pytest.mark.parametrize("name", BACKTRACKING_BUT_SAFE)
def test_a_pattern_listed_as_safe_finishes_on_its_worst_cases(name: str) -> None:
    """The list proves itself: each pattern runs on texts generated to make it backtrack. An
    exponential one never finishes (the publiccode.yml licence pattern took minutes on 941
    bytes); the cases are bounded by size, never by a clock."""
    pattern = _backtracking_patterns()[name]
    cases = worst_cases(pattern)
    assert cases
    for case in cases:
        assert len(case) <= SIZE + 1
        pattern.search(case)
        pattern.match(case)


OLD_PUBLICCODE_LICENCE = re.compile(
    r"^legal:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+license:[ \t]*(.+)$", re.MULTILINE
)
"""The pattern that hung scans on a publiccode.yml; never run here."""


def test_the_worst_cases_hold_the_text_that_hung_the_old_publiccode_pattern() -> None:
    """Forty indented lines under `legal:`, none of them `license:`, as in the hostile file."""
    hanging = [
        case
        for case in worst_cases(OLD_PUBLICCODE_LICENCE)
        if case.startswith("legal:")
        and "license:" not in case
        and sum(line[:1] in " \t" and len(line) > 1 for line in case.split("\n")) >= 20
    ]
    assert hanging


CONVERTED = {
    "security advisory": security._ADVISORY,
    "security url": security._URL,
    "documents markup-only line": _documents._MARKUP_ONLY,
    "documents heading": _documents._HEADING,
    "normalise html tag": normalise._HTML_TAG,
    "normalise markdown link": normalise._MARKDOWN_LINK,
    "readme markdown heading": readme._MARKDOWN_HEADING,
    "notices spdx tag": notices._SPDX_TAG,
    "manifests r file clause": manifests._R_FILE_CLAUSE,
    "manifests gemspec licence": manifests._GEMSPEC_LICENCE,
    "spdx operator": spdx._OPERATOR,
    "toml header": _toml._HEADER,
}
"""RE2 patterns that keep their Python source: the oracle is that source run by Python's `re`."""

REWRITTEN: dict[str, tuple[LinearPattern, str, int]] = {
    "documents link": (
        _documents._LINK,
        r"https?://[^\s)>\]]{4,}|\]\((?!#)[^)\s]+\)",
        0,
    ),
    "normalise hidden html": (
        normalise._HTML_HIDDEN,
        r"<(style|script|head)\b[^>]*>.*?</\1\s*>",
        re.IGNORECASE | re.DOTALL,
    ),
}
"""RE2 patterns rewritten without backreference or lookaround, beside the pattern they replace."""

ORIGINAL_VDP_URL = re.compile(
    r"https?://[^\s)>\]]*(?:vdp|vulnerab|disclos|security\.txt|bug-?bounty|hackerone\.com"
    r"|bugcrowd\.com|intigriti\.com|yeswehack|/security\b)[^\s)>\]]*",
    re.IGNORECASE,
)

PIECES = [
    "a", "Z", "é", "ß", "K", "k", "s", "\u212a", "\u017f", "\u0661", "_", "-", ".", "+",
    "@", "#", "*", "/", ":", "=", "~",
    "`", ">", "<", "|", "!", "?", "[", "]", "(", ")", "{", "'", '"', "%w", " ", "\t", "\n",
    "\r", "\x0b", "\x1c", "\xa0", "\u2003", "\u3000", "\ud800",
    "at", " at ", "[at]", "(at)", "dot", " dot ", "[dot]", "(dot)", "org", "x@y.z",
    "http://", "https://", "vdp", "/security", "security.txt", "bug-bounty", "disclos",
    "/-/issues/new?", "confidential", "security/advisories", "report a vulnerability",
    "](", "[!", "![", "<!--", "-->", "<style", "</style>", "<script>", "</SCRIPT >", "<head",
    "</head>", "<b>", "<a href=x>", "SPDX-License-Identifier:", "*/", "License:", "LICENSE",
    "file", "+ file LICENCE", ".license = ", ".licenses=", " and ", " OR ", " with ",
    "[tool]", "[[exemptions]]", "# ", "## ", "==", "--", "..", "  ", "MIT", "\u202e",
]  # fmt: skip

texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _spans(matches: Any) -> list[tuple[tuple[int, int], tuple[Any, ...]]]:
    return [(m.span(), m.groups()) for m in matches]


def _python(pattern: LinearPattern) -> re.Pattern[str]:
    return re.compile(pattern.source, pattern.flags)


def _same(text: str) -> str:
    """Python's `re` and RE2 both see U+FFFD where the text held a lone surrogate."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


@pytest.mark.parametrize("name", CONVERTED)
@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_an_re2_pattern_matches_what_python_matched(name: str, text: str) -> None:
    pattern = CONVERTED[name]
    python = _python(pattern)
    assert _spans(pattern.finditer(text)) == _spans(python.finditer(_same(text)))
    for line in text.splitlines():
        expected = python.match(line)
        found = pattern.match(line)
        assert (found and found.span()) == (expected and expected.span())


@pytest.mark.parametrize("name", REWRITTEN)
@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_a_rewritten_pattern_matches_what_the_old_one_did(name: str, text: str) -> None:
    pattern, original, flags = REWRITTEN[name]
    python = re.compile(original, flags)
    assert [m.span() for m in pattern.finditer(text)] == [
        m.span() for m in python.finditer(_same(text))
    ]


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_the_disclosure_page_is_the_one_the_old_pattern_found(text: str) -> None:
    found = security.private_channel(text)
    if found is None or not found.startswith("disclosure page"):
        assert found is not None or ORIGINAL_VDP_URL.search(_same(text)) is None
        return
    old = ORIGINAL_VDP_URL.search(_same(text))
    assert old is not None
    assert found == f"disclosure page {old.group(0)}"


@settings(max_examples=100, deadline=None)
@given(text=texts)
def test_markdown_link_substitution_is_unchanged(text: str) -> None:
    python = _python(normalise._MARKDOWN_LINK)
    assert normalise._MARKDOWN_LINK.sub(r"\1", text) == python.sub(r"\1", _same(text))


UNSUPPORTED = [r"(a)\1", r"a(?=b)", r"a(?!b)", r"(?<=a)b", r"\bword\b", r"[\W]", r"\Aa"]


@pytest.mark.parametrize("source", UNSUPPORTED)
def test_what_re2_would_read_differently_is_refused(source: str) -> None:
    with pytest.raises(ValueError, match=r"linear-time|RE2|inside a character class"):
        linear(source)


def test_the_inputs_that_took_minutes_are_read_in_one_pass() -> None:
    """With backtracking each of these took minutes to hours; RE2 reads each once."""
    assert security.private_channel("a" * 100_000) is None
    assert security.private_channel("a." * 100_000 + " write to sec@example.org") == (
        "e-mail sec@example.org"
    )
    assert security.private_channel("http://" * 50_000) is None
    assert _documents.is_stub("](" * 100_000)
    assert normalise.licence_words("[" * 200_000 + " MIT") == ["mit"]
    assert normalise.licence_words("<!--" * 100_000 + "<style>" * 50_000 + "BSD") == ["bsd"]
    assert (
        manifests._R_FILE_CLAUSE.sub("", "MIT" + " " * 200_000 + "x") == "MIT" + " " * 200_000 + "x"
    )
