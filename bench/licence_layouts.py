"""Whole-repository licence layouts seen in the wild, with the SPDX expression each should give.

Texts come from scancode-toolkit's licence data; the layouts (file names, preambles, bundled
notices, summaries, manifests) imitate real repositories of UN agencies and common projects.
"""

from __future__ import annotations

from tests.licences.texts import scancode_text, with_copyright

MIT = scancode_text("mit")
APACHE = scancode_text("apache-2.0")
MIT_FILE = "MIT License\n\n" + with_copyright(MIT)
AGPL_NOTICE = (
    "This program is free software: you can redistribute it and/or modify\n"
    "it under the terms of the GNU Affero General Public License as published by\n"
    "the Free Software Foundation, either version 3 of the License, or\n"
    "(at your option) any later version.\n\n"
    "This program is distributed in the hope that it will be useful,\n"
    "but WITHOUT ANY WARRANTY; without even the implied warranty of\n"
    "MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the\n"
    "GNU Affero General Public License for more details.\n\n"
    "You should have received a copy of the GNU Affero General Public License\n"
    "along with this program.  If not, see <http://www.gnu.org/licenses/>.\n"
)
GPL2_PLUS_NOTICE = (
    "This program is free software; you can redistribute it and/or modify\n"
    "it under the terms of the GNU General Public License as published by\n"
    "the Free Software Foundation; either version 2 of the License, or\n"
    "(at your option) any later version.\n\n"
    "This program is distributed in the hope that it will be useful,\n"
    "but WITHOUT ANY WARRANTY; without even the implied warranty of\n"
    "MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the\n"
    "GNU General Public License for more details.\n"
)
BSD_BUNDLE = "\n\n".join(
    f"{name}\n{'-' * len(name)}\n\n{with_copyright(scancode_text(key), name)}"
    for name, key in (("jQuery", "mit"), ("Flot", "mit"), ("Moment", "mit"), ("d3", "bsd-new"))
)

