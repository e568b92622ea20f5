"""The audits a site shows: every recorded audit, grouped by entity, oldest first, and only the
repositories it may publish.

Audits are read from the history stores' tables (figures, tallies, visibility, outcomes); the
full report, validated by the one loader, is read only for each entity's latest audit, whose
evidence the pages show. Report files given as inputs are recorded into a store in memory and
read the same way.

A report records each repository's visibility (`public`, `private`, `internal`). A site
publishes public repositories only unless asked otherwise; a repository whose visibility was
not recorded (a report older than the field) is not known to be public, so it is left out too;
so is a repository made private since: what counts is its latest audit.
Entity and system figures (scores, pass rates, rule tallies, framework views) are published as
audited: they are aggregates and name no repository.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from pathlib import Path

from ospo_scan import __version__
from ospo_scan.errors import UsageError
from ospo_scan.formats.json import format_json
from ospo_scan.history.audits import (
    AuditRecord,
    RepositoryRecord,
    audit_records,
    entity_summary,
    outcome_histories,
    repositories,
    rule_tallies,
)
from ospo_scan.history.store import HistoryStore, memory_store, open_store
from ospo_scan.model import EntitySummary, Outcome, Report
from ospo_scan.report.loader import entity_from_dict, parse_report
from ospo_scan.scan.entities import entity_parts
from ospo_scan.survey.model import RuleTally

_PAGE_MAKERS = ("site", "formats")
"""The packages whose code makes the pages: an entity's pages are made again when their code,
the tool's version, the entity's audits or what privacy keeps out differ from the last build's."""


