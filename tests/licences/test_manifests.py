"""Licences declared in manifests, read as data from real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.licences.manifests import declared_licences
from ospo_scan.model import DeclaredLicence
from tests.gitrepos import make_repo
from tests.scanning import local_snapshot


def declared(tmp_path: Path, name: str, content: str) -> tuple[DeclaredLicence, ...]:
    return declared_licences(local_snapshot(make_repo(tmp_path / "repo", {name: content})))


@pytest.mark.parametrize(
    ("name", "content", "value", "expression"),
    [
        ("package.json", '{"name": "a", "license": "MIT"}', "MIT", "MIT"),
        ("package.json", '{"license": {"type": "ISC", "url": "x"}}', "ISC", "ISC"),
        (
            "package.json",
            '{"licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}]}',
            "MIT OR Apache-2.0",
            "MIT OR Apache-2.0",
        ),
        ("pyproject.toml", '[project]\nname = "a"\nlicense = "EUPL-1.2"\n', "EUPL-1.2", "EUPL-1.2"),
        (
            "pyproject.toml",
            '[project]\nname = "a"\nlicense = {text = "BSD-3-Clause"}\n',
            "BSD-3-Clause",
            "BSD-3-Clause",
        ),
        ("pyproject.toml", '[tool.poetry]\nlicense = "MIT"\n', "MIT", "MIT"),
        ("setup.cfg", "[metadata]\nname = a\nlicense = GPL-3.0\n", "GPL-3.0", "GPL-3.0-only"),
        (
            "Cargo.toml",
            '[package]\nname = "a"\nlicense = "MIT OR Apache-2.0"\n',
            "MIT OR Apache-2.0",
            "MIT OR Apache-2.0",
        ),
        ("DESCRIPTION", "Package: a\nLicense: GPL-3\n", "GPL-3", "GPL-3.0-only"),
        ("DESCRIPTION", "Package: a\nLicense: GPL (>= 2)\n", "GPL (>= 2)", "GPL-2.0-or-later"),
        (
            "DESCRIPTION",
            "Package: a\nLicense: MIT + file LICENSE\nEncoding: UTF-8\n",
            "MIT + file LICENSE",
            "MIT",
        ),
        (
            "DESCRIPTION",
            "License: GPL-2 | GPL-3\n",
            "GPL-2 | GPL-3",
            "GPL-2.0-only OR GPL-3.0-only",
        ),
        (
            "composer.json",
            '{"license": "LGPL-2.1-or-later"}',
            "LGPL-2.1-or-later",
            "LGPL-2.1-or-later",
        ),
        (
            "composer.json",
            '{"license": ["MIT", "GPL-2.0-only"]}',
            "MIT OR GPL-2.0-only",
            "MIT OR GPL-2.0-only",
        ),
        ("demo.gemspec", 'Gem::Specification.new do |s|\n  s.license = "MIT"\nend\n', "MIT", "MIT"),
        (
            "demo.gemspec",
            "Gem::Specification.new do |spec|\n  spec.licenses = ['Apache-2.0', 'MIT']\nend\n",
            "Apache-2.0 OR MIT",
            "Apache-2.0 OR MIT",
        ),
        (
            "pom.xml",
            '<project xmlns="http://maven.apache.org/POM/4.0.0"><name>demo</name><licenses>'
            "<license><name>Apache License, Version 2.0</name></license></licenses></project>",
            "Apache License, Version 2.0",
            "Apache-2.0",
        ),
        (
            "publiccode.yml",
            'publiccodeYmlVersion: "0.4"\nname: demo\nlegal:\n  license: AGPL-3.0-or-later\n',
            "AGPL-3.0-or-later",
            "AGPL-3.0-or-later",
        ),
        (
            "publiccode.yml",
            "name: demo\nlegal:\n  repoOwner: Agency\n  mainCopyrightOwner: Agency\n"
            '  license: "EUPL-1.2"  # the one licence\n',
            "EUPL-1.2",
            "EUPL-1.2",
        ),
        ("publiccode.yaml", "legal: {license: MIT, repoOwner: Agency}\n", "MIT", "MIT"),
    ],
)
def test_manifest_licence(
    tmp_path: Path, name: str, content: str, value: str, expression: str
) -> None:
    assert declared(tmp_path, name, content) == (DeclaredLicence(name, value, expression),)


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [
        ("Apache-2", "Apache-2.0"),
        ("GPLv3", "GPL-3.0-only"),
        ("GPLv3+", "GPL-3.0-or-later"),
        ("MIT License", "MIT"),
        ("BSD 3-Clause", "BSD-3-Clause"),
        ("Proprietary", None),
    ],
)
def test_invalid_values_come_with_a_suggestion(
    tmp_path: Path, value: str, suggestion: str | None
) -> None:
    content = f'{{"name": "a", "license": "{value}"}}'
    assert declared(tmp_path, "package.json", content) == (
        DeclaredLicence("package.json", value, None, suggestion),
    )


def test_npm_conventions(tmp_path: Path) -> None:
    pointer = '{"name": "a", "license": "SEE LICENSE IN LICENSE.txt"}'
    assert declared(tmp_path / "pointer", "package.json", pointer) == ()
    closed = '{"name": "a", "license": "UNLICENSED"}'
    assert declared(tmp_path / "closed", "package.json", closed) == (
        DeclaredLicence("package.json", "UNLICENSED", "LicenseRef-scancode-proprietary-license"),
    )


def test_malformed_manifests_declare_nothing(tmp_path: Path) -> None:
    files = {
        "package.json": "{not json",
        "pyproject.toml": "[project\nlicense =",
        "pom.xml": "<project><licenses>",
        "Cargo.toml": '[package]\nname = "a"\n',
    }
    assert declared_licences(local_snapshot(make_repo(tmp_path / "r", files))) == ()


def test_gemspec_is_read_as_text_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    gemspec = (
        f'File.write("{marker}", "x")\nGem::Specification.new do |s|\n  s.license = "MIT"\nend\n'
    )
    assert [d.expression for d in declared(tmp_path, "x.gemspec", gemspec)] == ["MIT"]
    assert not marker.exists()


def test_a_publiccode_file_made_to_backtrack_is_read_at_once(tmp_path: Path) -> None:
    """941 bytes: forty indented lines under `legal:` and no `license:`. The pattern that read
    it before backtracked exponentially and held the scan for minutes."""
    content = "legal:\n" + "".join(
        f"  {' ' * 12}note{index:02}: {'x' * 3}\n" for index in range(40)
    )
    content = content[:941]
    assert declared(tmp_path / "hostile", "publiccode.yml", content) == ()
    assert declared(tmp_path / "not-yaml", "publiccode.yml", content + "\t:\n[") == ()
    nested = "legal:\n  authorsFile: AUTHORS\n  license: MIT\nlicense: GPL-3.0-only\n"
    assert declared(tmp_path / "top-level", "publiccode.yml", nested) == (
        DeclaredLicence("publiccode.yml", "MIT", "MIT"),
    )
