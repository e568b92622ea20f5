"""Configuration: rulesets and exemptions, parsed into frozen objects."""

from ospo_scan.config.ruleset import (
    DEFAULT_RULESET,
    Level,
    RuleConfig,
    Ruleset,
    bundled_ruleset_ids,
    load_ruleset,
)

__all__ = [
    "DEFAULT_RULESET",
    "Level",
    "RuleConfig",
    "Ruleset",
    "bundled_ruleset_ids",
    "load_ruleset",
]
