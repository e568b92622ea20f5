"""Licence policies: the `[licences]` table, the shipped lists and judging expressions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ospo_scan.config import load_ruleset
from ospo_scan.errors import ConfigError
from ospo_scan.licences import LicencePolicy
from ospo_scan.licences.approval import Judgement, Verdict, judge
from ospo_scan.licences.lists import rulesets_directory, shipped_list
from ospo_scan.licences.policy import licence_policy_from_table
from scripts import generate_licence_lists as generator


def policy(table: dict[str, object], base_dir: Path = Path()) -> LicencePolicy:
    return licence_policy_from_table(table, path="agency.toml", base_dir=base_dir)


def test_shipped_lists_carry_their_source_and_version() -> None:
    osi = shipped_list("osi")
    dpg = shipped_list("dpg")
    assert {"MIT", "Apache-2.0", "GPL-3.0-only", "GPL-3.0-or-later", "EUPL-1.2"} <= osi.licences
    assert "GPL-3.0" not in osi.licences  # deprecated ids are left to normalisation
    assert dpg.licences == {
        "CC-BY-1.0", "CC-BY-2.0", "CC-BY-2.5", "CC-BY-3.0", "CC-BY-3.0-IGO", "CC-BY-4.0",
        "CC-BY-SA-1.0", "CC-BY-SA-2.0", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-3.0-IGO",
        "CC-BY-SA-4.0", "CC0-1.0", "ODbL-1.0", "ODC-By-1.0", "PDDL-1.0",
    }  # fmt: skip
    assert re.fullmatch(r"3\.\d+", osi.version)
    assert "isOsiApproved" in osi.source
    assert (rulesets_directory() / "licences" / "osi-approved.toml").is_file()


def test_shipped_osi_list_matches_the_generator() -> None:
    assert shipped_list("osi").licences == frozenset(generator.osi_approved())
    assert shipped_list("dpg").licences == frozenset(generator.dpg_approved())


def test_no_table_means_osi_and_dpg() -> None:
    default = policy({})
    assert default.approved_licences == shipped_list("osi").licences | shipped_list("dpg").licences
    assert LicencePolicy().approved_licences == default.approved_licences


def test_table_narrows_extends_denies_and_sets_a_default(tmp_path: Path) -> None:
    (tmp_path / "ours.toml").write_text(
        '[list]\nid = "ours"\nlicences = ["MIT", "Apache-2.0", "GPL-3.0-only"]\n', encoding="utf-8"
    )
    custom = policy(
        {
            "approved": ["ours.toml", "dpg"],
            "allow": ["LicenseRef-Agency-Terms"],
            "deny": ["GPL-3.0"],
            "default": "apache-2.0",
        },
        tmp_path,
    )
    assert custom.default == "Apache-2.0"
    assert custom.denied == {"GPL-3.0-only"}
    assert {"MIT", "CC-BY-4.0", "LicenseRef-Agency-Terms"} <= custom.approved_licences
    assert "BSD-3-Clause" not in custom.approved_licences
    assert custom.lists == ("ours.toml", "dpg")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"aproved": ["osi"]}, "agency.toml: licences.aproved: unknown key"),
        ({"approved": "osi"}, "agency.toml: licences.approved: expected an array of strings"),
        ({"approved": ["fsf"]}, "agency.toml: licences.approved: unknown licence list 'fsf'"),
        ({"allow": ["Apache-2"]}, "agency.toml: licences.allow: 'Apache-2' is not an SPDX"),
        ({"deny": ["MIT OR ISC"]}, "agency.toml: licences.deny: 'MIT OR ISC' is not an SPDX"),
        ({"default": "Apache 2"}, "agency.toml: licences.default: 'Apache 2' is not a valid"),
    ],
)
def test_bad_values_are_config_errors(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        policy(table)
    assert raised.value.one_line().startswith(message)


def test_ruleset_loader_reads_the_table(tmp_path: Path) -> None:
    path = tmp_path / "agency.toml"
    path.write_text(
        'id = "agency"\nversion = "1"\nextends = "un-ospo"\n\n'
        '[licences]\napproved = ["osi"]\ndefault = "Apache-2.0"\n',
        encoding="utf-8",
    )
    loaded = load_ruleset(str(path), load_plugins=False).licence_policy
    assert loaded.default == "Apache-2.0"
    assert "CC-BY-4.0" not in loaded.approved_licences


def test_judging_expressions() -> None:
    entity = policy({"default": "Apache-2.0", "deny": ["AGPL-3.0-only"]})
    assert judge("Apache-2.0", entity) == Judgement(Verdict.DEFAULT)
    assert judge("MIT OR Apache-2.0", entity) == Judgement(Verdict.DEFAULT)
    assert judge("MIT", entity) == Judgement(Verdict.APPROVED, ("MIT",))
    assert judge("Apache-2.0 AND CC-BY-4.0", entity) == Judgement(Verdict.APPROVED, ("CC-BY-4.0",))
    assert judge("GPL-2.0-only WITH Classpath-exception-2.0", entity).verdict is Verdict.APPROVED
    assert judge("AGPL-3.0-only", entity) == Judgement(Verdict.DENIED, ("AGPL-3.0-only",))
    assert judge("Apache-2.0 AND LicenseRef-scancode-proprietary-license", entity) == Judgement(
        Verdict.PROPRIETARY, ("LicenseRef-scancode-proprietary-license",)
    )
    assert judge("SSPL-1.0", entity) == Judgement(Verdict.NOT_APPROVED, ("SSPL-1.0",))
    assert judge("GPL-3.0", LicencePolicy()) == Judgement(Verdict.DEFAULT)  # deprecated id
