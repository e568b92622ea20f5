"""The ruleset a scan uses unless told otherwise: named apart, so that naming it loads nothing."""

DEFAULT_RULESET = "un-ospo"
"""The bundled ruleset of the UN Open Source Principles (rules/un-ospo.toml)."""
