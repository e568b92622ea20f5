"""Write rules/frameworks/osps-baseline.toml from the OpenSSF OSPS Baseline's own data.

The controls live in the `ossf/security-baseline` repository, one YAML file per family
(`baseline/OSPS-AC.yaml` ... `OSPS-VM.yaml`). Check out the release tag and point this script at
its `baseline/` directory; run from the repository root:

    git clone --branch v2026.02.19 https://github.com/ossf/security-baseline
    python scripts/generate_osps_baseline.py security-baseline/baseline [COMMIT]

Each assessment requirement (`OSPS-AC-01.01`) becomes one item: its title is the requirement's
text (its first sentence, on one line), its meaning the control's title and objective, its level
the lowest maturity level it applies at, its group the family. Retired requirements are left out.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

VERSION = "2026.02.19"
TAG = "v2026.02.19"
COMMIT = "e67ae247ebfb2fd758c9d186335e60cad0a74e78"
"""The commit the release tag points at."""
REPOSITORY = "https://github.com/ossf/security-baseline"
URL = "https://baseline.openssf.org/versions/2026-02-19"
LICENCE = "Apache-2.0"
"""The licence of the `ossf/security-baseline` repository (its LICENSE file)."""

FAMILIES = ("AC", "BR", "DO", "GV", "LE", "QA", "SA", "VM")
"""The eight families, one YAML file each, in published order."""

_REQUIREMENT_ID = re.compile(r"^OSPS-[A-Z]{2}-\d{2}\.\d{2}$")
_LEVEL = re.compile(r"^Maturity Level ([123])$")
_FIRST_SENTENCE = re.compile(r"^(.+?\.)(?:\s+[A-Z].*)?$")


@dataclass(frozen=True)
class Control:
    """One assessment requirement of the Baseline, as a framework item."""

    id: str
    """The requirement's id, `OSPS-AC-01.01`."""
    title: str
    """The requirement's text, first sentence, on one line."""
    meaning: str
    """The control's title and objective, on one line."""
    level: int
    """The lowest maturity level the requirement applies at."""
    group: str
    """The family's title, e.g. "Access Control"."""


def one_line(text: str) -> str:
    return " ".join(text.split())


def requirement_title(text: str) -> str:
    """The requirement's first sentence without its full stop: later sentences only advise."""
    line = one_line(text)
    match = _FIRST_SENTENCE.match(line)
    return (match.group(1) if match else line).rstrip(".")


def lowest_level(requirement_id: str, applicability: list[str]) -> int | None:
    """The lowest level a requirement applies at; None for a retired one."""
    if applicability == ["retired"]:
        return None
    levels = []
    for entry in applicability:
        match = _LEVEL.match(entry)
        if not match:
            raise ValueError(f"{requirement_id}: unexpected applicability {entry!r}")
        levels.append(int(match.group(1)))
    if not levels:
        raise ValueError(f"{requirement_id}: no applicability")
    return min(levels)


def family_controls(family: Mapping[str, Any]) -> Iterator[Control]:
    group = one_line(family["title"])
    for control in family["controls"]:
        meaning = f"{one_line(control['title']).rstrip('.')}: {one_line(control['objective'])}"
        for requirement in control["assessment-requirements"]:
            requirement_id = requirement["id"]
            if not _REQUIREMENT_ID.match(requirement_id):
                raise ValueError(f"unexpected requirement id {requirement_id!r}")
            level = lowest_level(requirement_id, requirement["applicability"])
            if level is None:
                continue
            yield Control(
                id=requirement_id,
                title=requirement_title(requirement["text"]),
                meaning=meaning,
                level=level,
                group=group,
            )


def read_controls(baseline_dir: Path) -> list[Control]:
    controls: list[Control] = []
    for family in FAMILIES:
        path = baseline_dir / f"OSPS-{family}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        controls.extend(family_controls(data))
    return controls


def _string(value: str) -> str:
    """A TOML basic string: JSON's escaping is valid TOML for these texts."""
    return json.dumps(value, ensure_ascii=False)


def render(controls: list[Control], commit: str) -> str:
    counts = [sum(1 for c in controls if c.level == level) for level in (1, 2, 3)]
    lines = [
        "# The Open Source Project Security Baseline (OSPS Baseline) of the OpenSSF, version",
        f"# {VERSION}: every assessment requirement is one item, with the lowest maturity level it",
        "# applies at and its family. Titles are the requirements' text (first sentence); meanings",
        "# the controls' titles and objectives. Retired requirements are left out.",
        f"# {len(controls)} controls: {counts[0]} at level 1, {counts[1]} more at level 2,"
        f" {counts[2]} more at level 3.",
        "#",
        f"# Source: {REPOSITORY}, tag {TAG},",
        f"# commit {commit}, baseline/OSPS-*.yaml;",
        f"# data licensed {LICENCE} (the repository's LICENSE).",
        "# Generated by scripts/generate_osps_baseline.py; do not edit by hand.",
        "",
        'id = "osps-baseline"',
        'title = "OpenSSF Open Source Project Security Baseline"',
        f'version = "{VERSION}"',
        f'url = "{URL}"',
    ]
    for control in controls:
        lines += [
            "",
            "[[items]]",
            f"id = {_string(control.id)}",
            f"title = {_string(control.title)}",
            f"meaning = {_string(control.meaning)}",
            f"level = {control.level}",
            f"group = {_string(control.group)}",
        ]
    return "\n".join(lines) + "\n"


def main(baseline_dir: Path, output: Path, commit: str = COMMIT) -> None:
    output.write_text(render(read_controls(baseline_dir), commit), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: generate_osps_baseline.py BASELINE-DIR [COMMIT]")
    main(
        Path(sys.argv[1]),
        Path("rules/frameworks/osps-baseline.toml"),
        *sys.argv[2:],
    )
