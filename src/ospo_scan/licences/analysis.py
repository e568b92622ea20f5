"""One repository's licence from its licence files, README licence section and manifests."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ospo_scan.licences.approval import LicencePolicy
from ospo_scan.licences.detect import Method, identify, identify_prose
from ospo_scan.licences.files import licence_candidates
from ospo_scan.licences.manifests import declared_licences
from ospo_scan.licences.model import LicenceAnalysis, LicenceFile
from ospo_scan.licences.pointers import dangling_pointers
from ospo_scan.licences.readme import licence_section
from ospo_scan.licences.spdx import combine_and, combine_or, licence_ids, normalise
from ospo_scan.model import BundledLicence, DeclaredLicence, EvidenceSource
from ospo_scan.snapshot import EntryKind, FileEntry, Snapshot

_HOST_UNKNOWN = frozenset({"noassertion", "other", "none", ""})
_NAME_HINT = re.compile(r"^(?:licen[cs]e|copying)[-_.](.+)$", re.IGNORECASE)
_TEXT_EXTENSION = re.compile(r"\.(?:txt|md|rst|markdown|html?)$", re.IGNORECASE)


def analyse(snapshot: Snapshot, policy: LicencePolicy) -> LicenceAnalysis:
    """Identify the repository's licence from its licence files, README and manifests."""
    files = tuple(_licence_file(snapshot, entry) for entry in licence_candidates(snapshot))
    declared = declared_licences(snapshot)
    section = licence_section(snapshot)
    readme = identify_prose(section.text) if section else None
    readme_expression = readme.expression if readme else None
    notes: list[str] = []

    file_expressions = [f.expression for f in files if f.expression]
    if _lgpl3_with_its_gpl3(file_expressions):
        file_expressions = [e for e in file_expressions if e != "GPL-3.0-only"]
        notes.append(
            "the GNU GPL v3 text beside the LGPL v3 is the licence LGPL-3.0 builds on, "
            "not a licence of its own"
        )
    file_expressions, upgraded = _or_later_as_declared(
        file_expressions, [readme_expression, *(d.expression for d in declared)]
    )
    notes.extend(
        f"the {licence} text carries no version choice; the project declares {licence}-or-later"
        for licence in upgraded
    )
    choice = _offers_choice(files, declared, readme.choice if readme else False, file_expressions)
    expression: str | None
    if file_expressions:
        expression = (combine_or if choice else combine_and)(file_expressions)
        source: EvidenceSource | None = EvidenceSource.REPOSITORY
        if choice and len(set(file_expressions)) > 1:
            notes.append("licence files combined with OR: the project offers a choice")
    elif readme_expression:
        expression, source = readme_expression, EvidenceSource.README
    elif any(d.expression for d in declared):
        expression = combine_and(d.expression for d in declared)
        source = EvidenceSource.MANIFEST
    else:
        expression, source = None, None

    host = _host_expression(snapshot)
    if host:
        notes.append(_host_note(host, expression))
    return LicenceAnalysis(
        files=files,
        declared=declared,
        readme_expression=readme_expression,
        expression=expression,
        notes=tuple(notes),
        readme_path=section.path if section else None,
        expression_source=source,
        host_expression=host,
        dangling=dangling_pointers(snapshot),
    )


def _licence_file(snapshot: Snapshot, entry: FileEntry) -> LicenceFile:
    if entry.kind is EntryKind.OUTSIDE_LINK:
        return LicenceFile(
            entry.path, None, note="symbolic link out of the repository", usable=False
        )
    text = snapshot.read_text(entry.path)
    if text is None or text.binary or not text.text.strip():
        if text is not None and text.binary:
            return LicenceFile(entry.path, None, note="binary file")
        return LicenceFile(entry.path, None, note="empty or unreadable", usable=False)
    detection = identify(text.text)
    notes = list(detection.notes)
    expression = detection.expression
    if expression is None and detection.method is not Method.R_STUB:
        hinted = _name_hint(entry.path)
        if hinted:
            expression = hinted
            notes.append(f"licence taken from the file name ({entry.name}); its text is not one")
    return LicenceFile(
        entry.path,
        expression,
        note="; ".join(notes) or None,
        method=detection.method.value if expression or detection.method is Method.R_STUB else None,
        choice=detection.choice,
        completes_declared=detection.method is Method.R_STUB,
        bundled=tuple(
            BundledLicence(entry.path, b.expression, b.heading) for b in detection.bundled
        ),
        restrictions=detection.restrictions,
    )


def _or_later_as_declared(
    expressions: list[str], declarations: list[str | None]
) -> tuple[list[str], list[str]]:
    """A GNU licence text is the same for `-only` and `-or-later`; the project's own notice
    (README licence section, manifest) says which. Returns the expressions and the licences
    read as or-later."""
    later = {
        i.removesuffix("-or-later")
        for d in declarations
        if d
        for i in licence_ids(d)
        if i.endswith("-or-later")
    }
    upgraded = [e.removesuffix("-only") for e in expressions if e.removesuffix("-only") in later]
    result = [
        f"{e.removesuffix('-only')}-or-later" if e.removesuffix("-only") in later else e
        for e in expressions
    ]
    return result, list(dict.fromkeys(upgraded))


def _lgpl3_with_its_gpl3(expressions: list[str]) -> bool:
    """LGPL v3 is a set of permissions on top of GPL v3, so projects ship both texts."""
    lesser = any(i.startswith("LGPL-3.0") for e in expressions for i in licence_ids(e))
    return lesser and "GPL-3.0-only" in expressions


def _name_hint(path: str) -> str | None:
    """The SPDX id a file name carries: `LICENSES/MIT.txt` (REUSE) or `LICENSE-Apache-2.0`."""
    stem = _TEXT_EXTENSION.sub("", path.rsplit("/", 1)[-1])
    if path.startswith("LICENSES/"):
        return normalise(stem)
    match = _NAME_HINT.match(stem)
    return normalise(match.group(1)) if match else None


def _offers_choice(
    files: Iterable[LicenceFile],
    declared: Iterable[DeclaredLicence],
    readme_choice: bool,
    file_expressions: list[str],
) -> bool:
    """Several licence files are alternatives when a file, the README or a manifest says so."""
    if len(set(file_expressions)) < 2:
        return False
    if readme_choice or any(f.choice for f in files):
        return True
    carried = {i for e in file_expressions for i in licence_ids(e)}
    return any(
        item.expression
        and " OR " in item.expression
        and set(licence_ids(item.expression)) >= carried
        for item in declared
    )


def _host_expression(snapshot: Snapshot) -> str | None:
    value = snapshot.metadata.host.licence_spdx
    if value is None or value.strip().lower() in _HOST_UNKNOWN:
        return None
    return normalise(value) or value.strip()


def _host_note(host: str, expression: str | None) -> str:
    if expression is None:
        return f"the host detects {host}, but no licence was identified in the files read here"
    if expression == host:
        return f"the host's own detection agrees: {host}"
    ours = set(licence_ids(expression))
    theirs = set(licence_ids(host)) if normalise(host) else {host}
    if theirs <= ours:
        return (
            f"the host detects only {host}; the licence files carry {expression} "
            "(hosts name one licence per repository)"
        )
    return f"the host detects {host}, the licence files read here carry {expression}"
