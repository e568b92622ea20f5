"""Every control of the OSPS Baseline has a rule of the `osps-baseline` ruleset evidencing it."""

from __future__ import annotations

from ospo_scan.config import load_ruleset
from ospo_scan.config.frameworks import ItemRef, load_framework


def test_every_baseline_control_is_evidenced_by_a_rule_of_the_baseline_ruleset() -> None:
    framework = load_framework("osps-baseline")
    assert framework is not None
    mapping = load_ruleset("osps-baseline", load_plugins=False).mapping
    unmapped = [
        item.id
        for item in framework.items
        if not mapping.rules_for(ItemRef("osps-baseline", item.id))
    ]
    assert len(framework.items) == 64
    assert unmapped == []
