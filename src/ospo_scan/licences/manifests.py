"""Licences declared in package manifests at the repository root.

Each manifest is read as data (JSON, TOML, INI, XML, or plain text for gemspecs, R DESCRIPTION
files and publiccode.yml); nothing is executed. A value that is valid SPDX is normalised; an
invalid one (`Apache-2`, `GPLv3`) is kept as written with a suggested SPDX expression.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ospo_scan._compat import tomllib
from ospo_scan.licences.names import suggest
from ospo_scan.licences.spdx import combine_or, normalise
from ospo_scan.model import DeclaredLicence
from ospo_scan.snapshot import EntryKind, Snapshot
from ospo_scan.untrusted.linear_regex import linear

if TYPE_CHECKING:
    from xml.etree import ElementTree

MANIFEST_READ_BYTES = 256 * 1024
"""Manifests are small; a larger one is judged on its beginning."""

_R_LICENCES = {
    "gpl": "GPL-2.0-or-later",
    "gpl-2": "GPL-2.0-only",
    "gpl-3": "GPL-3.0-only",
    "gpl (>= 2)": "GPL-2.0-or-later",
    "gpl (>= 2.0)": "GPL-2.0-or-later",
    "gpl (>= 3)": "GPL-3.0-or-later",
    "gpl (>= 3.0)": "GPL-3.0-or-later",
    "lgpl": "LGPL-2.0-or-later",
    "lgpl-2": "LGPL-2.0-only",
    "lgpl-2.1": "LGPL-2.1-only",
    "lgpl-3": "LGPL-3.0-only",
    "lgpl (>= 2)": "LGPL-2.0-or-later",
    "lgpl (>= 2.1)": "LGPL-2.1-or-later",
    "lgpl (>= 3)": "LGPL-3.0-or-later",
    "agpl-3": "AGPL-3.0-only",
    "agpl (>= 3)": "AGPL-3.0-or-later",
    "artistic-2.0": "Artistic-2.0",
    "bsd_2_clause": "BSD-2-Clause",
    "bsd_3_clause": "BSD-3-Clause",
    "mit": "MIT",
    "apache license 2.0": "Apache-2.0",
    "apache license (== 2.0)": "Apache-2.0",
    "apache license (>= 2)": "Apache-2.0",
    "mpl-2.0": "MPL-2.0",
    "cc0": "CC0-1.0",
    "cc by 4.0": "CC-BY-4.0",
    "cc by-sa 4.0": "CC-BY-SA-4.0",
    "eupl-1.2": "EUPL-1.2",
}
"""R's own licence abbreviations (Writing R Extensions, 'Licensing'), valid in DESCRIPTION."""
_R_FILE_CLAUSE = linear(r"\s*\+\s*file\s+LICEN[CS]E\s*$", re.IGNORECASE)


def declared_licences(snapshot: Snapshot) -> tuple[DeclaredLicence, ...]:
    """Every licence declared by a manifest at the repository root, in manifest order."""
    present = {
        entry.name: entry.path for entry in snapshot.entries("") if entry.kind is EntryKind.FILE
    }
    found: list[DeclaredLicence] = []
    for name, reader in _READERS:
        paths = [p for n, p in sorted(present.items()) if _name_matches(n, name)]
        for path in paths:
            text = snapshot.read_text(path, MANIFEST_READ_BYTES)
            if text is None or text.binary:
                continue
            for value, expression in reader(text.text):
                found.append(_declared(path, value, expression))
    return tuple(found)


def is_manifest_name(name: str) -> bool:
    """Whether a root file of this name is a manifest whose declared licence is read."""
    return any(_name_matches(name, pattern) for pattern, _ in _READERS)


def _name_matches(name: str, pattern: str) -> bool:
    if pattern.startswith("*"):
        return name.endswith(pattern[1:])
    return name == pattern


def _declared(path: str, value: str, expression: str | None) -> DeclaredLicence:
    value = value.strip()
    if expression is None:
        expression = normalise(value)
    if expression is not None:
        return DeclaredLicence(path, value, expression)
    return DeclaredLicence(path, value, None, suggest(value))


Found = Iterator[tuple[str, str | None]]
"""(value as written, its SPDX expression when the manifest's own convention defines one)."""


_NPM_SEE_FILE = re.compile(r"^\s*SEE LICEN[CS]E IN\b", re.IGNORECASE)
NPM_UNLICENSED = "LicenseRef-scancode-proprietary-license"
"""npm's `UNLICENSED`: the package is not licensed for use by others."""


def _package_json(text: str) -> Found:
    data = json_object(text)
    licence = data.get("license")
    if isinstance(licence, str) and _NPM_SEE_FILE.match(licence):
        return  # npm's pointer to the licence file: the file itself is the declaration
    if isinstance(licence, str) and licence.strip() == "UNLICENSED":
        yield licence, NPM_UNLICENSED
    elif isinstance(licence, str):
        yield licence, None
    elif isinstance(licence, dict) and isinstance(licence.get("type"), str):
        yield licence["type"], None
    licences = data.get("licenses")
    if isinstance(licences, list):
        types = [item.get("type") for item in licences if isinstance(item, dict)]
        yield from _alternatives([t for t in types if isinstance(t, str)])


