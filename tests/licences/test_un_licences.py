"""Licences as UN-system entities publish them: IGO ports, standard additions, bundled notices,
code and content sections, and restrictions inserted into a licence text."""

from __future__ import annotations

import pytest

from ospo_scan.licences.detect import PROPRIETARY, BundledNotice, Method, identify
from ospo_scan.licences.igo import un_additions
from ospo_scan.licences.normalise import licence_words
from tests.licences.texts import scancode_text
from tests.licences.un_texts import (
    APACHE_LOGO_BUNDLED,
    ARBITRATION,
    DUAL_CODE_CONTENT,
    HTML_IGO_BSD,
    IMMUNITIES,
    MIT_PROJECT_LINE,
    MIT_RESTRICTED,
    UN_LAYOUTS,
)


@pytest.mark.parametrize("name", sorted(UN_LAYOUTS))
def test_un_layouts_are_identified_without_the_full_index(name: str) -> None:
    files, expected = UN_LAYOUTS[name]
    for text in files.values():
        detection = identify(text)
        assert detection.expression == expected
        assert detection.method is not Method.FULL_INDEX


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Creative Commons Attribution 3.0 IGO", "CC-BY-3.0-IGO"),
        ("Licensed under CC BY-SA 3.0 IGO.", "CC-BY-SA-3.0-IGO"),
        (
            "Creative Commons Attribution-NonCommercial-ShareAlike 3.0 IGO (CC BY-NC-SA 3.0 IGO)",
            "CC-BY-NC-SA-3.0-IGO",
        ),
        ("Creative Commons Attribution-NonCommercial-NoDerivs 3.0 IGO", "CC-BY-NC-ND-3.0-IGO"),
        ("Available under CC BY-NC 3.0 IGO.", "LicenseRef-CC-BY-NC-3.0-IGO"),
        ("Available under CC BY-ND 3.0 IGO.", "LicenseRef-CC-BY-ND-3.0-IGO"),
        ("https://creativecommons.org/licenses/by-nc-sa/3.0/igo/", "CC-BY-NC-SA-3.0-IGO"),
        (
            "https://creativecommons.org/licenses/by-nd/3.0/igo/legalcode",
            "LicenseRef-CC-BY-ND-3.0-IGO",
        ),
        # Creative Commons made no 4.0 IGO ports: the 4.0 licences apply to IGOs as they are.
        ("Content: CC BY 4.0 IGO.", "CC-BY-4.0"),
        ("Creative Commons Attribution-NonCommercial-ShareAlike 3.0 licence", "CC-BY-NC-SA-3.0"),
    ],
)
def test_igo_ports_are_named_exactly(text: str, expected: str) -> None:
    assert identify(text, use_full_index=False).expression == expected


@pytest.mark.parametrize(
    "key", ["cc-by-3.0-igo", "cc-by-sa-3.0-igo", "cc-by-nc-sa-3.0-igo", "cc-by-nc-nd-3.0-igo"]
)
def test_igo_licence_texts_with_the_un_additions(key: str) -> None:
    text = scancode_text(key) + "\n\n" + IMMUNITIES + "\n" + ARBITRATION
    detection = identify(text)
    assert detection.expression == key.upper().replace("CC-BY-", "CC-BY-")
    assert detection.method is Method.REFERENCE_TEXT
    assert any("privileges and immunities" in note for note in detection.notes)


def test_un_additions_are_recognised_by_name() -> None:
    words = " ".join(licence_words(IMMUNITIES + ARBITRATION))
    assert un_additions(words) == ("privileges and immunities", "arbitration under UNCITRAL rules")
    assert un_additions("the software is provided as is") == ()


def test_apache_with_emblem_exclusion_and_bundled_notices() -> None:
    detection = identify(APACHE_LOGO_BUNDLED)
    assert detection.expression == "Apache-2.0"
    assert detection.bundled == (
        BundledNotice("BSD-3-Clause", "d3-array (src/vendor/d3-array)"),
        BundledNotice("MIT", "lodash (src/vendor/lodash)"),
        BundledNotice(
            "OFL-1.1",
            "Noto Sans (static/fonts) — SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007",
        ),
        BundledNotice(PROPRIETARY, "Glyph icons (static/icons)"),
        BundledNotice("Apache-2.0", "Workbox (src/vendor/workbox)"),
    )
    assert detection.restrictions == ()
    assert any("name, logo and emblem excluded" in note for note in detection.notes)


def test_code_and_content_sections_are_both_the_projects() -> None:
    detection = identify(DUAL_CODE_CONTENT)
    assert detection.expression == "Apache-2.0 AND CC-BY-4.0"
    assert detection.bundled == ()
    assert "CC-BY-4.0 named in section “Content” of the file" in detection.notes


def test_html_licence_page_with_an_igo_licence_and_bsd_software() -> None:
    detection = identify(HTML_IGO_BSD)
    assert detection.expression == "CC-BY-NC-SA-3.0-IGO AND BSD-3-Clause"
    assert detection.restrictions == ()


def test_a_restriction_inserted_into_mit_makes_it_modified() -> None:
    detection = identify(MIT_RESTRICTED)
    assert detection.expression == "MIT"
    assert detection.restrictions == (
        "“software shall not be used for commercial purposes or by any armed forces”",
    )


@pytest.mark.parametrize(
    "inserted",
    [
        "This software may not be used for military purposes.",
        "Use is permitted for non-commercial research only.",
        "The Software shall not be modified.",
        "Redistribution to any government agency is prohibited.",
    ],
)
def test_restrictions_of_each_kind(inserted: str) -> None:
    text = scancode_text("mit").replace(
        "The above copyright notice", f"{inserted}\n\nThe above copyright notice"
    )
    assert identify(text).restrictions != ()


def test_harmless_insertions_stay_a_note() -> None:
    detection = identify(MIT_PROJECT_LINE)
    assert detection.expression == "MIT"
    assert detection.restrictions == ()
    assert any("a modified licence?" in note for note in detection.notes)


def test_an_apache_text_is_not_restricted_by_its_own_words() -> None:
    # "Derivative Works shall not include works that remain separable": the licence's own words
    sentences = scancode_text("apache-2.0").split(". ")
    shortened = ". ".join(sentences[:40] + sentences[41:])
    assert identify(shortened).restrictions == ()
