"""Configuration: rulesets and exemptions, parsed into frozen objects.

The ruleset names are imported from `config.ruleset` when first asked for, so that a module
needing only entity profiles or settings (`config.profile`, `config.settings`) does not load
the rule registry and the licence detection behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ospo_scan.config.defaults import DEFAULT_RULESET

if TYPE_CHECKING:
    from ospo_scan.config.ruleset import (
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


def __getattr__(name: str) -> Any:
    if name in __all__:
        from ospo_scan.config import ruleset

        return getattr(ruleset, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
