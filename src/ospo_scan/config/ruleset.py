"""Rulesets: which rules run, with what weight and options, and the framework items each
evidences (`config.frameworks`)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ospo_scan.config._bundled import bundled_rulesets_dir
from ospo_scan.config._toml import TableReader, key_line, load_toml
from ospo_scan.config.defaults import DEFAULT_RULESET
from ospo_scan.config.frameworks import (
    Framework,
    FrameworkMapping,
    ItemRef,
    item_refs,
    load_framework,
)
from ospo_scan.errors import UsageError
from ospo_scan.licences import LicencePolicy
from ospo_scan.licences.policy import licence_policy_from_table
from ospo_scan.model import MAX_WEIGHT
from ospo_scan.rules.declarative import (
    DeclaredRuleText,
    FileContainsRule,
    FileExistsRule,
    UnsupportedPattern,
)
from ospo_scan.rules.interface import CATEGORIES, Rule
from ospo_scan.rules.registry import available_rules
from ospo_scan.snapshot import HostFact

_TOP_KEYS = (
    "id",
    "version",
    "title",
    "description",
    "extends",
    "levels",
    "licences",
    "rules",
    "templates",
)
_RULE_KEYS = ("weight", "evidences", "enabled", "partial-score", "options")
_DECLARED_KEYS = ("type", "category", "description", "remediation", "help-url", "paths", "pattern")
_MAX_EXTENDS_DEPTH = 8


@dataclass(frozen=True)
class RuleConfig:
    """A rule as a ruleset selects it."""

    rule: Rule
    weight: float
    evidences: tuple[ItemRef, ...] = ()
    """The framework items the rule evidences."""
    options: Mapping[str, Any] = field(default_factory=dict)
    partial_score: float = 0.5


@dataclass(frozen=True)
class Level:
    name: str
    minimum: float


@dataclass(frozen=True)
class Ruleset:
    id: str
    version: str
    title: str
    path: str
    rules: tuple[RuleConfig, ...]
    levels: tuple[Level, ...]
    """Highest minimum first."""
    licence_policy: LicencePolicy = field(default_factory=LicencePolicy)
    disabled: tuple[str, ...] = ()
    """Rules the ruleset (or one it extends) turns off with `enabled = false`."""
    known_rule_ids: Collection[str] = frozenset()
    """Every rule id an exemption may name: registered, declared here, or disabled."""
    templates: str | None = None
    """The ruleset's own directory of `fix` templates (relative paths resolved against the
    ruleset file), consulted before the bundled ones."""

    def level_for(self, score: float | None) -> str | None:
        if score is None:
            return None
        return next((level.name for level in self.levels if score >= level.minimum), None)

    def rule(self, rule_id: str) -> RuleConfig | None:
        return next((c for c in self.rules if c.rule.id == rule_id), None)

    @property
    def host_facts(self) -> frozenset[HostFact]:
        """The host facts beyond every scan's that the ruleset's rules read."""
        return frozenset(fact for c in self.rules for fact in c.rule.host_facts)

    @property
    def mapping(self) -> FrameworkMapping:
        """The framework items the ruleset's rules evidence, and those frameworks."""
        ids = dict.fromkeys(ref.framework for c in self.rules for ref in c.evidences)
        frameworks: list[Framework] = [f for i in ids if (f := load_framework(i)) is not None]
        return FrameworkMapping(
            tuple(frameworks), {c.rule.id: c.evidences for c in self.rules if c.evidences}
        )


def bundled_ruleset_ids() -> list[str]:
    return sorted(p.stem for p in bundled_rulesets_dir().glob("*.toml"))


def resolve_ruleset(spec: str, relative_to: Path | None = None) -> Path:
    """A ruleset id (`un-ospo`) or a path to a TOML file."""
    candidate = Path(spec) if relative_to is None else relative_to / spec
    if spec.endswith(".toml") or "/" in spec or "\\" in spec:
        if not candidate.is_file():
            raise UsageError(f"ruleset file not found: {spec}")
        return candidate
    bundled = bundled_rulesets_dir() / f"{spec}.toml"
    if bundled.is_file():
        return bundled
    raise UsageError(
        f"unknown ruleset {spec!r}",
        hint=f"bundled: {', '.join(bundled_ruleset_ids())}; or give the path of a .toml file",
    )


