"""A repository's licence from real git repositories: files, README, manifests, host facts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ospo_scan.licences import LicenceAnalysis, LicencePolicy, analyse
from ospo_scan.model import EvidenceSource
from ospo_scan.snapshot import HostFacts, RepoMetadata
from tests.gitrepos import Symlink, make_repo
from tests.licences.texts import MIT_TITLED, scancode_text, with_copyright
from tests.scanning import local_snapshot

APACHE = scancode_text("apache-2.0")
POLICY = LicencePolicy()


def analysed(path: Path, files: dict[str, str | Symlink]) -> LicenceAnalysis:
    return analyse(local_snapshot(make_repo(path, files)), POLICY)


def test_licence_file_names_in_all_their_forms(tmp_path: Path) -> None:
    cases = {
        "LICENSE": "MIT",
        "LICENCE.md": "MIT",
        "license.txt": "MIT",
        "COPYING": "GPL-3.0-only",
        "COPYING.LESSER": "LGPL-3.0-only",
        "MIT-LICENSE": "MIT",
        "UNLICENSE": "Unlicense",
        "License.rst": "MIT",
    }
    texts = {
        "MIT": MIT_TITLED,
        "GPL-3.0-only": scancode_text("gpl-3.0"),
        "LGPL-3.0-only": scancode_text("lgpl-3.0"),
        "Unlicense": scancode_text("unlicense"),
    }
    for number, (name, expected) in enumerate(cases.items()):
        analysis = analysed(tmp_path / f"repo{number}", {name: texts[expected]})
        assert (analysis.expression, [f.path for f in analysis.files]) == (expected, [name])
        assert analysis.expression_source is EvidenceSource.REPOSITORY


def test_lgpl3_with_the_gpl3_text_it_builds_on_is_lgpl3(tmp_path: Path) -> None:
    analysis = analysed(
        tmp_path / "r",
        {"COPYING": scancode_text("gpl-3.0"), "COPYING.LESSER": scancode_text("lgpl-3.0")},
    )
    assert analysis.expression == "LGPL-3.0-only"
    assert analysis.notes == (
        "the GNU GPL v3 text beside the LGPL v3 is the licence LGPL-3.0 builds on, "
        "not a licence of its own",
    )
    assert [f.expression for f in analysis.files] == ["GPL-3.0-only", "LGPL-3.0-only"]


def test_gpl2_beside_lgpl21_applies_together(tmp_path: Path) -> None:
    analysis = analysed(
        tmp_path / "r",
        {"COPYING": scancode_text("gpl-2.0"), "COPYING.LIB": scancode_text("lgpl-2.1")},
    )
    assert analysis.expression == "GPL-2.0-only AND LGPL-2.1-only"


def test_two_licence_files_apply_together_unless_a_choice_is_offered(tmp_path: Path) -> None:
    files: dict[str, str | Symlink] = {"LICENSE-MIT": MIT_TITLED, "LICENSE-APACHE": APACHE}
    together = analysed(tmp_path / "and", files)
    assert together.expression == "Apache-2.0 AND MIT"

    cargo = '[package]\nname = "x"\nversion = "0.1.0"\nlicense = "MIT OR Apache-2.0"\n'
    by_manifest = analysed(tmp_path / "cargo", {**files, "Cargo.toml": cargo})
    assert by_manifest.expression == "Apache-2.0 OR MIT"
    assert [d.expression for d in by_manifest.declared] == ["MIT OR Apache-2.0"]

    readme = (
        "# x\n\n## License\n\nLicensed under either of Apache License 2.0 or MIT, at your option.\n"
    )
    by_readme = analysed(tmp_path / "readme", {**files, "README.md": readme})
    assert by_readme.expression == "Apache-2.0 OR MIT"


def test_reuse_licenses_directory(tmp_path: Path) -> None:
    analysis = analysed(
        tmp_path / "reuse",
        {
            "LICENSES/Apache-2.0.txt": APACHE,
            "LICENSES/CC-BY-4.0.txt": scancode_text("cc-by-4.0"),
            "LICENSES/LicenseRef-Internal.txt": "Internal terms: ask legal@example.org.\n",
        },
    )
    assert analysis.expression == "Apache-2.0 AND CC-BY-4.0 AND LicenseRef-Internal"
    internal = analysis.files[-1]
    assert internal.path == "LICENSES/LicenseRef-Internal.txt"
    assert internal.note == (
        "licence taken from the file name (LicenseRef-Internal.txt); its text is not one"
    )


def test_licence_only_in_readme_or_manifest_is_still_reported(tmp_path: Path) -> None:
    readme = (
        "# Tool\n\nLicense\n=======\n\nThis project is released under the BSD 3-Clause License.\n"
    )
    by_readme = analysed(tmp_path / "readme", {"README.md": readme})
    assert by_readme.files == ()
    assert (by_readme.expression, by_readme.expression_source) == (
        "BSD-3-Clause",
        EvidenceSource.README,
    )
    assert by_readme.readme_path == "README.md"

    package = '{"name": "tool", "license": "ISC"}'
    by_manifest = analysed(tmp_path / "manifest", {"package.json": package})
    assert (by_manifest.expression, by_manifest.expression_source) == (
        "ISC",
        EvidenceSource.MANIFEST,
    )


def test_r_package_with_stub_licence_and_full_text(tmp_path: Path) -> None:
    analysis = analysed(
        tmp_path / "rpkg",
        {
            "DESCRIPTION": "Package: demo\nVersion: 0.1\nLicense: MIT + file LICENSE\n",
            "LICENSE": "YEAR: 2023\nCOPYRIGHT HOLDER: demo authors\n",
            "LICENSE.md": "# MIT License\n\n" + with_copyright(scancode_text("mit")),
        },
    )
    assert analysis.expression == "MIT"
    stub = next(f for f in analysis.files if f.path == "LICENSE")
    assert stub.completes_declared
    assert stub.expression is None
    assert analysis.unidentified_files == ()
    assert [(d.value, d.expression) for d in analysis.declared] == [("MIT + file LICENSE", "MIT")]


def test_unreadable_candidates_are_reported_not_fatal(tmp_path: Path) -> None:
    analysis = analysed(
        tmp_path / "odd",
        {"LICENSE": Symlink("/etc/hostname"), "COPYING": "", "LICENSE.txt": MIT_TITLED},
    )
    notes = {f.path: f.note for f in analysis.files}
    assert notes["LICENSE"] == "symbolic link out of the repository"
    assert notes["COPYING"] == "empty or unreadable"
    assert analysis.expression == "MIT"


def test_host_detection_agreement_is_noted(tmp_path: Path) -> None:
    snapshot = local_snapshot(make_repo(tmp_path / "r", {"LICENSE": APACHE}))

    def with_host(value: str) -> tuple[str, ...]:
        metadata = RepoMetadata(host=HostFacts(licence_spdx=value))
        return analyse(dataclasses.replace(snapshot, metadata=metadata), POLICY).notes

    assert with_host("Apache-2.0") == ("the host's own detection agrees: Apache-2.0",)
    assert with_host("MIT") == (
        "the host detects MIT, the licence files read here carry Apache-2.0",
    )
    assert with_host("NOASSERTION") == ()


def test_summary_reports_declared_and_approval(tmp_path: Path) -> None:
    analysis = analysed(
        tmp_path / "r",
        {"LICENSE": APACHE, "pyproject.toml": '[project]\nname = "x"\nlicense = "Apache-2"\n'},
    )
    summary = analysis.summary(POLICY)
    assert summary.expression == "Apache-2.0"
    assert summary.files == ("LICENSE",)
    assert summary.approved is True
    (declared,) = summary.declared
    assert (declared.value, declared.expression, declared.suggestion) == (
        "Apache-2",
        None,
        "Apache-2.0",
    )
    narrow = LicencePolicy(approved=frozenset({"MIT"}), lists=("custom",))
    assert analysis.summary(narrow).approved is False


def test_gnu_text_is_or_later_when_the_project_declares_it(tmp_path: Path) -> None:
    readme = (
        "# Tool\n\n## Licence\n\nThis program is free software: you can redistribute it under "
        "the terms of the GPL-3.0-or-later.\n"
    )
    declared_later = analysed(
        tmp_path / "later", {"COPYING": scancode_text("gpl-3.0"), "README.md": readme}
    )
    assert declared_later.expression == "GPL-3.0-or-later"
    assert declared_later.notes == (
        "the GPL-3.0 text carries no version choice; the project declares GPL-3.0-or-later",
    )
    silent = analysed(tmp_path / "silent", {"COPYING": scancode_text("gpl-3.0")})
    assert silent.expression == "GPL-3.0-only"
