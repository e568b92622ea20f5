"""Identifying the licence a single text carries: licence files in their real-world forms."""

from __future__ import annotations

import pytest

from ospo_scan.licences.detect import FULL_INDEX_SECTION_BYTES, PROPRIETARY, Method, identify
from ospo_scan.licences.scancode import full_index_loaded
from ospo_scan.licences.sections import split_sections
from ospo_scan.snapshot import MAX_READ_BYTES
from tests.licences.texts import MIT_TITLED, scancode_text, with_copyright


@pytest.mark.parametrize(
    ("key", "spdx"),
    [
        ("mit", "MIT"),
        ("apache-2.0", "Apache-2.0"),
        ("gpl-3.0", "GPL-3.0-only"),
        ("gpl-2.0", "GPL-2.0-only"),
        ("agpl-3.0", "AGPL-3.0-only"),
        ("lgpl-2.1", "LGPL-2.1-only"),
        ("bsd-new", "BSD-3-Clause"),
        ("bsd-simplified", "BSD-2-Clause"),
        ("mpl-2.0", "MPL-2.0"),
        ("isc", "ISC"),
        ("unlicense", "Unlicense"),
        ("cc-by-4.0", "CC-BY-4.0"),
        ("cc-by-sa-4.0", "CC-BY-SA-4.0"),
        ("cc0-1.0", "CC0-1.0"),
        ("odbl-1.0", "ODbL-1.0"),
        ("eupl-1.2", "EUPL-1.2"),
        ("epl-2.0", "EPL-2.0"),
        ("mit-0", "MIT-0"),
        ("zlib", "Zlib"),
    ],
)
def test_unmodified_licence_texts_with_copyright_lines(key: str, spdx: str) -> None:
    detection = identify(with_copyright(scancode_text(key)), use_full_index=False)
    assert detection.expression == spdx
    assert detection.method is Method.REFERENCE_TEXT


def test_near_variants_are_told_apart() -> None:
    mit = identify(scancode_text("mit"), use_full_index=False)
    mit_zero = identify(scancode_text("mit-0"), use_full_index=False)
    bsd2 = identify(scancode_text("bsd-simplified"), use_full_index=False)
    bsd3 = identify(scancode_text("bsd-new"), use_full_index=False)
    assert (mit.expression, mit_zero.expression) == ("MIT", "MIT-0")
    assert (bsd2.expression, bsd3.expression) == ("BSD-2-Clause", "BSD-3-Clause")


def test_markdown_formatted_licence() -> None:
    body = scancode_text("mit").replace("THE SOFTWARE IS PROVIDED", "**THE SOFTWARE IS PROVIDED")
    text = (
        "# The MIT License (MIT)\n\n_Copyright © 2020 [Example](https://example.org)_\n\n"
        + body.replace("copies of the Software.", "copies of the Software.**")
    )
    detection = identify(text, use_full_index=False)
    assert detection.expression == "MIT"


def test_html_formatted_licence() -> None:
    paragraphs = scancode_text("bsd-new").split("\n\n")
    head = "<head><title>BSD</title><style>body { font-family: serif; }</style></head>"
    html = (
        f"<html>{head}<body><h1>BSD 3-Clause License</h1>"
        + "".join(f"<p>{p.replace('&', '&amp;')}</p>\n" for p in paragraphs)
        + "</body></html>"
    )
    assert identify(html, use_full_index=False).expression == "BSD-3-Clause"


def test_trademark_preamble_before_the_licence_is_noted_not_counted() -> None:
    preamble = (
        "The World Health Organization name and emblem are trademarks of WHO. This licence "
        "does not grant permission to use them; any use of the WHO name or emblem requires "
        "prior written permission, whatever the terms below say about the software.\n\n"
    )
    detection = identify(preamble + scancode_text("apache-2.0"), use_full_index=False)
    assert detection.expression == "Apache-2.0"
    assert any("preamble" in note for note in detection.notes)


