"""The OpenSSF OSPS Baseline as a framework: generated from the Baseline's own YAML, loaded
through the framework loader with each control's level and family."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import tomllib

from ospo_scan.config.frameworks import frameworks_dir, load_framework, parse_framework
from scripts import generate_osps_baseline as generator

FAMILIES = {
    "AC": "Access Control",
    "BR": "Build and Release",
    "DO": "Documentation",
    "GV": "Governance",
    "LE": "Legal",
    "QA": "Quality",
    "SA": "Security Assessment",
    "VM": "Vulnerability Management",
}


def test_the_baseline_loads_with_its_version_and_source() -> None:
    framework = load_framework("osps-baseline")
    assert framework is not None
    assert framework.version == "2026.02.19"
    assert framework.url == "https://baseline.openssf.org/versions/2026-02-19"
    header = (frameworks_dir() / "osps-baseline.toml").read_text(encoding="utf-8")
    assert "https://github.com/ossf/security-baseline, tag v2026.02.19" in header
    assert generator.COMMIT in header
    assert "Apache-2.0" in header


def test_64_controls_24_at_level_1_19_at_level_2_21_at_level_3() -> None:
    framework = load_framework("osps-baseline")
    assert framework is not None
    assert len(framework.items) == 64
    assert Counter(item.level for item in framework.items) == {1: 24, 2: 19, 3: 21}


def test_control_ids_are_unique_well_formed_and_in_their_family() -> None:
    framework = load_framework("osps-baseline")
    assert framework is not None
    ids = [item.id for item in framework.items]
    assert len(set(ids)) == len(ids)
    assert ids[0] == "OSPS-AC-01.01"
    assert ids == sorted(ids)
    for item in framework.items:
        match = re.fullmatch(r"OSPS-([A-Z]{2})-\d{2}\.\d{2}", item.id)
        assert match, item.id
        assert item.group == FAMILIES[match.group(1)]
        assert "MUST" in item.title
        assert "\n" not in item.title
        assert item.meaning
        assert "\n" not in item.meaning
    assert {item.group for item in framework.items} == set(FAMILIES.values())
    assert "OSPS-BR-01.02" not in ids  # retired before this version


def test_known_controls_carry_the_published_text_and_lowest_level() -> None:
    framework = load_framework("osps-baseline")
    assert framework is not None
    mfa = framework.item("OSPS-AC-01.01")
    assert mfa is not None
    assert mfa.title == (
        "When a user attempts to read or modify a sensitive resource in the project's"
        " authoritative repository, the system MUST require the user to complete a"
        " multi-factor authentication process"
    )
    assert mfa.meaning.startswith("Use MFA for Sensitive Actions: Reduce the risk")
    assert (mfa.level, mfa.group) == (1, "Access Control")
    contacts = framework.item("OSPS-VM-02.01")
    assert contacts is not None
    assert (
        contacts.title == "While active, the project documentation MUST contain security contacts"
    )
    assert contacts.meaning.startswith(
        "Publish Contacts and Process for Reporting Vulnerabilities:"
    )
    secrets_policy = framework.item("OSPS-BR-07.02")
    assert secrets_policy is not None
    assert secrets_policy.title == (
        "The project MUST define a policy for managing secrets and credentials used by the project"
    )
    assert secrets_policy.level == 3


def test_the_shipped_file_is_exactly_the_generators_output() -> None:
    path = frameworks_dir() / "osps-baseline.toml"
    shipped = tomllib.loads(path.read_text(encoding="utf-8"))
    controls = [generator.Control(**item) for item in shipped["items"]]
    assert generator.render(controls, generator.COMMIT) == path.read_text(encoding="utf-8")


FAMILY_YAML = """\
title: Build and Release
description: |
  Build and release.
controls:
  - id: OSPS-BR-01
    title: |
      Prevent Untrusted Input
    objective: |
      Reduce the risk of
      code injection.
    assessment-requirements:
      - id: OSPS-BR-01.01
        text: |
          When a pipeline operates on untrusted metadata,
          those parameters MUST be sanitized. The policy should say how.
        applicability:
          - Maturity Level 1
          - Maturity Level 2
          - Maturity Level 3
      - id: OSPS-BR-01.02
        text: |
          Retired in https://github.com/ossf/security-baseline/pull/443
        applicability:
          - retired
      - id: OSPS-BR-01.03
        text: |
          Code snapshots MUST NOT reach "privileged" credentials.
        applicability:
          - Maturity Level 3
"""


def write_baseline(directory: Path, family_yaml: str) -> Path:
    for family in generator.FAMILIES:
        text = family_yaml if family == "BR" else f"title: {family}\ncontrols: []\n"
        (directory / f"OSPS-{family}.yaml").write_text(text, encoding="utf-8")
    return directory


def test_the_generator_writes_a_framework_the_loader_reads(tmp_path: Path) -> None:
    output = tmp_path / "osps-baseline.toml"
    generator.main(write_baseline(tmp_path, FAMILY_YAML), output, "0" * 40)
    framework = parse_framework(output)
    assert [(i.id, i.title, i.meaning, i.level, i.group) for i in framework.items] == [
        (
            "OSPS-BR-01.01",
            "When a pipeline operates on untrusted metadata, those parameters MUST be sanitized",
            "Prevent Untrusted Input: Reduce the risk of code injection.",
            1,
            "Build and Release",
        ),
        (
            "OSPS-BR-01.03",
            'Code snapshots MUST NOT reach "privileged" credentials',
            "Prevent Untrusted Input: Reduce the risk of code injection.",
            3,
            "Build and Release",
        ),
    ]
    assert "commit " + "0" * 40 in output.read_text(encoding="utf-8")
    first = output.read_text(encoding="utf-8")
    generator.main(tmp_path, output, "0" * 40)
    assert output.read_text(encoding="utf-8") == first


def test_the_generator_refuses_an_unknown_applicability(tmp_path: Path) -> None:
    broken = FAMILY_YAML.replace("- Maturity Level 3\n", "- Maturity Level 4\n", 1)
    with pytest.raises(ValueError, match=r"OSPS-BR-01\.01: unexpected applicability"):
        generator.main(write_baseline(tmp_path, broken), tmp_path / "out.toml")
