"""Rules from the built-in registry and from the `ospo_scan.rules` entry-point group."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.rules.interface import RuleError
from ospo_scan.rules.registry import BUILTIN_RULES, builtin_rules, plugin_rules

PLUGIN_MODULE = """
from ospo_scan.model import Finding, Outcome
from ospo_scan.rules.interface import Rule


class PubliccodeMentionRule(Rule):
    id = "acme-notice"
    category = "metadata"
    description = "An ACME notice is present."
    help_url = "https://example.org/acme"
    remediation = "Add NOTICE."

    def check(self, context):
        found = context.snapshot.entry("NOTICE") is not None
        return Finding(Outcome.PASS if found else Outcome.FAIL, "checked NOTICE")
"""


def _install_plugin(site: Path, module: str, target: str) -> None:
    (site / f"{module}.py").write_text(PLUGIN_MODULE)
    info = site / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[ospo_scan.rules]\nacme = {target}\n")


def test_builtin_ids_are_unique_and_stable() -> None:
    ids = [cls.id for cls in BUILTIN_RULES]
    assert len(ids) == len(set(ids))
    assert {
        "readme",
        "license",
        "contributing",
        "code-of-conduct",
        "security-policy",
        "governance",
        "maintainers",
        "changelog",
        "dependency-updates",
    } <= set(ids)
    assert set(builtin_rules()) == set(ids)


def test_entry_point_plugin_is_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_plugin(tmp_path, "acme_rules", "acme_rules:PubliccodeMentionRule")
    monkeypatch.syspath_prepend(str(tmp_path))
    rules = plugin_rules()
    assert "acme-notice" in rules
    assert rules["acme-notice"].category == "metadata"


def test_broken_plugin_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_plugin(tmp_path, "broken_rules", "broken_rules:DoesNotExist")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(RuleError, match="rule plugin 'acme'"):
        plugin_rules()
