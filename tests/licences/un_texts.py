"""Licence files as UN-system entities publish them, with the SPDX expression each should give.

The entity names are fictional; the licence texts are scancode-toolkit's, and the additions
(logo and emblem exclusions, privileges and immunities, UNCITRAL arbitration) follow the wording
UN entities attach to their licences.
"""

from __future__ import annotations

from tests.licences.texts import scancode_text, with_copyright

EMBLEM = (
    "The name, logo and emblem of the United Nations Example Programme (UNEXP) are not "
    "licensed under the terms below. They are protected under international law and may not be "
    "used without the prior written permission of UNEXP.\n"
)
IMMUNITIES = (
    "Nothing in or relating to this licence shall be deemed a waiver, express or implied, of "
    "any of the privileges and immunities of the United Nations, including its subsidiary "
    "organs, which are specifically reserved.\n"
)
ARBITRATION = (
    "Any dispute, controversy or claim arising out of or relating to this licence shall, unless "
    "settled amicably, be settled by arbitration in accordance with the UNCITRAL Arbitration "
    "Rules then obtaining. The parties shall be bound by any arbitration award rendered as a "
    "result of such arbitration as the final adjudication of any such dispute.\n"
)
ICON_TERMS = (
    "Icons © 2021 Example Icon Studio. The icons are licensed to UNEXP for use in this "
    "application only. They may not be copied, modified or distributed separately; any other "
    "use is strictly prohibited without a licence from Example Icon Studio.\n"
)
RULE = "=" * 72
APACHE_NOTICE = (
    'Licensed under the Apache License, Version 2.0 (the "License");\n'
    "you may not use this file except in compliance with the License.\n"
    "You may obtain a copy of the License at\n\n"
    "    http://www.apache.org/licenses/LICENSE-2.0\n\n"
    "Unless required by applicable law or agreed to in writing, software\n"
    'distributed under the License is distributed on an "AS IS" BASIS,\n'
    "WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\n"
    "See the License for the specific language governing permissions and\n"
    "limitations under the License.\n"
)

APACHE_LOGO_BUNDLED = (
    "Copyright 2024 United Nations Example Programme\n\n"
    + EMBLEM
    + "\n"
    + scancode_text("apache-2.0")
    + "\n\nThis repository may contain third-party code or content licensed as follows:\n\n"
    + f"{RULE}\nd3-array (src/vendor/d3-array)\n{RULE}\n\n"
    + with_copyright(scancode_text("bsd-new"), "2010-2021 Mike Bostock")
    + f"\n\n{RULE}\nlodash (src/vendor/lodash)\n{RULE}\n\n"
    + with_copyright(scancode_text("mit"), "OpenJS Foundation and other contributors")
    + f"\n\n{RULE}\nNoto Sans (static/fonts)\n{RULE}\n\n"
    + with_copyright(scancode_text("ofl-1.1"), "2012 Google Inc.")
    + f"\n\n{RULE}\nGlyph icons (static/icons)\n{RULE}\n\n"
    + ICON_TERMS
    + f"\n\n{RULE}\nWorkbox (src/vendor/workbox)\n{RULE}\n\n"
    + with_copyright(APACHE_NOTICE, "2018 Google LLC")
)
DUAL_CODE_CONTENT = (
    "UNEXP Data Portal\n\nCopyright (c) 2023 United Nations Example Programme\n\n"
    "Code\n====\n\nThe source code in this repository is licensed under the Apache License, "
    "Version 2.0:\n\n"
    + scancode_text("apache-2.0")
    + "\n\nContent\n=======\n\nThe documentation, data and other content of this repository "
    "are licensed under the Creative Commons Attribution 4.0 IGO licence (CC BY 4.0 IGO, "
    "https://creativecommons.org/licenses/by/4.0/), with the following additions.\n\n"
    + IMMUNITIES
    + "\n"
    + ARBITRATION
    + "\n"
    + EMBLEM
)
_BSD_PARAGRAPHS = with_copyright(scancode_text("bsd-new"), "2022 UNEXP").split("\n\n")
HTML_IGO_BSD = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Licence</title>'
    "<style>body { font-family: sans-serif; }</style></head>\n<body>\n<h1>Licence</h1>\n"
    "<h2>Content</h2>\n<p>Except where otherwise noted, the content of this site is licensed "
    'under a <a href="https://creativecommons.org/licenses/by-nc-sa/3.0/igo/">Creative Commons '
    "Attribution-NonCommercial-ShareAlike 3.0 IGO</a> licence.</p>\n"
    f"<p>{IMMUNITIES}</p>\n<p>{ARBITRATION}</p>\n<h2>Software</h2>\n"
    + "\n".join(f"<p>{paragraph}</p>" for paragraph in _BSD_PARAGRAPHS)
    + "\n</body></html>\n"
)
MIT_RESTRICTED = "MIT License\n\n" + with_copyright(
    scancode_text("mit").replace(
        "The above copyright notice",
        "The Software shall not be used for commercial purposes or by any armed forces.\n\n"
        "The above copyright notice",
    )
)
MIT_PROJECT_LINE = "MIT License\n\n" + with_copyright(
    scancode_text("mit").replace(
        "The above copyright notice",
        "This licence applies to the UNEXP Data Portal and to every module published with it "
        "by the programme.\n\nThe above copyright notice",
    )
)

UN_LAYOUTS: dict[str, tuple[dict[str, str], str]] = {
    "un-apache-logo-bundled": ({"LICENSE": APACHE_LOGO_BUNDLED}, "Apache-2.0"),
    "un-dual-code-content": ({"LICENSE": DUAL_CODE_CONTENT}, "Apache-2.0 AND CC-BY-4.0"),
    "un-html-igo-bsd": ({"LICENSE.html": HTML_IGO_BSD}, "CC-BY-NC-SA-3.0-IGO AND BSD-3-Clause"),
    "un-cc-by-igo-text": (
        {"LICENSE.md": "# CC BY 3.0 IGO\n\n" + scancode_text("cc-by-3.0-igo")},
        "CC-BY-3.0-IGO",
    ),
    "un-cc-by-sa-igo-link": (
        {"LICENSE": "Licensed under https://creativecommons.org/licenses/by-sa/3.0/igo/\n"},
        "CC-BY-SA-3.0-IGO",
    ),
    "un-cc-by-nc-nd-igo-name": (
        {
            "LICENSE.txt": "This publication is available under the Creative Commons "
            "Attribution-NonCommercial-NoDerivs 3.0 IGO licence (CC BY-NC-ND 3.0 IGO).\n"
        },
        "CC-BY-NC-ND-3.0-IGO",
    ),
    "un-cc-by-nc-igo-name": (
        {"LICENSE": "Content: CC BY-NC 3.0 IGO.\n"},
        "LicenseRef-CC-BY-NC-3.0-IGO",
    ),
    "un-mit-restricted": ({"LICENSE": MIT_RESTRICTED}, "MIT"),
    "un-mit-project-line": ({"LICENSE": MIT_PROJECT_LINE}, "MIT"),
}
