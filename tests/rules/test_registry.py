"""Rules from the built-in registry and from the `ospo_scan.rules` entry-point group."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import ospo_scan.rules
from ospo_scan.config import load_ruleset
from ospo_scan.rules.interface import Rule, RuleError
from ospo_scan.rules.registry import (
    BUILTIN_RULE_CLASSES,
    available_rules,
    builtin_rule_class,
    builtin_rules,
    plugin_rules,
)

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
    ids = [builtin_rule_class(rule_id).id for rule_id in BUILTIN_RULE_CLASSES]
    assert ids == list(BUILTIN_RULE_CLASSES)
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


def _concrete_rule_classes() -> set[type[Rule]]:
    """Every class with a rule id defined in a module of `ospo_scan.rules`."""
    found: set[type[Rule]] = set()
    for module in pkgutil.iter_modules(ospo_scan.rules.__path__, "ospo_scan.rules."):
        for value in vars(importlib.import_module(module.name)).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value.__module__ == module.name
                and isinstance(vars(value).get("id"), str)
            ):
                found.add(value)
    return found


def test_the_table_names_every_rule_class_of_the_package() -> None:
    """A rule written but left out of the table would never run: the lazy table and the
    modules agree."""
    declared = {"FileExistsRule", "FileContainsRule"}  # a ruleset's own, built per declaration
    classes = {cls for cls in _concrete_rule_classes() if cls.__name__ not in declared}
    assert classes == {builtin_rule_class(rule_id) for rule_id in BUILTIN_RULE_CLASSES}


def test_a_default_scan_imports_only_its_rules_modules() -> None:
    ruleset = load_ruleset("un-ospo", load_plugins=False)
    code = (
        "import sys; from ospo_scan.config import load_ruleset; "
        "load_ruleset('un-ospo', load_plugins=False); "
        "print(*sorted(m for m in sys.modules if m.startswith('ospo_scan.rules.')))"
    )
    printed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    imported = set(printed.split())
    used = {type(config.rule).__module__ for config in ruleset.rules}
    assert used <= imported
    unused = {"ospo_scan.rules.baseline_docs", "ospo_scan.rules.ci", "ospo_scan.rules.insights"}
    assert unused.isdisjoint(imported)


def test_a_catalogue_builds_a_rule_once_and_knows_every_builtin_id() -> None:
    catalogue = available_rules(load_plugins=False)
    assert catalogue["readme"] is catalogue["readme"]
    assert "mfa-required" in catalogue
    assert list(catalogue) == list(BUILTIN_RULE_CLASSES)
    assert "no-such-rule" not in catalogue
    with pytest.raises(KeyError):
        catalogue["no-such-rule"]


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


def _ruleset_with(tmp_path: Path, rule_id: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(f'id = "acme"\n[rules.readme]\n[rules.{rule_id}]\n', encoding="utf-8")
    return path


def test_a_ruleset_selects_a_plugin_rule_and_exemptions_may_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_plugin(tmp_path, "acme_rules", "acme_rules:PubliccodeMentionRule")
    monkeypatch.syspath_prepend(str(tmp_path))
    ruleset = load_ruleset(str(_ruleset_with(tmp_path, "acme-notice")))
    assert [config.rule.id for config in ruleset.rules] == ["readme", "acme-notice"]
    assert "acme-notice" in ruleset.known_rule_ids
    assert "governance" in ruleset.known_rule_ids  # a built-in rule the ruleset does not run
    assert "no-such-rule" not in ruleset.known_rule_ids


def test_a_broken_plugin_fails_only_the_rulesets_that_need_a_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_plugin(tmp_path, "broken_rules", "broken_rules:DoesNotExist")
    monkeypatch.syspath_prepend(str(tmp_path))
    built_in = load_ruleset("un-ospo")  # its rules are all built in: no plugin is loaded
    assert "readme" in built_in.known_rule_ids
    with pytest.raises(RuleError, match="rule plugin 'acme'"):
        load_ruleset(str(_ruleset_with(tmp_path, "acme-notice")))