def load_ruleset(spec: str = DEFAULT_RULESET, *, load_plugins: bool = True) -> Ruleset:
    """Load a ruleset by id or path, following `extends`."""
    path = resolve_ruleset(spec)
    rules = available_rules(load_plugins=load_plugins)
    merged, text = _load_merged(path, depth=0)
    return _build(merged, path=str(path), text=text, rules=rules)


def _load_merged(path: Path, depth: int) -> tuple[dict[str, Any], str]:
    data, text = load_toml(path)
    reader = TableReader(data, path=str(path), text=text)
    reader.reject_unknown(_TOP_KEYS)
    templates = reader.get("templates", str)
    if templates is not None:
        data["templates"] = str((path.parent / templates).resolve())  # relative to this file
    _check_mappings(reader.sub("rules"))
    parent_spec = reader.get("extends", str)
    if parent_spec is None:
        return data, text
    if depth >= _MAX_EXTENDS_DEPTH:
        raise reader.error("extends chain too deep (a cycle?)", "extends")
    try:
        parent_path = resolve_ruleset(parent_spec, relative_to=path.parent)
    except UsageError as exc:
        raise reader.error(exc.message, "extends", hint=exc.hint) from exc
    parent, _ = _load_merged(parent_path, depth + 1)
    return _merge(parent, data), text


def _check_mappings(rules: TableReader) -> None:
    """Each file's framework mappings checked against its own text, so that an error names the
    line of the file that has it (an extended ruleset's or the extending one's)."""
    for rule_id in rules.data:
        table = rules.sub(rule_id)
        if "sections" in table.data:
            raise table.error(
                "`sections` is replaced by `evidences`, a list of framework items",
                "sections",
                hint='e.g. evidences = ["un-principles:3", "dpg:2"]; see `ospo-scan rules list '
                "--framework un-principles`",
            )
        item_refs(table)


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = {k: v for k, v in parent.items() if k not in ("id", "version", "title", "description")}
    for key, value in child.items():
        if key == "rules" and isinstance(value, dict):
            rules = {rid: dict(cfg) for rid, cfg in merged.get("rules", {}).items()}
            for rule_id, config in value.items():
                rules[rule_id] = (
                    {**rules.get(rule_id, {}), **config} if isinstance(config, dict) else config
                )
            merged["rules"] = rules
        elif key in ("licences", "levels") and isinstance(value, dict):
            merged[key] = {**merged.get(key, {}), **value}
        elif key != "extends":
            merged[key] = value
    return merged


def _build(data: dict[str, Any], *, path: str, text: str, rules: Mapping[str, Rule]) -> Ruleset:
    top = TableReader(data, path=path, text=text)
    ruleset_id = top.get("id", str)
    if not ruleset_id:
        raise top.error("a ruleset needs an id", "id")
    configs = []
    disabled = []
    rules_table = top.sub("rules")
    for rule_id in rules_table.data:
        config = _rule_config(rule_id, rules_table.sub(rule_id), rules)
        if config is not None:
            configs.append(config)
        else:
            disabled.append(rule_id)
    if not configs:
        raise top.error("the ruleset selects no rules", "rules")
    return Ruleset(
        id=ruleset_id,
        version=str(top.get("version", (str, int, float), "0")),
        title=top.get("title", str, ""),
        path=path,
        rules=tuple(configs),
        levels=_levels(top.sub("levels")),
        licence_policy=_licence_policy(top, Path(path).parent),
        disabled=tuple(disabled),
        known_rule_ids=_KnownRuleIds(rules, {*disabled, *(c.rule.id for c in configs)}),
        templates=top.get("templates", str),
    )


class _KnownRuleIds(Collection[str]):
    """The ids of `rules` and of `named`, looking in `rules` (which may load rule plugins)
    only for an id `named` does not hold."""

    def __init__(self, rules: Mapping[str, Rule], named: set[str]) -> None:
        self._rules = rules
        self._named = frozenset(named)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._named or rule_id in self._rules

    def __iter__(self) -> Iterator[str]:
        return iter(self._named | set(self._rules))

    def __len__(self) -> int:
        return len(self._named | set(self._rules))


