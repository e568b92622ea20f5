"""Cutting a licence file into sections, and the patterns that do it staying linear."""

from __future__ import annotations

from ospo_scan.licences.composition import DECLARES
from ospo_scan.licences.igo import un_additions
from ospo_scan.licences.restrictions import restricts_use
from ospo_scan.licences.sections import Section, split_sections


def test_a_file_without_marks_is_one_section() -> None:
    text = "Permission is hereby granted.\n\nThe above copyright notice shall be included.\n"
    (section,) = split_sections(text)
    assert section == Section(None, text.rstrip())


def test_separator_lines_and_names_between_them() -> None:
    text = (
        "Project licence text.\n\n" + "=" * 40 + "\nlodash\n" + "=" * 40 + "\n\nMIT text.\n"
        "\n-----\n\nAnother part.\n"
    )
    sections = split_sections(text)
    assert [(s.heading, s.text.strip()) for s in sections] == [
        (None, "Project licence text."),
        ("lodash", "MIT text."),
        (None, "Another part."),
    ]


def test_markdown_headings_atx_and_underlined() -> None:
    text = "# Licence\n\n## Code\n\nApache text.\n\nContent\n=======\n\nCC BY 4.0 summary.\n"
    sections = split_sections(text)
    assert [(s.heading, s.text.strip()) for s in sections] == [
        ("Licence — Code", "Apache text."),
        ("Content", "CC BY 4.0 summary."),
    ]


def test_a_heading_underlined_as_short_as_its_title() -> None:
    text = "Moment\n------\n\nMIT text.\n\nd3\n--\n\nBSD text.\n\nA -- B\n"
    sections = split_sections(text)
    assert [(s.heading, s.text.strip()) for s in sections] == [
        ("Moment", "MIT text."),
        ("d3", "BSD text.\n\nA -- B"),
    ]


def test_a_short_title_line_heads_the_next_section() -> None:
    text = "Glyph icons\n\n" + "-" * 10 + "\n\nIcons are licensed for this application only.\n"
    (section,) = split_sections(text)
    assert section.heading == "Glyph icons"


def test_copyright_lines_alone_are_carried_into_the_next_section() -> None:
    text = (
        "Noto Sans\n"
        + "-" * 9
        + "\nCopyright 2012 Google Inc.\n\nSIL OFL\n"
        + "-" * 7
        + "\nText.\n"
    )
    (section,) = split_sections(text)
    assert section.heading == "Noto Sans — SIL OFL"
    assert "Copyright 2012 Google Inc." in section.text
    assert section.text.strip().endswith("Text.")


def test_html_headings_and_rules() -> None:
    text = (
        "<html><head><title>Licence</title></head><body><h1 class='t'>Licence</h1>"
        "<h2>Content</h2><p>CC BY-NC-SA 3.0 IGO.</p><hr/><p>Software: BSD.</p></body></html>"
    )
    sections = split_sections(text)
    assert [s.heading for s in sections] == ["Licence — Content", None]
    assert "CC BY-NC-SA 3.0 IGO." in sections[0].text
    assert "Software: BSD." in sections[1].text


def test_patterns_stay_linear_on_pathological_input() -> None:
    # Each would take hours if a pattern backtracked quadratically over this input; they return
    # at once because every quantifier is bounded or over disjoint alternatives.
    unclosed = "<h2 " * 50_000 + "<h1>" + "x" * 50_000
    assert len(split_sections(unclosed)) >= 1
    dashes = ("- " * 50_000 + "x\n") * 3
    assert len(split_sections(dashes)) == 1
    words = "not " * 100_000 + "logo " * 100_000
    assert un_additions(words) == ("name, logo and emblem excluded",)
    assert restricts_use("no " * 100_000 + "use " * 100_000) is False
    assert restricts_use("commercial " * 50_000) is False
    assert DECLARES.search("licensed " * 100_000) is None
