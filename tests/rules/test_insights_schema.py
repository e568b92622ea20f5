"""The shipped Security Insights schemas: the translation of the specification's CUE, pinned to
the CUE files and to the templates and examples each release published."""

from __future__ import annotations

import json
from copy import deepcopy
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from ospo_scan.rules._insights import SCHEMA_VERSIONS, _validator, validate_insights
from ospo_scan.untrusted.yaml_data import load_yaml
from scripts import translate_security_insights as translator

SHIPPED = files("ospo_scan") / "schema" / "security-insights"
EXAMPLES = Path(__file__).parent / "security_insights"


def _examples(version: str) -> list[Path]:
    return sorted((EXAMPLES / f"v{version}").glob("*.yml"))


def _errors(version: str, document: Any) -> list[str]:
    return [e.message for e in _validator(version).iter_errors(document)]


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
def test_the_shipped_schema_is_the_translation_of_the_shipped_cue(version: str) -> None:
    cue = (SHIPPED / f"v{version}.cue").read_text(encoding="utf-8")
    shipped = json.loads((SHIPPED / f"v{version}.json").read_text(encoding="utf-8"))

    assert translator.translate(cue, version) == shipped


def test_every_version_ships_its_cue_schema_licence_and_provenance() -> None:
    source = (SHIPPED / "SOURCE.md").read_text(encoding="utf-8")
    assert "Community Specification License" in (SHIPPED / "LICENSE").read_text(encoding="utf-8")
    for version, (commit, path) in translator.RELEASES.items():
        assert f"| {version} | v{version} | {commit} | `{path}` |" in source


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
def test_every_published_template_and_example_is_valid_against_its_release(version: str) -> None:
    examples = _examples(version)
    assert len(examples) >= 2
    for example in examples:
        assert _errors(version, load_yaml(example.read_text(encoding="utf-8"))) == [], example


def _minimum(version: str) -> dict[str, Any]:
    name = "example-minimum.yml" if version == "2.2.0" else "template-minimum.yml"
    document: dict[str, Any] = load_yaml((EXAMPLES / f"v{version}" / name).read_text())
    return document


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
@pytest.mark.parametrize(
    ("change", "wrong"),
    [
        (lambda d: d["project"].pop("name"), "'name' is a required property"),
        (lambda d: d["header"].__setitem__("url", "ftp://x.org/f"), "does not match"),
        (lambda d: d["header"].__setitem__("last-updated", "2025-02-30"), "is not a 'date'"),
        (lambda d: d["repository"].__setitem__("status", "done"), "is not one of"),
        (
            lambda d: d["project"]["administrators"][0].__setitem__("email", "joe at x"),
            "does not match",
        ),
        (lambda d: d["project"]["administrators"][0].__setitem__("rank", 1), "Additional"),
        (lambda d: d["repository"].__setitem__("accepts-change-request", "yes"), "not of type"),
    ],
)
def test_what_the_cue_schema_refuses_the_json_schema_refuses(
    version: str, change: Any, wrong: str
) -> None:
    document = deepcopy(_minimum(version))
    change(document)

    assert any(wrong in message for message in _errors(version, document))


def test_definitions_are_closed_and_2_0_0_top_level_fields_are_open() -> None:
    """In CUE a definition (`#Repository`) is closed, a regular field (v2.0.0's `repository:`)
    is open: an unknown field inside `repository` is refused from 2.1.0 on only."""
    for version in SCHEMA_VERSIONS:
        document = deepcopy(_minimum(version))
        document["repository"]["mascot"] = "owl"
        refused = any("Additional" in m for m in _errors(version, document))
        assert refused is (version != "2.0.0")


def test_lists_of_one_or_more_need_one_from_2_1_0_on() -> None:
    for version in SCHEMA_VERSIONS:
        document = deepcopy(_minimum(version))
        document["project"]["administrators"] = []
        assert bool(_errors(version, document)) is (version != "2.0.0")


def test_2_2_0_renamed_the_reporting_policy_field() -> None:
    document = deepcopy(_minimum("2.2.0"))
    document["project"]["vulnerability-reporting"]["policy"] = "https://x.org/security"
    assert _errors("2.2.0", document) == []
    document = deepcopy(_minimum("2.1.0"))
    document["project"]["vulnerability-reporting"]["policy"] = "https://x.org/security"
    assert _errors("2.1.0", document)


def test_a_file_is_checked_against_the_release_its_header_names() -> None:
    document = deepcopy(_minimum("2.2.0"))
    document["header"]["schema-version"] = "2.1.4"
    document["repository"]["mascot"] = "owl"

    version, problems = validate_insights(document)

    assert version == "2.1.0"
    assert [str(p) for p in problems] == ["repository.mascot: is not a field of this version"]
