"""The text of a licence named by `--licence SPDX-ID`, from scancode-toolkit's licence data.

scancode ships the reference text of every SPDX licence (`licensedcode/data/licenses/*.LICENSE`,
a YAML header between `---` lines, then the text); fix mode writes that text, never one of its
own. Texts without a copyright line (MIT, ISC, BSD) get one naming the entity.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ospo_scan.errors import UsageError
from ospo_scan.licences.spdx import normalise

_SPDX_KEY = re.compile(r"^spdx_license_key:\s*(\S+)\s*$", re.MULTILINE)
_HEADER_BYTES = 4096


def _licence_data() -> Path:
    import licensedcode

    return Path(licensedcode.__file__).parent / "data" / "licenses"


def canonical_licence_id(spdx_id: str) -> str:
    """The SPDX id as SPDX spells it; a UsageError for anything that is not one licence id."""
    normalised = normalise(spdx_id)
    if normalised is None or " " in normalised or normalised.startswith("LicenseRef-"):
        raise UsageError(
            f"--licence {spdx_id!r} is not an SPDX licence id",
            hint="give one id from https://spdx.org/licenses/, e.g. Apache-2.0 or MIT",
        )
    return normalised


def licence_text(spdx_id: str, holder: str, year: int | None = None) -> str:
    """The reference text of the licence, with a copyright line for `holder` when it has none."""
    wanted = canonical_licence_id(spdx_id)
    for path in sorted(_licence_data().glob("*.LICENSE")):
        with path.open(encoding="utf-8", errors="replace") as file:
            head = file.read(_HEADER_BYTES)
        found = _SPDX_KEY.search(head)
        if found is None or found.group(1).lower() != wanted.lower():
            continue
        text = path.read_text(encoding="utf-8").split("---\n", 2)[2].strip("\n") + "\n"
        if "copyright" not in text[:400].lower():
            text = f"Copyright (c) {year or dt.date.today().year} {holder}\n\n{text}"
        return text
    raise UsageError(
        f"no licence text is known for {wanted}",
        hint="add the licence file by hand, or choose another SPDX id",
    )