def test_bundled_third_party_notices_are_not_the_projects_licence() -> None:
    notice = (
        "CKAN - Data Catalogue Software\nCopyright (c) 2006-2018 Open Knowledge Foundation\n\n"
        "This program is free software: you can redistribute it and/or modify\n"
        "it under the terms of the GNU Affero General Public License as published by\n"
        "the Free Software Foundation, either version 3 of the License, or\n"
        "(at your option) any later version.\n\n"
        "This program is distributed in the hope that it will be useful,\n"
        "but WITHOUT ANY WARRANTY; without even the implied warranty of\n"
        "MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the\n"
        "GNU Affero General Public License for more details.\n\n"
        "You should have received a copy of the GNU Affero General Public License\n"
        "along with this program.  If not, see <http://www.gnu.org/licenses/>.\n\n"
        "Note\n====\n\nCKAN is sometimes packaged directly with other software (listed in\n"
        "ckan/public/base/vendor/). In these cases, we are required to list the licenses\n"
        "of the packaged software too.\n\n"
    )
    bundled = "".join(f"{name}\n-----\n\n{MIT_TITLED}\n\n" for name in ("WYMeditor", "jQuery"))
    detection = identify(notice + bundled, use_full_index=False)
    assert detection.expression == "AGPL-3.0-or-later"
    assert any("third-party" in note and "MIT" in note for note in detection.notes)


def test_two_licences_in_one_file_without_a_choice_apply_together() -> None:
    text = (
        "The code is under the following licence:\n\n"
        + MIT_TITLED
        + "\n\nThe documentation is under the following licence:\n\n"
        + scancode_text("cc-by-4.0")
    )
    assert identify(text, use_full_index=False).expression == "MIT AND CC-BY-4.0"


def test_a_file_offering_a_choice_is_an_or() -> None:
    text = (
        "This software is dual-licensed: you may use it under either of the licences below, "
        "at your option.\n\n" + MIT_TITLED + "\n\n" + scancode_text("apache-2.0")
    )
    detection = identify(text, use_full_index=False)
    assert detection.choice
    assert detection.expression == "MIT OR Apache-2.0"


def test_edited_text_is_identified_with_a_note() -> None:
    edited = MIT_TITLED.replace("Software", "Program")
    detection = identify(edited, use_full_index=False)
    assert detection.expression == "MIT"
    assert any("differs" in note for note in detection.notes)


def test_summary_file_naming_its_licence() -> None:
    summary = (
        "This work is available under the Creative Commons Attribution 3.0 IGO licence "
        "(CC BY 3.0 IGO; https://creativecommons.org/licenses/by/3.0/igo).\n"
    )
    detection = identify(summary, use_full_index=False)
    assert detection.expression == "CC-BY-3.0-IGO"
    assert detection.method is Method.LICENCE_NAME


def test_spdx_identifier_line() -> None:
    detection = identify("SPDX-License-Identifier: Apache-2.0 OR MIT\n", use_full_index=False)
    assert detection.expression == "Apache-2.0 OR MIT"
    assert detection.method is Method.SPDX_TAG


def test_r_licence_stub_completes_a_declared_licence() -> None:
    detection = identify("YEAR: 2023\nCOPYRIGHT HOLDER: Example authors\n")
    assert detection.expression is None
    assert detection.method is Method.R_STUB


def test_prose_without_a_licence_is_unidentified() -> None:
    detection = identify("Ask the team before reusing any of this.\n", use_full_index=False)
    assert detection.expression is None
    assert detection.method is Method.NONE


@pytest.mark.scancode
def test_a_heavily_edited_licence_goes_to_scancodes_full_index() -> None:
    # "Package" renamed throughout and the text cut short: too far from any reference for
    # the passage matcher, still recognisable to scancode's approximate matching.
    text = scancode_text("artistic-perl-1.0").replace("Package", "Work")[:3000]
    assert identify(text, use_full_index=False).expression is None
    detection = identify(text)
    assert detection.method is Method.FULL_INDEX
    assert detection.expression == "Artistic-1.0"
    assert detection.notes == (
        "identified by scancode's full licence index (no reference text matched word for word)",
    )


def test_a_sentence_inserted_into_a_licence_keeps_it_whole() -> None:
    text = scancode_text("bsd-new")
    sentences = text.split(". ")
    middle = len(sentences) // 2
    inserted = ". ".join(
        [
            *sentences[:middle],
            "This copy was prepared for the Example project by its team",
            *sentences[middle:],
        ]
    )
    detection = identify(with_copyright(inserted), use_full_index=False)
    assert detection.expression == "BSD-3-Clause"
    assert detection.method is Method.REFERENCE_TEXT
    assert detection.notes == (
        "11 words inside the BSD-3-Clause text are not part of it (a modified licence?): "
        "“this copy was prepared for the example project by its team”",
    )


