"""Frameworks as data: the shipped frameworks, and the mapping of rules to their items, checked
against them with errors that name the ruleset's file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.config import load_ruleset
from ospo_scan.config.frameworks import ItemRef, bundled_framework_ids, load_framework
from ospo_scan.errors import ConfigError


def test_the_un_principles_are_the_eight_as_published() -> None:
    principles = load_framework("un-principles")
    assert principles is not None
    assert [(item.id, item.title) for item in principles.items] == [
        ("1", "Open by default"),
        ("2", "Contribute back"),
        ("3", "Secure by design"),
        ("4", "Foster inclusive participation and community building"),
        ("5", "Design for reusability"),
        ("6", "Provide documentation"),
        ("7", "RISE (recognize, incentivize, support and empower)"),
        ("8", "Sustain and scale"),
    ]
    assert all(item.meaning for item in principles.items)


def test_the_dpg_standard_has_its_nine_indicators() -> None:
    dpg = load_framework("dpg")
    assert dpg is not None
    assert dpg.version == "1.1.7"
    assert [item.title for item in dpg.items] == [
        "Relevance to Sustainable Development Goals",
        "Use of approved open licenses",
        "Clear ownership",
        "Platform independence",
        "Documentation",
        "Mechanism for extracting data and content",
        "Adherence to privacy and applicable laws",
        "Adherence to standards and best practices",
        "Do no harm by design",
    ]
    assert [item.id for item in dpg.items] == [str(n) for n in range(1, 10)]


def test_shipped_frameworks_and_an_unknown_one() -> None:
    assert bundled_framework_ids() == ["dpg", "osps-baseline", "un-principles"]
    assert load_framework("osps-baseline-not-yet") is None
    assert load_framework("../un-ospo") is None


def test_the_default_ruleset_maps_its_rules_to_the_principles_they_evidence() -> None:
    mapping = load_ruleset(load_plugins=False).mapping
    assert [f.id for f in mapping.frameworks] == ["un-principles", "dpg", "osps-baseline"]
    assert {rule: [str(r) for r in refs] for rule, refs in mapping.evidences.items()} == {
        "license": ["un-principles:1", "dpg:2", "osps-baseline:OSPS-LE-03.01"],
        "license-approved": ["un-principles:1", "dpg:2"],
        "license-consistent": ["dpg:2"],
        "readme": ["un-principles:6", "dpg:5"],
        "contributing": ["un-principles:4", "osps-baseline:OSPS-GV-03.01"],
        "code-of-conduct": ["un-principles:4", "dpg:9"],
        "security-policy": [
            "un-principles:3",
            "osps-baseline:OSPS-VM-02.01",
            "osps-baseline:OSPS-VM-03.01",
        ],
        "governance": ["un-principles:8", "dpg:3"],
        "maintainers": ["dpg:3"],
        "changelog": ["un-principles:6"],
        "dependency-updates": ["un-principles:3"],
        "publiccode": ["un-principles:5"],
        "readme-usage": ["un-principles:6", "dpg:5"],
        "issue-templates": ["un-principles:4"],
        "contributors-acknowledged": ["un-principles:7"],
        "versioned-releases": ["un-principles:5"],
        "package-manifest": ["un-principles:5"],
        "support-policy": ["un-principles:8"],
        "recent-committers": ["un-principles:8"],
        "recent-activity": ["un-principles:8"],
        "branch-protection": ["un-principles:3", "osps-baseline:OSPS-AC-03.02"],
        "newcomer-issues": ["un-principles:4"],
        "description": ["un-principles:6"],
    }
    assert mapping.rules_for(ItemRef("un-principles", "3")) == (
        "security-policy",
        "dependency-updates",
        "branch-protection",
    )
    assert mapping.rules_for(ItemRef("un-principles", "2")) == ()


@pytest.mark.parametrize(
    ("evidences", "cause"),
    [
        ('["osps-baseline-x:1"]', "unknown framework 'osps-baseline-x'"),
        ('["un-principles:9"]', "un-principles has no item '9'"),
        ('["dpg:9c"]', "dpg has no item '9c'"),
        ('["un-principles"]', "'un-principles' is not FRAMEWORK:ITEM"),
        ('["un-principles:"]', "'un-principles:' is not FRAMEWORK:ITEM"),
        ("[3]", "expected a list of strings"),
    ],
)
def test_an_unknown_framework_or_item_names_file_and_line(
    tmp_path: Path, evidences: str, cause: str
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        f'id = "mine"\n\n[rules.readme]\nweight = 3\nevidences = {evidences}\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        load_ruleset(str(path), load_plugins=False)
    assert caught.value.line == 5
    assert caught.value.key == "rules.readme.evidences"
    assert caught.value.one_line().startswith(f"{path}:5: rules.readme.evidences: {cause}")


def test_sections_is_an_error_that_names_its_replacement(tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_text(
        'id = "old"\n[rules.readme]\nsections = ["UN-OSP 6: Provide documentation"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_ruleset(str(path), load_plugins=False)
    assert caught.value.line == 3
    assert "`sections` is replaced by `evidences`" in caught.value.one_line()


def test_a_bad_mapping_is_exit_2_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'id = "mine"\nextends = "un-ospo"\n\n[rules.readme]\nevidences = ["dpg:10"]\n',
        encoding="utf-8",
    )
    outcome = CliRunner().invoke(main, ["rules", "list", "--ruleset", str(path)])
    assert outcome.exit_code == 2
    assert f"{path}:5: rules.readme.evidences: dpg has no item '10'" in outcome.output


def test_extends_merges_mappings_as_it_merges_weights(tmp_path: Path) -> None:
    parent = tmp_path / "parent.toml"
    parent.write_text(
        'id = "parent"\nextends = "un-ospo"\n\n[rules.governance]\nweight = 9\n'
        'evidences = ["un-principles:8"]\n',
        encoding="utf-8",
    )
    child = tmp_path / "child.toml"
    child.write_text(
        'id = "child"\nextends = "parent.toml"\n\n'
        '[rules.readme]\nevidences = ["un-principles:6", "un-principles:5"]\n\n'
        "[rules.changelog]\nevidences = []\n\n"
        "[rules.governance]\nweight = 2\n",
        encoding="utf-8",
    )
    ruleset = load_ruleset(str(child), load_plugins=False)

    def refs(rule_id: str) -> list[str]:
        config = ruleset.rule(rule_id)
        assert config is not None
        return [str(ref) for ref in config.evidences]

    assert refs("readme") == ["un-principles:6", "un-principles:5"]  # the child's, replacing
    assert refs("changelog") == []  # an empty list unmaps the rule
    assert refs("governance") == ["un-principles:8"]  # the parent's, weight changed only
    # from un-ospo, two levels up
    assert refs("license") == ["un-principles:1", "dpg:2", "osps-baseline:OSPS-LE-03.01"]
    assert "changelog" not in ruleset.mapping.evidences


def test_a_bad_mapping_in_an_extended_ruleset_names_that_file(tmp_path: Path) -> None:
    parent = tmp_path / "parent.toml"
    parent.write_text(
        'id = "parent"\nextends = "un-ospo"\n\n\n[rules.readme]\nevidences = ["dpg:0"]\n',
        encoding="utf-8",
    )
    child = tmp_path / "child.toml"
    child.write_text('id = "child"\nextends = "parent.toml"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_ruleset(str(child), load_plugins=False)
    assert caught.value.path == str(parent)
    assert caught.value.line == 6
