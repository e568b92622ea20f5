"""`ospo-scan rules`: what a ruleset selects, and what each rule asks."""

from __future__ import annotations

import shutil
import textwrap
from typing import TYPE_CHECKING

import click

from ospo_scan.cli._common import EXIT_USAGE, fail, load_or_exit
from ospo_scan.config import DEFAULT_RULESET

if TYPE_CHECKING:
    from ospo_scan.config import Ruleset
    from ospo_scan.config.frameworks import Framework

_LABEL_WIDTH = 2
"""Indent of every line under a rule's heading."""


@click.group()
def rules() -> None:
    """The rules a ruleset can select."""


@rules.command("list")
@click.option("--ruleset", "ruleset_spec", default=DEFAULT_RULESET, show_default=True)
@click.option(
    "--framework",
    "framework_id",
    metavar="ID",
    help=(
        "Group the rules by the items of a framework they evidence"
        " (un-principles, dpg, osps-baseline)."
    ),
)
def rules_list(ruleset_spec: str, framework_id: str | None) -> None:
    """List the ruleset's rules with their category and weight."""
    from tabulate import tabulate

    from ospo_scan.config.frameworks import bundled_framework_ids, load_framework

    ruleset = load_or_exit(ruleset_spec)
    width = _width()
    framework = None if framework_id is None else load_framework(framework_id)
    if framework_id is not None and framework is None:
        known = ", ".join(bundled_framework_ids())
        fail(f"unknown framework {framework_id!r} (frameworks: {known})", EXIT_USAGE)
    click.echo(f"{ruleset.id} {ruleset.version}: {ruleset.title}")
    if framework is not None:
        _by_framework(ruleset, framework, width)
        return
    rows = [
        [config.rule.id, config.rule.category, f"{config.weight:g}", config.rule.description]
        for config in ruleset.rules
    ]
    headers = ["rule", "category", "weight", "checks"]
    natural = [max(len(h) + 2, *(len(row[i]) for row in rows)) for i, h in enumerate(headers[:3])]
    room = max(width - sum(natural) - 2 * 3, 20)
    click.echo(
        tabulate(
            rows,
            headers=headers,
            disable_numparse=True,
            colalign=("left", "left", "right", "left"),
            maxcolwidths=[None, None, None, room],
        )
    )
    if ruleset.disabled:
        click.echo(_wrap(f"disabled in this ruleset: {', '.join(ruleset.disabled)}", width, 0))


@rules.command("show")
@click.argument("rule_id")
@click.option("--ruleset", "ruleset_spec", default=DEFAULT_RULESET, show_default=True)
def rules_show(rule_id: str, ruleset_spec: str) -> None:
    """Explain one rule: what it checks, the files it reads, its options, how to pass."""
    from ospo_scan.rules.registry import available_rules

    ruleset = load_or_exit(ruleset_spec)
    width = _width()
    config = ruleset.rule(rule_id)
    if config is None:
        if rule_id in ruleset.disabled:
            rule = available_rules(load_plugins=True).get(rule_id)
            click.echo(f"{rule_id}: disabled in this ruleset ({ruleset.id})")
            if rule is not None:
                click.echo(_wrap(rule.description, width))
            return
        known = ", ".join(c.rule.id for c in ruleset.rules)
        fail(f"unknown rule id {rule_id!r} (rules in {ruleset.id}: {known})", EXIT_USAGE)
    rule = config.rule
    click.echo(f"{rule.id} ({rule.category}, weight {config.weight:g})")
    lines = [rule.description, *(f"{label}: {text}" for label, text in rule.explain())]
    for option in rule.option_types:
        if option in config.options:
            lines.append(f"option {option} = {_value(config.options[option])} (set by the ruleset)")
        elif option in rule.option_defaults:
            lines.append(f"option {option} = {_value(rule.option_defaults[option])} (default)")
        else:
            lines.append(f"option {option}: not set")
    if config.partial_score != 0.5:
        lines.append(f"a partial pass scores {config.partial_score:g}")
    lines.append(f"how to pass: {rule.remediation}")
    if rule.help_url:
        lines.append(f"more: {rule.help_url}")
    mapping = ruleset.mapping
    for ref in config.evidences:
        framework = mapping.framework(ref.framework)
        item = framework.item(ref.item) if framework else None
        title = f" {item.title} ({framework.title})" if item and framework else ""
        lines.append(f"evidences: {ref}{title}")
    for line in lines:
        click.echo(_wrap(line, width))


def _by_framework(ruleset: Ruleset, framework: Framework, width: int) -> None:
    """Each item of the framework, with the rules that evidence it (or none)."""
    from ospo_scan.config.frameworks import ItemRef

    click.echo(f"{framework.title} {framework.version} ({framework.id}): {framework.url}")
    mapping = ruleset.mapping
    for item in framework.items:
        rules = mapping.rules_for(ItemRef(framework.id, item.id))
        click.echo(_wrap(f"{item.id}. {item.title}", width, 0))
        listed = ", ".join(rules) if rules else "no rule: repositories cannot evidence it"
        click.echo(_wrap(listed, width))


def _width() -> int:
    from ospo_scan.formats.table import DEFAULT_WIDTH

    return max(shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns, DEFAULT_WIDTH // 2)


def _wrap(text: str, width: int, indent: int = _LABEL_WIDTH) -> str:
    pad = " " * indent
    return textwrap.fill(
        text,
        width,
        initial_indent=pad,
        subsequent_indent=pad + "  ",
        break_on_hyphens=False,
        break_long_words=False,  # a URL stays whole, to be copied
    )


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)