LAYOUTS: dict[str, tuple[dict[str, str], str]] = {
    "mit-plain": ({"LICENSE": MIT_FILE}, "MIT"),
    "mit-rails-name": ({"MIT-LICENSE": with_copyright(MIT)}, "MIT"),
    "apache-md": ({"LICENSE.md": "# Apache License\n\n" + APACHE}, "Apache-2.0"),
    "apache-filled-appendix": (
        {
            "LICENSE.txt": APACHE.replace("[yyyy]", "2024").replace(
                "[name of copyright owner]", "UNICEF"
            )
        },
        "Apache-2.0",
    ),
    "who-trademark-preamble": (
        {
            "LICENSE": (
                "Copyright (c) 2021 World Health Organization\n\nThe WHO name and emblem are "
                "trademarks of the World Health Organization. Nothing in this licence grants "
                "any right to use them, and any use of the WHO name or emblem requires prior "
                "written permission from WHO.\n\n" + APACHE
            )
        },
        "Apache-2.0",
    ),
    "rust-dual-cargo": (
        {
            "LICENSE-MIT": with_copyright(MIT),
            "LICENSE-APACHE": APACHE,
            "Cargo.toml": '[package]\nname = "x"\nlicense = "MIT OR Apache-2.0"\n',
        },
        "Apache-2.0 OR MIT",
    ),
    "dual-readme-either": (
        {
            "LICENSE-MIT": with_copyright(MIT),
            "LICENSE-APACHE": APACHE,
            "README.md": "# x\n\n## License\n\nLicensed under either of\n\n* Apache License, "
            "Version 2.0\n* MIT license\n\nat your option.\n",
        },
        "Apache-2.0 OR MIT",
    ),
    "code-and-docs-and": (
        {"LICENSE": MIT_FILE, "LICENSE-docs.md": scancode_text("cc-by-4.0")},
        "MIT AND CC-BY-4.0",
    ),
    "gpl-copying-lesser": (
        {"COPYING": scancode_text("gpl-3.0"), "COPYING.LESSER": scancode_text("lgpl-3.0")},
        "LGPL-3.0-only",
    ),
    "reuse": (
        {
            "LICENSES/EUPL-1.2.txt": scancode_text("eupl-1.2"),
            "LICENSES/CC0-1.0.txt": scancode_text("cc0-1.0"),
        },
        "CC0-1.0 AND EUPL-1.2",
    ),
    "cc-by-igo-summary": (
        {
            "LICENSE.md": "This work is available under the Creative Commons Attribution 3.0 "
            "IGO license (CC BY 3.0 IGO; https://creativecommons.org/licenses/by/3.0/igo).\n"
        },
        "CC-BY-3.0-IGO",
    ),
    "ckan-agpl-bundled": (
        {
            "LICENSE.txt": "License\n+++++++\n\nCKAN - Data Catalogue Software\nCopyright (c) "
            "2006-2018 Open Knowledge Foundation and contributors\n\n"
            + AGPL_NOTICE
            + "\nNote\n====\n\nCKAN is sometimes packaged directly with other software (listed "
            "in ckan/public/base/vendor/). In these cases, we are required to list the "
            "licenses of the packaged software too. They are all AGPL compatible and read as "
            "follows in the next sections.\n\n" + BSD_BUNDLE
        },
        "AGPL-3.0-or-later",
    ),
    "agpl-notice-without-copy-paragraph": (
        {
            "LICENSE": "Copyright (c) 2014 - 2024 Example Agency. All rights reserved.\n\n"
            + AGPL_NOTICE.split("You should have received")[0].replace(
                "for more details", "below for more details"
            )
            + "\n"
            + "-" * 72
            + "\n\n"
            + scancode_text("agpl-3.0")
        },
        "AGPL-3.0-or-later",
    ),
    "r-package-stub": (
        {
            "DESCRIPTION": "Package: who.demo\nVersion: 1.0\nLicense: MIT + file LICENSE\n",
            "LICENSE": "YEAR: 2022\nCOPYRIGHT HOLDER: World Health Organization\n",
            "LICENSE.md": "# MIT License\n\n" + with_copyright(MIT),
        },
        "MIT",
    ),
    "readme-only": (
        {"README.md": "# Tool\n\n## License\n\nThis project is licensed under the MIT License.\n"},
        "MIT",
    ),
    "manifest-only": ({"package.json": '{"name": "x", "license": "ISC"}'}, "ISC"),
    "unlicense": ({"UNLICENSE": scancode_text("unlicense")}, "Unlicense"),
    "isc": ({"LICENSE": with_copyright(scancode_text("isc"))}, "ISC"),
    "bsd3-html": (
        {
            "LICENSE.html": "<html><body><h1>BSD 3-Clause License</h1>"
            + "".join(f"<p>{p}</p>" for p in with_copyright(scancode_text("bsd-new")).split("\n\n"))
            + "</body></html>"
        },
        "BSD-3-Clause",
    ),
    "edited-mit": ({"LICENSE": MIT_FILE.replace("Software", "Library")}, "MIT"),
    "eupl": ({"LICENCE": scancode_text("eupl-1.2")}, "EUPL-1.2"),
    "ogl-uk": ({"LICENSE": scancode_text("ogl-uk-3.0")}, "OGL-UK-3.0"),
    "mpl2": ({"LICENSE": scancode_text("mpl-2.0")}, "MPL-2.0"),
    "agpl-text": ({"LICENSE.txt": scancode_text("agpl-3.0")}, "AGPL-3.0-only"),
    "gpl2-plus-notice": (
        {"COPYING": with_copyright(GPL2_PLUS_NOTICE) + "\n\n" + scancode_text("gpl-2.0")},
        "GPL-2.0-or-later",
    ),
    "cc0-data": ({"LICENSE": scancode_text("cc0-1.0")}, "CC0-1.0"),
    "odbl-data": ({"LICENSE.md": scancode_text("odbl-1.0")}, "ODbL-1.0"),
    "bsl": ({"LICENSE_1_0.txt": scancode_text("boost-1.0")}, "BSL-1.0"),
    "zlib-markdown": (
        {"LICENSE.md": "## zlib License\n\n_" + with_copyright(scancode_text("zlib")) + "_\n"},
        "Zlib",
    ),
}
