"""Licences scoped to parts of a repository are all carried (AND), and a licence only named
beside a licence text is not carried."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.licences.detect import Method, identify
from ospo_scan.model import Outcome
from tests.conftest import RepoFactory
from tests.licences.texts import scancode_text
from tests.scanning import evaluate, result

SCOPED_NOTICES = {
    "or-inside-a-scope": (
        "Copyright 2025 Agency for Refugee Data\n\n"
        "The source code is licensed under the MIT License.\n"
        "Texts in the content/ or translations/ directories are licensed under the Creative "
        "Commons Attribution 4.0 International License.\n"
    ),
    "one-sentence-two-scopes": (
        "Code in this repository is available under the Apache License 2.0; the survey "
        "questionnaires or the data in data/ are published under CC BY 4.0.\n"
    ),
    "scopes-in-paragraphs": (
        "Software\n\nAll code is released under the GNU Affero General Public License v3.0 "
        "or later.\n\nContent\n\nGuides and translations, or any other text in docs/, are "
        "licensed under CC BY-SA 4.0.\n"
    ),
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SCOPED_NOTICES["or-inside-a-scope"], "MIT AND CC-BY-4.0"),
        (SCOPED_NOTICES["one-sentence-two-scopes"], "Apache-2.0 AND CC-BY-4.0"),
        (SCOPED_NOTICES["scopes-in-paragraphs"], "AGPL-3.0-or-later AND CC-BY-SA-4.0"),
    ],
    ids=list(SCOPED_NOTICES),
)
def test_licences_scoped_to_parts_all_apply(text: str, expected: str) -> None:
    found = identify(text)
    assert found.expression == expected
    assert not found.choice


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        (
            "The content of the docs/ and data/ directories, unless stated otherwise, is "
            "licensed under the Creative Commons Attribution 4.0 International License.",
            "MIT AND CC-BY-4.0",
        ),
        ("Translations in locales/ are licensed under CC BY-SA 4.0.", "MIT AND CC-BY-SA-4.0"),
        (
            "The maintainers thank the icon designers who released their work under CC BY 3.0.",
            "MIT",
        ),
    ],
    ids=["content-directories", "translations", "a-mention-of-no-part"],
)
def test_a_note_after_the_licence_text_scoping_parts_adds_their_licence(
    note: str, expected: str
) -> None:
    text = scancode_text("mit").replace("<year> <copyright holders>", "2025 Agency") + "\n\n" + note

    assert identify(text).expression == expected


@pytest.mark.parametrize(
    "text",
    [
        "Licensed under the MIT License or the Apache License 2.0, at the user's discretion.",
        "This library is licensed under MIT or Apache-2.0. See LICENSE-MIT and LICENSE-APACHE.",
        "Licensed under MIT\nor Apache-2.0",
    ],
    ids=["one-sentence", "ids", "broken-line"],
)
def test_alternatives_in_one_sentence_are_still_a_choice(text: str) -> None:
    assert identify(text).expression == "MIT OR Apache-2.0"


PROJECT_NOTICE = """

PROJECT NOTICE

Copyright 2019-2025 Ministry of Health of the Republic. This software was developed with the
support of the Health Data Collaborative. The software is distributed in the hope that it will be
useful to health programmes and ministries, and the partners who contributed to it are thanked.
Redistribution of the software must keep this notice. The icons shipped in the user interface are
licensed under a Creative Commons Attribution license by their authors, and the maps are provided
under the terms that their publishers set. Any warranty is disclaimed as the licence above says,
and liability for damages is limited as the licence says. Contributions are accepted under the
terms of the licence above, and every contributor keeps the copyright of the contribution while
granting the permissions that the licence describes to every recipient of the software. Questions
about this notice and about the licensing of the project go to the project team through the
contact page of the Ministry's digital health unit, which answers within two weeks.
"""


@pytest.mark.scancode
def test_a_project_notice_after_a_filled_in_appendix_gains_no_licence() -> None:
    apache = scancode_text("apache-2.0").replace(
        "Copyright [yyyy] [name of copyright owner]", "Copyright 2019 Ministry of Health"
    )

    found = identify(apache + PROJECT_NOTICE)

    assert found.expression == "Apache-2.0"
    assert found.method is Method.REFERENCE_TEXT
    assert any("only named, not carried" in note for note in found.notes), found.notes


def test_a_repository_licensing_parts_differently_carries_both(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "guides",
        {
            "README.md": "# Field guides\n\nThe guides and the tool that builds them.\n",
            "LICENSE": SCOPED_NOTICES["or-inside-a-scope"],
            "content/en/intro.md": "# Introduction\n",
            "build.py": "print('build')\n",
        },
    )

    report = evaluate(repo)

    assert report.licence is not None
    assert report.licence.expression == "MIT AND CC-BY-4.0"
    assert result(report, "license-approved").outcome is Outcome.PASS