@cache
def _makers_digest() -> str:
    digest = hashlib.sha256(__version__.encode("utf-8"))
    for package in _PAGE_MAKERS:
        folder = files("ospo_scan") / package
        for module in sorted(folder.iterdir(), key=lambda m: m.name):
            if module.name.endswith(".py"):
                digest.update(module.name.encode("utf-8") + b"\0" + module.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Audit:
    """One audit of an entity."""

    store: HistoryStore
    """The store it was read from."""
    record: AuditRecord
    """Its row of the store."""
    tallies: Mapping[str, RuleTally]
    """Per rule, in-scope repositories passing, of those where it applied."""

    @property
    def started(self) -> str:
        return self.record.started

    @property
    def score(self) -> float | None:
        return self.record.score


@dataclass(frozen=True)
class EntityAudits:
    """One entity's audits, oldest first, and what the index needs of the latest."""

    name: str
    """The entity's name, as its reports give it."""
    audits: tuple[Audit, ...]
    """Its audits, oldest first."""
    shown: tuple[RepositoryRecord, ...]
    """The repositories of its latest audit that the site publishes."""
    withheld: tuple[str, ...]
    """Names of repositories of its latest audit that the site leaves out."""
    entity: EntitySummary
    """The entity part of its latest audit's report."""
    fingerprint: str
    """What its pages are made of: equal fingerprints make equal pages."""
    include_private: bool
    """Whether repositories that are not public are published."""

    @property
    def latest(self) -> Audit:
        return self.audits[-1]

    @property
    def previous(self) -> Audit | None:
        return self.audits[-2] if len(self.audits) > 1 else None


@dataclass(frozen=True)
class RepositoryHistory:
    """A published repository over the audits that saw it."""

    seen: tuple[tuple[int, RepositoryRecord], ...]
    """(index of the audit in `EntityAudits.audits`, the repository in it), oldest first."""
    outcomes: Mapping[str, Mapping[int, Outcome]]
    """Per rule, its outcome by audit index."""


@dataclass(frozen=True)
class EntityDetail:
    """What an entity's own pages show beyond `EntityAudits`: read only for the pages made."""

    report: Report
    """Its latest audit's full report, with only the repositories the site publishes."""
    repositories: Mapping[str, RepositoryHistory]
    """Every published repository of its audits, by name."""


def open_stores(paths: Sequence[Path], reports: Iterable[Report]) -> list[HistoryStore]:
    """The stores, then a store in memory holding `reports`; UsageError for a store that does
    not exist, StoreError for one that is not a usable store. The caller closes them."""
    stores: list[HistoryStore] = []
    try:
        for path in paths:
            if not path.is_file():
                raise UsageError(f"no history store at {path}")
            store = open_store(path, create=False)
            if store is not None:  # None: an empty file, nothing recorded
                stores.append(store)
        given = memory_store()
        stores.append(given)
        for report in reports:
            given.record_scan(report, format_json(report), format_json)
    except BaseException:
        for store in stores:
            store.close()
        raise
    return stores


def group_audits(
    stores: Sequence[HistoryStore], *, include_private: bool
) -> tuple[EntityAudits, ...]:
    """Audits by entity, each once (the same entity and start in two stores is one audit; the
    later store's counts), oldest first; entities by name."""
    by_entity: dict[str, dict[str, tuple[HistoryStore, AuditRecord]]] = {}
    tallies: dict[tuple[int, int], Mapping[str, tuple[int, int]]] = {}
    for number, store in enumerate(stores):
        for scan_id, rules in rule_tallies(store).items():
            tallies[number, scan_id] = rules
        for record in audit_records(store):
            by_entity.setdefault(record.entity, {})[record.started] = (store, record)
    numbers = {id(store): number for number, store in enumerate(stores)}
    groups = []
    for name in sorted(by_entity, key=lambda n: (n.casefold(), n)):
        chosen = [by_entity[name][started] for started in sorted(by_entity[name])]
        audits = tuple(
            Audit(store, record, _tallies(tallies.get((numbers[id(store)], record.scan_id), {})))
            for store, record in chosen
        )
        groups.append(_group(name, audits, include_private=include_private))
    return tuple(groups)


def _tallies(counts: Mapping[str, tuple[int, int]]) -> dict[str, RuleTally]:
    return {rule: RuleTally(*pair) for rule, pair in counts.items()}


def _group(name: str, audits: tuple[Audit, ...], *, include_private: bool) -> EntityAudits:
    latest = audits[-1]
    rows = repositories(latest.store, [latest.record.scan_id])[latest.record.scan_id]
    shown = tuple(r for r in rows if include_private or r.visibility == "public")
    withheld = tuple(r.name for r in rows if not include_private and r.visibility != "public")
    origin = f"{latest.store.path} scan {latest.record.scan_id}"
    entity = entity_from_dict(entity_summary(latest.store, latest.record.scan_id), origin=origin)
    digest = hashlib.sha256(
        "\0".join([_makers_digest(), str(include_private), *(a.record.uid for a in audits)]).encode(
            "utf-8"
        )
    ).hexdigest()
    return EntityAudits(name, audits, shown, withheld, entity, digest, include_private)


def entity_detail(group: EntityAudits) -> EntityDetail:
    """The latest full report and every published repository's history of an entity."""
    latest = group.latest
    text = latest.store.report_json(latest.record.scan_id) or ""
    report = parse_report(text, origin=f"{latest.store.path} scan {latest.record.scan_id}")
    report = next((p for p in entity_parts(report) if p.entity.name == group.name), report)
    seen: dict[str, list[tuple[int, RepositoryRecord]]] = {}
    by_store: dict[int, list[int]] = {}
    for index, audit in enumerate(group.audits):
        by_store.setdefault(id(audit.store), []).append(index)
    rows: dict[int, list[RepositoryRecord]] = {}
    for indices in by_store.values():
        store = group.audits[indices[0]].store
        found = repositories(store, [group.audits[i].record.scan_id for i in indices])
        rows.update((i, found[group.audits[i].record.scan_id]) for i in indices)
    for index in range(len(group.audits)):
        for row in rows[index]:
            seen.setdefault(row.name, []).append((index, row))
    published = {
        name
        for name, rows in seen.items()
        if group.include_private or rows[-1][1].visibility == "public"
    }
    outcomes: dict[str, dict[str, dict[int, Outcome]]] = {}
    for indices in by_store.values():
        store = group.audits[indices[0]].store
        index_of = {group.audits[i].record.scan_id: i for i in indices}
        histories_here = outcome_histories(store, index_of, published)
        for repository, rules in histories_here.items():
            mine = outcomes.setdefault(repository, {})
            for rule, by_audit in rules.items():
                mine.setdefault(rule, {}).update(by_audit)
    histories = {
        name: RepositoryHistory(tuple(seen[name]), outcomes.get(name, {}))
        for name in sorted(published)
    }
    kept = tuple(r for r in report.repositories if r.name in published)
    return EntityDetail(replace(report, repositories=kept), histories)