def _composer_json(text: str) -> Found:
    licence = json_object(text).get("license")
    if isinstance(licence, str):
        yield licence, None
    elif isinstance(licence, list):
        yield from _alternatives([v for v in licence if isinstance(v, str)])


def _alternatives(values: list[str]) -> Found:
    """A list of licences the user may choose from (composer, npm's old `licenses`, Maven)."""
    if len(values) == 1:
        yield values[0], None
    elif values:
        expressions = [normalise(v) for v in values]
        written = " OR ".join(values)
        yield written, combine_or(expressions) if all(expressions) else None


def json_object(text: str) -> dict[str, object]:
    """A JSON document's top-level object; empty when the text is not one."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def toml_table(text: str) -> dict[str, object]:
    """A TOML document's top-level table; empty when the text is not valid TOML."""
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return {}


def nested_table(data: dict[str, object], *keys: str) -> dict[str, object]:
    """The table at `keys` in a parsed TOML or JSON document; empty when any step is not one."""
    for key in keys:
        value = data.get(key)
        if not isinstance(value, dict):
            return {}
        data = value
    return data


def _pyproject(text: str) -> Found:
    data = toml_table(text)
    project = nested_table(data, "project")
    licence = project.get("license")
    if isinstance(licence, str):
        yield licence, None  # PEP 639: an SPDX expression
    elif isinstance(licence, dict) and isinstance(licence.get("text"), str):
        yield licence["text"], None  # the older table form
    poetry = nested_table(data, "tool", "poetry").get("license")
    if isinstance(poetry, str) and not isinstance(licence, str):
        yield poetry, None


def _cargo(text: str) -> Found:
    for table in ("package", "workspace"):
        section = nested_table(toml_table(text), table)
        if table == "workspace":
            section = nested_table(section, "package")
        licence = section.get("license")
        if isinstance(licence, str):
            yield licence, None
            return


def _setup_cfg(text: str) -> Found:
    import configparser  # here: most repositories have no setup.cfg

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    for key in ("license_expression", "license"):
        value = parser.get("metadata", key, fallback=None)
        if value and value.strip() and not value.strip().startswith("file:"):
            yield value.strip(), None
            return


_DESCRIPTION_LICENCE = re.compile(r"^License:[ \t]*(.+(?:\n[ \t]+.+)*)", re.MULTILINE)


def _r_description(text: str) -> Found:
    found = _DESCRIPTION_LICENCE.search(text)
    if not found:
        return
    value = " ".join(found.group(1).split())
    alternatives = [_R_FILE_CLAUSE.sub("", part).strip() for part in value.split("|")]
    expressions = [_R_LICENCES.get(a.lower()) or normalise(a) for a in alternatives]
    yield value, combine_or(expressions) if all(expressions) else None


_GEMSPEC_LICENCE = linear(
    r"\.licen[cs]es?\s*=\s*(\[[^\]]*\]|%w[\[(][^\])]*[\])]|\"[^\"]*\"|'[^']*')"
)


def _gemspec(text: str) -> Found:
    found = _GEMSPEC_LICENCE.search(text)
    if not found:
        return
    raw = found.group(1)
    if raw.startswith("%w"):
        values = raw[3:-1].split()
    else:
        pairs: list[tuple[str, str]] = re.findall(r"\"([^\"]*)\"|'([^']*)'", raw)
        values = [double or single for double, single in pairs]
    yield from _alternatives([v for v in values if v])


def _pom(text: str) -> Found:
    from xml.etree import ElementTree  # here: most repositories have no pom.xml

    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return
    names = [
        (element.text or "").strip()
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] == "name" and _parent_is_licence(root, element)
    ]
    names = [n for n in names if n]
    # Maven has no SPDX field: a licence name it recognises counts as declared.
    expressions = [normalise(n) or suggest(n) for n in names]
    if len(names) == 1:
        yield names[0], expressions[0]
    elif names:
        yield " OR ".join(names), combine_or(expressions) if all(expressions) else None


def _parent_is_licence(root: ElementTree.Element, child: ElementTree.Element) -> bool:
    for licences in root:
        if licences.tag.rsplit("}", 1)[-1] != "licenses":
            continue
        for licence in licences:
            if child in list(licence):
                return True
    return False


def _publiccode(text: str) -> Found:
    import yaml  # here: only a repository that has the file needs a YAML reader

    # libyaml's safe loader where PyYAML was built with it: six times faster on a large file
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        document = yaml.load(text, Loader=loader)  # a safe loader: no Python objects
    except yaml.YAMLError:
        return
    legal = document.get("legal") if isinstance(document, dict) else None
    licence = legal.get("license") if isinstance(legal, dict) else None
    if isinstance(licence, str) and licence.strip():
        yield licence.strip(), None


_READERS: tuple[tuple[str, Callable[[str], Found]], ...] = (
    ("package.json", _package_json),
    ("pyproject.toml", _pyproject),
    ("setup.cfg", _setup_cfg),
    ("Cargo.toml", _cargo),
    ("DESCRIPTION", _r_description),
    ("composer.json", _composer_json),
    ("*.gemspec", _gemspec),
    ("pom.xml", _pom),
    ("publiccode.yml", _publiccode),
    ("publiccode.yaml", _publiccode),
)
