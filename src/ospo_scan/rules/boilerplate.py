"""Files that are still a template: written by fix mode and not yet reviewed, or a well-known
template whose placeholders nobody filled in. Such a file shows an intention, not a practice.

Every template fix mode writes carries `TEMPLATE_MARKER` on a line of its own (the templates
place it with `${template_marker}`); the person who makes the file their own deletes that line.
"""

from __future__ import annotations

import re

from ospo_scan.untrusted.linear_regex import linear

TEMPLATE_MARKER = "ospo-scan:template"
"""The word that marks a file written from a template and not yet reviewed."""

TEMPLATE_NOTE = (
    f"{TEMPLATE_MARKER} Written by ospo-scan fix from a template: review it, make it say how "
    "the project really works, then delete this line."
)
"""The marker line as fix mode writes it (each template adds its own comment syntax)."""

_UPPERCASE_PLACEHOLDER = linear(r"\[(?:INSERT|YOUR) [A-Z][A-Z _-]{2,40}\]")
"""A placeholder in capitals, as the Contributor Covenant writes `[INSERT CONTACT METHOD]` and
`[INSERT EMAIL ADDRESS]`. Only capitals: `[Project](url)` is a link, `<your-username>` in a
contributing guide is an instruction to the reader."""
_TEMPLATE_INSTRUCTION = linear(
    r"use this section to tell people|edit it to match how the work really happens",
    re.IGNORECASE,
)
"""Instructions a template gives its adopter: GitHub's suggested SECURITY.md ("Use this section to
tell people ...") and fix mode's earlier GOVERNANCE.md."""

WHAT_COUNTS = (
    f"a file carrying the `{TEMPLATE_MARKER}` line fix mode writes (delete it once the file "
    "is reviewed), or a known template with its placeholders unfilled (the Contributor "
    "Covenant's [INSERT CONTACT METHOD], GitHub's 'Use this section to tell people ...')"
)
"""What `unreviewed_template` looks for, in words for `rules show`."""


def unreviewed_template(text: str) -> str | None:
    """Why `text` is still a template (the marker, or the placeholder found); None otherwise."""
    if TEMPLATE_MARKER in text:
        return f"it still carries the {TEMPLATE_MARKER} line"
    found = _UPPERCASE_PLACEHOLDER.search(text) or _TEMPLATE_INSTRUCTION.search(text)
    if found is not None:
        return f"placeholder left unfilled: {found.group(0)[:60]!r}"
    return None