def test_a_sentence_deleted_from_a_licence_is_still_that_licence() -> None:
    sentences = scancode_text("apache-2.0").split(". ")
    shortened = ". ".join(sentences[:40] + sentences[41:])
    detection = identify(shortened, use_full_index=False)
    assert detection.expression == "Apache-2.0"


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("Content: https://creativecommons.org/licenses/by/3.0/igo/", "CC-BY-3.0-IGO"),
        ("See http://opensource.org/licenses/MIT for the terms.", "MIT"),
        ("License: https://spdx.org/licenses/EUPL-1.2.html", "EUPL-1.2"),
        ("Licensed under https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0"),
        ("Data under https://opendatacommons.org/licenses/odbl/1-0/", "ODbL-1.0"),
        ("Public domain: https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
    ],
)
def test_summary_files_linking_to_their_licence(summary: str, expected: str) -> None:
    detection = identify(summary, use_full_index=False)
    assert detection.expression == expected
    assert detection.method is Method.LICENCE_NAME


@pytest.mark.parametrize(
    ("text", "proprietary"),
    [
        ("Proprietary. All rights reserved. Demo Agency.\n", True),
        (
            "Copyright (c) 2026 Agency. All rights reserved.\n\nThis software is confidential. "
            "Unauthorized copying of this file, via any medium, is strictly prohibited.\n",
            True,
        ),
        ("Copyright (c) 2026 Agency. All rights reserved.\n", False),
        ("Licensed under the MIT License. All rights reserved by their owners.\n", False),
    ],
)
def test_proprietary_notices(text: str, proprietary: bool) -> None:
    detection = identify(text, use_full_index=False)
    assert (detection.expression == PROPRIETARY) is proprietary
    if not proprietary:
        assert detection.method is not Method.PROPRIETARY_NOTICE


def test_gnu_notice_before_the_full_text_is_one_licence() -> None:
    # A project notice without the "You should have received a copy" paragraph, then the
    # licence: its warranty sentence alone is also a small licence's whole text, which the
    # AGPL quotes in its own appendix, so it is not a second licence.
    notice = (
        "Copyright (c) 2015 Example Agency. All rights reserved.\n\n"
        "This program is free software: you can redistribute it and/or modify\n"
        "it under the terms of the GNU Affero General Public License as\n"
        "published by the Free Software Foundation, either version 3 of the\n"
        "License, or (at your option) any later version.\n\n"
        "This program is distributed in the hope that it will be useful,\n"
        "but WITHOUT ANY WARRANTY; without even the implied warranty of\n"
        "MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the\n"
        "GNU Affero General Public License below for more details.\n\n"
        "-----------------------------------------------------------------\n\n"
    )
    detection = identify(notice + scancode_text("agpl-3.0"), use_full_index=False)
    assert detection.expression == "AGPL-3.0-or-later"


def _edited_licence(size: int) -> str:
    """Licence-like prose no reference explains, in one section, `size` bytes long."""
    clauses = (
        f"Clause {index}. The licensee may use, copy and modify the software, provided that the "
        f"licensor's notice number {index} is kept; the software is provided without warranty, "
        f"and the licensor shall not be liable for damages of kind {index * 7 % 13}.\n\n"
        for index in range(size // 100)
    )
    return "".join(clauses)[:size]


@pytest.mark.parametrize("size", [FULL_INDEX_SECTION_BYTES + 1, MAX_READ_BYTES])
def test_a_licence_text_past_the_full_index_bound_is_not_identified_saying_why(size: int) -> None:
    """Before, it went whole to scancode's full index: 128 KiB took 27 s and 1.5 GB."""
    text = _edited_licence(size)
    assert len(split_sections(text)) == 1
    loaded = full_index_loaded()
    detection = identify(text)
    assert detection.expression is None
    assert detection.method is Method.NONE
    assert detection.notes == (
        f"not identified: {size // 1024} KiB of licence text (no reference text matched word "
        "for word); not read: 1 section longer than the 48 KiB the full index reads",
    )
    assert full_index_loaded() == loaded  # not loaded for it


@pytest.mark.scancode
def test_a_long_file_gives_the_full_index_its_sections_that_fit() -> None:
    edited = scancode_text("artistic-perl-1.0").replace("Package", "Work")[:3000]
    text = f"# Licence\n\n{edited}\n\n# Notes\n\n{_edited_licence(FULL_INDEX_SECTION_BYTES + 1)}"
    detection = identify(text)
    assert detection.method is Method.FULL_INDEX
    assert detection.expression == "Artistic-1.0"
    assert detection.notes == (
        "identified by scancode's full licence index (no reference text matched word for word)"
        "; not read: 1 section longer than the 48 KiB the full index reads",
    )