def _rule_config(rule_id: str, table: TableReader, rules: Mapping[str, Rule]) -> RuleConfig | None:
    declared_type = table.get("type", str)
    if declared_type is not None:
        table.reject_unknown((*_RULE_KEYS, *_DECLARED_KEYS))
        rule = _declared_rule(rule_id, declared_type, table)
    else:
        table.reject_unknown(_RULE_KEYS)
        if rule_id not in rules:
            raise table.error(
                f"unknown rule id {rule_id!r}",
                hint='see `ospo-scan rules list`, or declare it with type = "file-exists"',
            )
        rule = rules[rule_id]
    if not table.get("enabled", bool, True):
        return None
    weight = float(table.get("weight", (int, float), rule.default_weight))
    if not 0 <= weight <= MAX_WEIGHT:
        raise table.error(f"weight must be from 0 to {MAX_WEIGHT:,}", "weight")
    partial = float(table.get("partial-score", (int, float), 0.5))
    if not 0.0 <= partial <= 1.0:
        raise table.error("partial-score must be between 0 and 1", "partial-score")
    options = table.get("options", dict, {})
    allowed = getattr(rule, "option_types", {})
    for key, value in options.items():
        if key not in allowed:
            raise table.sub("options").error(
                "unknown option", key, hint=f"{rule_id} takes: {', '.join(allowed) or 'no options'}"
            )
        if not isinstance(value, allowed[key]):
            raise table.sub("options").error(f"expected {allowed[key].__name__}", key)
        table.sub("options").get(key, allowed[key])  # a float option must be finite
    return RuleConfig(rule, weight, item_refs(table), dict(options), partial)


def _declared_rule(rule_id: str, declared_type: str, table: TableReader) -> Rule:
    category = table.get("category", str, "documentation")
    if category not in CATEGORIES:
        raise table.error(
            f"unknown category {category!r}", "category", hint=f"one of: {', '.join(CATEGORIES)}"
        )
    paths = table.string_list("paths")
    if not paths:
        raise table.error("a declared rule needs `paths` (globs)", "paths")
    text = DeclaredRuleText(
        category=category,
        description=table.get("description", str, f"Organisation rule {rule_id}."),
        remediation=table.get("remediation", str, f"Add a file matching {', '.join(paths)}."),
        help_url=table.get("help-url", str, ""),
    )
    if declared_type == "file-exists":
        return FileExistsRule(rule_id, text, paths)
    if declared_type == "file-contains":
        pattern = table.get("pattern", str)
        if not pattern:
            raise table.error("a file-contains rule needs `pattern`", "pattern")
        try:
            return FileContainsRule(rule_id, text, paths, pattern)
        except UnsupportedPattern as exc:
            raise table.error(
                f"a regular expression the linear-time engine (RE2) cannot take: {exc}",
                "pattern",
                hint="RE2 has no backreferences or lookaround; see the README",
            ) from exc
    raise table.error(
        f"unknown rule type {declared_type!r}", "type", hint='use "file-exists" or "file-contains"'
    )


def _levels(table: TableReader) -> tuple[Level, ...]:
    if not table.data:
        return (
            Level("leading", 90),
            Level("established", 75),
            Level("developing", 50),
            Level("initial", 0),
        )
    levels: list[Level] = []
    for name in table.data:
        minimum = float(table.get(name, (int, float)))
        if not 0 <= minimum <= 100:
            raise table.error("a level's minimum score must be between 0 and 100", name)
        if levels and minimum >= levels[-1].minimum:
            above = levels[-1]
            # Name the level this file sets: in an extending ruleset one of the two is inherited.
            declared_here = key_line(table.text, table.table, name) is not None
            raise table.error(
                f"levels go from the highest minimum to the lowest, but {name} ({minimum:g}) "
                f"does not come below {above.name} ({above.minimum:g})",
                name if declared_here else above.name,
            )
        levels.append(Level(name, minimum))
    return tuple(levels)


def _licence_policy(top: TableReader, base_dir: Path) -> LicencePolicy:
    return licence_policy_from_table(top.sub("licences").data, path=top.path, base_dir=base_dir)
