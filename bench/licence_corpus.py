"""Licence detection accuracy on a corpus built from what is installable, next to licensee.

    python bench/licence_corpus.py [--licensee-sample 120] [--scancode]

Corpora, each case a real git repository scanned by `analyse` (ospo-scan's own path: only
licence candidates, README licence section and manifests are read):

- `scancode`: every SPDX-listed licence text in scancode-toolkit's data, as a project carries
  it (a title and a copyright line above the text);
- `debian`: the licence texts in /usr/share/common-licenses;
- `choosealicense`: the templates licensee itself ships (choosealicense.com), placeholders filled;
- `layouts`: whole-repository layouts seen in the wild (several files, summaries, preambles,
  bundled notices, README-only and manifest-only licences, edited texts, R packages);
- `un`: licence files as UN-system entities publish them (IGO licences, emblem exclusions,
  bundled notices, code and content sections, HTML pages, restrictions inserted);
- `edited`: common licences edited as projects edit them (a word renamed throughout, a sentence
  deleted or inserted, the text re-wrapped as a quotation).

Licensee (`licensee detect --json`, Debian's ruby-licensee) runs on the same repositories as a
second opinion (on a sample of the large `scancode` corpus); `--scancode` also asks scancode's
full index about every licence file of the `layouts` corpus. A licensee answer counts as right
when it names the same set of licences (it has no AND/OR); ospo-scan must give the exact SPDX
expression.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import licensedcode
from licence_layouts import LAYOUTS  # beside this script

from ospo_scan.licences import LicencePolicy, analyse
from ospo_scan.licences.scancode import full_index_expressions, to_spdx
from ospo_scan.licences.spdx import combine_and, licence_ids, normalise
from tests.gitrepos import make_repo
from tests.licences.texts import scancode_text, with_copyright
from tests.licences.un_texts import UN_LAYOUTS
from tests.scanning import local_snapshot

COMMON_LICENSES = {
    "Apache-2.0": "Apache-2.0",
    "Artistic": "Artistic-1.0-Perl",
    "BSD": "BSD-3-Clause",
    "CC0-1.0": "CC0-1.0",
    "GFDL-1.2": "GFDL-1.2-only",
    "GFDL-1.3": "GFDL-1.3-only",
    "GPL-1": "GPL-1.0-only",
    "GPL-2": "GPL-2.0-only",
    "GPL-3": "GPL-3.0-only",
    "LGPL-2": "LGPL-2.0-only",
    "LGPL-2.1": "LGPL-2.1-only",
    "LGPL-3": "LGPL-3.0-only",
    "MPL-1.1": "MPL-1.1",
    "MPL-2.0": "MPL-2.0",
}
CHOOSEALICENSE = Path(
    "/usr/share/rubygems-integration/all/gems/licensee-9.15.2/vendor/choosealicense.com/_licenses"
)
PLACEHOLDERS = {
    "[year]": "2024",
    "[fullname]": "Example Org",
    "[email]": "legal@example.org",
    "[project]": "Example",
    "[projecturl]": "https://example.org",
    "[login]": "example",
}


@dataclass(frozen=True)
class Case:
    corpus: str
    name: str
    files: dict[str, str]
    expected: str


def scancode_cases() -> Iterator[Case]:
    data = Path(licensedcode.__file__).parent / "data" / "licenses"
    for path in sorted(data.glob("*.LICENSE")):
        header, _, _ = path.read_text(encoding="utf-8").partition("\n---\n")
        if "is_deprecated: yes" in header or "is_exception: yes" in header:
            continue
        spdx = re.search(r"^spdx_license_key: (\S+)$", header, re.MULTILINE)
        name = re.search(r"^name: (.+)$", header, re.MULTILINE)
        if not spdx or spdx.group(1).startswith("LicenseRef-") or not name:
            continue
        text = scancode_text(path.stem)
        if len(text.split()) < 20:
            continue
        licence = f"{name.group(1)}\n\nCopyright (c) 2024 Example Org\n\n{text}"
        yield Case("scancode", path.stem, {"LICENSE": licence}, normalise(spdx.group(1)) or "")


def debian_cases() -> Iterator[Case]:
    for name, expected in COMMON_LICENSES.items():
        path = Path("/usr/share/common-licenses") / name
        if path.is_file():
            yield Case("debian", name, {"COPYING": path.read_text(encoding="utf-8")}, expected)


def choosealicense_cases() -> Iterator[Case]:
    for path in sorted(CHOOSEALICENSE.glob("*.txt")):
        _, header, body = path.read_text(encoding="utf-8").split("---\n", 2)
        spdx = re.search(r"^spdx-id: (\S+)$", header, re.MULTILINE)
        if not spdx:
            continue
        for placeholder, value in PLACEHOLDERS.items():
            body = body.replace(placeholder, value)
        yield Case("choosealicense", path.stem, {"LICENSE": body}, normalise(spdx.group(1)) or "")


EDITED = {
    "mit": "MIT", "apache-2.0": "Apache-2.0", "bsd-simplified": "BSD-2-Clause",
    "bsd-new": "BSD-3-Clause", "isc": "ISC", "gpl-2.0": "GPL-2.0-only", "gpl-3.0": "GPL-3.0-only",
    "lgpl-2.1": "LGPL-2.1-only", "lgpl-3.0": "LGPL-3.0-only", "agpl-3.0": "AGPL-3.0-only",
    "mpl-2.0": "MPL-2.0", "epl-2.0": "EPL-2.0", "eupl-1.2": "EUPL-1.2", "unlicense": "Unlicense",
    "zlib": "Zlib", "boost-1.0": "BSL-1.0", "cc-by-4.0": "CC-BY-4.0",
    "cc-by-sa-4.0": "CC-BY-SA-4.0", "cc0-1.0": "CC0-1.0", "artistic-2.0": "Artistic-2.0",
    "upl-1.0": "UPL-1.0",
    "ms-pl": "MS-PL", "uoi-ncsa": "NCSA", "postgresql": "PostgreSQL", "afl-3.0": "AFL-3.0",
}  # fmt: skip
"""Common licences, by scancode key, edited the ways projects edit them."""
INSERTED = "This copy was prepared for the Example project and reformatted by its maintainers. "


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;:])\s+", text)


def edits(text: str) -> dict[str, str]:
    sentences = _sentences(text)
    middle = len(sentences) // 2
    deleted = " ".join(sentences[:middle] + sentences[middle + 1 :])
    inserted = " ".join([*sentences[:middle], INSERTED, *sentences[middle:]])
    wrapped = "\n".join(f"> {line}" for line in textwrap.wrap(" ".join(text.split()), 60))
    return {
        "renamed": re.sub(r"\bSoftware\b", "Library", text),
        "sentence-deleted": deleted,
        "sentence-inserted": inserted,
        "rewrapped-quoted": wrapped,
    }


def edited_cases() -> Iterator[Case]:
    for key, spdx in EDITED.items():
        for edit, text in edits(scancode_text(key)).items():
            yield Case("edited", f"{key}/{edit}", {"LICENSE": with_copyright(text)}, spdx)


def layout_cases() -> Iterator[Case]:
    for name, (files, expected) in LAYOUTS.items():
        yield Case("layouts", name, files, expected)


def un_cases() -> Iterator[Case]:
    for name, (files, expected) in UN_LAYOUTS.items():
        yield Case("un", name, files, expected)


def licensee_answer(repo: Path) -> set[str] | None:
    completed = subprocess.run(
        ["licensee", "detect", "--json", str(repo)], capture_output=True, text=True, check=False
    )
    try:
        document = json.loads(completed.stdout)
    except ValueError:
        return None
    ids = {item["spdx_id"] for item in document.get("licenses", [])}
    ids.discard("NOASSERTION")
    return {normalise(i) or i for i in ids} or None


def scancode_answer(repo: Path, files: dict[str, str]) -> str | None:
    expressions = []
    for name in files:
        text = (repo / name).read_text(encoding="utf-8")
        found = [normalise(to_spdx(e)) for e in full_index_expressions(text)]
        expressions.append(combine_and(found))
    return combine_and(expressions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--licensee-sample", type=int, default=120)
    parser.add_argument("--scancode", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--no-licensee", action="store_true", help="ospo-scan's answers only")
    arguments = parser.parse_args()
    cases = [
        *scancode_cases(),
        *debian_cases(),
        *choosealicense_cases(),
        *layout_cases(),
        *un_cases(),
        *edited_cases(),
    ]
    random.seed(7)
    scancode_corpus = [c for c in cases if c.corpus == "scancode"]
    sampled = {c.name for c in random.sample(scancode_corpus, arguments.licensee_sample)}
    has_licensee = shutil.which("licensee") is not None and not arguments.no_licensee
    totals: dict[str, dict[str, int]] = {}
    misses: list[str] = []
    elapsed = 0.0
    methods: dict[str, int] = {}
    full_index: list[str] = []
    with tempfile.TemporaryDirectory(prefix="licence-corpus-") as scratch:
        for number, case in enumerate(cases):
            repo = make_repo(Path(scratch) / f"case-{number}", case.files)
            start = time.perf_counter()
            analysis = analyse(local_snapshot(repo), LicencePolicy())
            found = analysis.expression
            elapsed += time.perf_counter() - start
            for item in analysis.files:
                methods[item.method or "none"] = methods.get(item.method or "none", 0) + 1
            if any(item.method == "scancode-index" for item in analysis.files):
                full_index.append(
                    f"{case.corpus}/{case.name} ({'right' if found == case.expected else 'wrong'})"
                )
            row = totals.setdefault(
                case.corpus,
                {"cases": 0, "ospo": 0, "licensee_cases": 0, "licensee": 0, "scancode": 0},
            )
            row["cases"] += 1
            right = found == case.expected
            row["ospo"] += right
            if not right:
                misses.append(f"{case.corpus}/{case.name}: expected {case.expected}, got {found}")
            if has_licensee and (case.corpus != "scancode" or case.name in sampled):
                row["licensee_cases"] += 1
                answer = licensee_answer(repo)
                row["licensee"] += answer == set(licence_ids(case.expected))
            if arguments.scancode and case.corpus == "layouts":
                row["scancode"] += scancode_answer(repo, case.files) == case.expected
            shutil.rmtree(repo)
    print("| corpus | cases | ospo-scan right | licensee right (cases asked) |", end="")
    print(" scancode full index right |" if arguments.scancode else "")
    print("|---|---|---|---|" + ("---|" if arguments.scancode else ""))
    for corpus, row in totals.items():
        line = (
            f"| {corpus} | {row['cases']} | {row['ospo']} | "
            f"{row['licensee']} ({row['licensee_cases']}) |"
        )
        if arguments.scancode:
            line += f" {row['scancode'] if corpus == 'layouts' else '-'} |"
        print(line)
    print(f"\nospo-scan analysis time: {elapsed:.1f} s for {len(cases)} repositories")
    print(f"licence files by method: {methods}")
    print(f"cases that loaded scancode's full index: {', '.join(full_index) or 'none'}")
    if arguments.show_misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
