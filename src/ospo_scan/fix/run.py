"""Planning a fix run: scan the target once, keep its snapshots, and build the plan."""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ospo_scan.config import Ruleset
from ospo_scan.config.entity import load_entity_profile
from ospo_scan.connectors.interface import (
    EntitySource,
    RepoFailure,
    ScanOptions,
    Target,
    TargetKind,
)
from ospo_scan.errors import ConnectorError
from ospo_scan.fix.files import FillContext
from ospo_scan.fix.kinds import GITHUB, GITLAB
from ospo_scan.fix.model import FixPlan
from ospo_scan.fix.planner import DEFAULTS_REPOSITORY, DefaultsTarget, FixOptions, build_plan
from ospo_scan.fix.templates import TemplateSet
from ospo_scan.model import Contacts
from ospo_scan.scan.entities import TargetFailure, display_name, ruleset_for
from ospo_scan.scan.scanner import Scanner
from ospo_scan.scan.targets import parse_target
from ospo_scan.snapshot import Snapshot


@dataclass(frozen=True)
class PlannedRun:
    """A plan and what applying it needs to know of where the repositories are."""

    plan: FixPlan
    """The plan."""
    target: Target
    """The target it was made for."""
    directories: Mapping[str, Path]
    """Local targets: each repository's working tree (the defaults one too, even when new)."""


def plan_run(
    target_spec: str,
    ruleset: Ruleset | None,
    scan_options: ScanOptions,
    options: FixOptions,
    entity_file: str | None = None,
) -> PlannedRun:
    """Scan `target_spec` with the ruleset and plan the files that would fix what fails;
    `ruleset` None takes the one the entity profile names, as `scan` does."""
    target = parse_target(target_spec, scan_options)
    profile = load_entity_profile(Path(entity_file)) if entity_file else None
    (source,) = Scanner(ruleset, scan_options, profile=profile).open([target_spec])
    if isinstance(source, TargetFailure):
        raise ConnectorError(f"{source.name}: {source.reason}")
    ruleset = ruleset or ruleset_for([source])
    scanner = Scanner(ruleset, scan_options, profile=profile)
    snapshots: dict[str, Snapshot] = {}
    recorded = replace(source, repositories=_Recorder(source.repositories, snapshots))
    report = scanner.report([recorded], [target_spec])
    contacts = source.profile.contacts if source.profile else Contacts()
    platform = {TargetKind.GITHUB: GITHUB, TargetKind.GITLAB: GITLAB}.get(target.kind)
    context = FillContext(
        entity=display_name(source),
        contacts=contacts,
        platform=platform,
        templates=TemplateSet.for_ruleset(ruleset.templates),
    )
    defaults = _defaults_target(target, source, snapshots)
    plan = build_plan(report, snapshots, context, options, defaults)
    directories: dict[str, Path] = {}
    if target.kind is TargetKind.LOCAL:
        directories = {name: _local_path(s.url) for name, s in snapshots.items()}
        if defaults is not None and defaults.snapshot is None:
            directories[defaults.name] = Path(target.path).resolve() / DEFAULTS_REPOSITORY
    return PlannedRun(plan, target, directories)


class _Recorder:
    """The source's repositories, passed on unchanged while their snapshots are kept by name."""

    def __init__(self, items: Iterable[Snapshot | RepoFailure], into: dict[str, Snapshot]) -> None:
        self._items = items
        self._into = into

    def __iter__(self) -> Iterator[Snapshot | RepoFailure]:
        for item in self._items:
            if isinstance(item, Snapshot):
                self._into[item.name] = item
            yield item


def _defaults_target(
    target: Target, source: EntitySource, snapshots: Mapping[str, Snapshot]
) -> DefaultsTarget | None:
    """Where organisation-wide files go: the existing defaults repository, or a new one."""
    if target.kind is TargetKind.GITLAB:
        return None  # GitLab has no organisation defaults
    inherited = next((s.org_defaults for s in snapshots.values() if s.org_defaults), None)
    if inherited is not None:
        return DefaultsTarget(inherited.name, inherited.url, inherited)
    if source.defaults_repository is not None:
        return None  # it exists but could not be read: nothing is proposed there
    entity = any(s.metadata.host.has_org_defaults for s in snapshots.values())
    # Without an entity file, only git repositories are an entity's repositories: a new `.github`
    # directory would not be read until someone makes it one, so each repository gets its own.
    if target.kind is TargetKind.LOCAL and entity and source.defaults_reachable:
        root = Path(target.path).resolve()
        return DefaultsTarget(DEFAULTS_REPOSITORY, (root / DEFAULTS_REPOSITORY).as_uri(), None)
    whole_owner = "/" not in target.path.strip("/")
    if target.kind is TargetKind.GITHUB and whole_owner and snapshots:
        example = next(iter(snapshots.values()))
        url = example.url.rsplit("/", 1)[0] + f"/{DEFAULTS_REPOSITORY}"
        owner = example.name.split("/", 1)[0]  # the owner's login (an entity file may rename it)
        return DefaultsTarget(f"{owner}/{DEFAULTS_REPOSITORY}", url, None)
    return None


def _local_path(url: str) -> Path:
    return Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))
