"""Licence files that a manifest or the README points to and the repository does not hold:
npm's `SEE LICENSE IN LICENSE.txt`, pyproject's `license = {file = ...}`, setup.cfg's
`file:`, R's `+ file LICENSE`, a README's link to `LICENSE`."""

from __future__ import annotations

import configparser
import json
import re

from ospo_scan._compat import tomllib
from ospo_scan.licences.readme import licence_section
from ospo_scan.snapshot import EntryKind, Snapshot
from ospo_scan.untrusted.linear_regex import linear

_NPM_SEE_FILE = linear(r"^\s*SEE LICEN[CS]E IN\s+(\S{1,200})", re.IGNORECASE)
_R_FILE = linear(r"^License:[^\n]*?[^\w]file[ \t]+(LICEN[CS]E[\w.-]*)", re.MULTILINE)
_README_LINK = linear(
    r"\]\(\s*(?:\./)?((?:[\w.-]+/){0,3}(?:LICEN[CS]E|COPYING)[\w.-]*)\s*\)"
    r"|(?:^|[^\w/.-])(LICEN[CS]E|COPYING)(?:\.(?:md|txt|rst))?[`*_]*\s+file",
    re.IGNORECASE,
)
"""A Markdown link to a licence file (`[LICENSE](LICENSE)`), or "the LICENSE file" in words."""


def dangling_pointers(snapshot: Snapshot) -> tuple[str, ...]:
    """`package.json points to LICENSE.txt` for each pointer whose file is not there."""
    found: list[str] = []
    for where, target in _pointers(snapshot):
        if _missing(snapshot, target):
            found.append(f"{where} points to {target}, which does not exist")
    return tuple(dict.fromkeys(found))


def _pointers(snapshot: Snapshot) -> list[tuple[str, str]]:
    pointers: list[tuple[str, str]] = []
    for name, reader in _MANIFEST_POINTERS:
        entry = snapshot.find_file(name)
        text = snapshot.read_text(entry.path) if entry else None
        if entry is None or text is None or text.binary:
            continue
        pointers.extend((entry.path, target) for target in reader(text.text) if target)
    section = licence_section(snapshot)
    if section is not None:
        for link in _README_LINK.finditer(section.text):
            pointers.append((section.path, link.group(1) or link.group(2)))
    return pointers


def _missing(snapshot: Snapshot, target: str) -> bool:
    """Whether a pointed-to file is surely absent: its directory is listed and holds no file of
    that name (`LICENSE` is also met by `LICENSE.md`, `LICENSE.txt`)."""
    path = target.strip().removeprefix("./")
    if "://" in path or path.startswith(("/", "#", "..")):
        return False
    directory, _, name = path.rpartition("/")
    if directory and directory not in snapshot.listings:
        return False
    wanted = _spelling(name)
    return not any(
        e.kind is EntryKind.FILE
        and (_spelling(e.name) == wanted or _spelling(e.name).startswith(f"{wanted}."))
        for e in snapshot.entries(directory)
    )


def _spelling(name: str) -> str:
    """A file name with LICENCE and LICENSE made one: a README saying "the LICENSE file" beside a
    LICENCE file points to it."""
    return name.lower().replace("licence", "license")


def _package_json(text: str) -> list[str]:
    try:
        licence = json.loads(text).get("license")
    except (ValueError, AttributeError, RecursionError):
        return []
    found = _NPM_SEE_FILE.match(licence) if isinstance(licence, str) else None
    return [found.group(1)] if found else []


def _pyproject(text: str) -> list[str]:
    try:
        project = tomllib.loads(text).get("project", {})
    except (tomllib.TOMLDecodeError, RecursionError):
        return []
    licence = project.get("license") if isinstance(project, dict) else None
    target = licence.get("file") if isinstance(licence, dict) else None
    return [target] if isinstance(target, str) else []


def _setup_cfg(text: str) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    value = parser.get("metadata", "license", fallback="") or ""
    files = value.strip().removeprefix("file:").strip()
    return files.replace(",", " ").split() if value.strip().startswith("file:") else []


def _description(text: str) -> list[str]:
    found = _R_FILE.search(text)
    return [found.group(1)] if found else []


_MANIFEST_POINTERS = (
    ("package.json", _package_json),
    ("pyproject.toml", _pyproject),
    ("setup.cfg", _setup_cfg),
    ("DESCRIPTION", _description),
)
