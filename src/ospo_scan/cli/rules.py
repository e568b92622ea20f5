"""`ospo-scan rules`: what a ruleset selects, and what each rule asks."""

from __future__ import annotations

import click

from ospo_scan.cli._common import EXIT_USAGE, fail, load_or_exit
from ospo_scan.config import DEFAULT_RULESET


@click.group()
def rules() -> None:
    """The rules a ruleset can select."""


@rules.command("list")
@click.option("--ruleset", "ruleset_spec", default=DEFAULT_RULESET, show_default=True)
def rules_list(ruleset_spec: str) -> None:
    """List the ruleset's rules with their category and weight."""
    ruleset = load_or_exit(ruleset_spec)
    click.echo(f"{ruleset.id} {ruleset.version}: {ruleset.title}")
    for config in ruleset.rules:
        rule = config.rule
        click.echo(
            f"  {rule.id:<22} {rule.category:<14} weight {config.weight:g}  {rule.description}"
        )


@rules.command("show")
@click.argument("rule_id")
@click.option("--ruleset", "ruleset_spec", default=DEFAULT_RULESET, show_default=True)
def rules_show(rule_id: str, ruleset_spec: str) -> None:
    """Explain one rule: what it checks, how to pass, which framework sections it evidences."""
    ruleset = load_or_exit(ruleset_spec)
    config = ruleset.rule(rule_id)
    if config is None:
        known = ", ".join(c.rule.id for c in ruleset.rules)
        fail(f"unknown rule id {rule_id!r} (rules in {ruleset.id}: {known})", EXIT_USAGE)
    rule = config.rule
    click.echo(f"{rule.id} ({rule.category}, weight {config.weight:g})")
    click.echo(f"  {rule.description}")
    click.echo(f"  how to pass: {rule.remediation}")
    if rule.help_url:
        click.echo(f"  more: {rule.help_url}")
    for section in config.sections:
        click.echo(f"  evidences: {section}")
