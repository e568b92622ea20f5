"""The audits a site shows: every recorded report, grouped by entity, oldest first, with
only the repositories it may publish.

A report records each repository's visibility (`public`, `private`, `internal`). A site
publishes public repositories only unless asked otherwise; a repository whose visibility was
not recorded (a report older than the field) is not known to be public, so it is left out too;
so is a repository made private since: what counts is its latest audit.
Entity figures (scores, pass rates, framework views) are published as audited: they are
aggregates and name no repository.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ospo_scan.errors import UsageError
from ospo_scan.history.store import open_store
from ospo_scan.model import RepoReport, Report
from ospo_scan.report.loader import parse_report, read_report
from ospo_scan.scan.entities import entity_parts


@dataclass(frozen=True)
class EntityAudits:
    """One entity's audits, oldest first."""

    name: str
    """The entity's name, as its reports give it."""
    reports: tuple[Report, ...]
    """Its audits, oldest first, each with only the repositories the site may publish."""
    withheld: tuple[str, ...] = ()
    """Names of repositories of its latest audit that the site leaves out."""

    @property
    def latest(self) -> Report:
        return self.reports[-1]

    @property
    def previous(self) -> Report | None:
        return self.reports[-2] if len(self.reports) > 1 else None


def read_stores(paths: Sequence[Path]) -> list[Report]:
    """Every report recorded in the stores, in the order recorded; UsageError for a store that
    does not exist, StoreError for one that is not a usable store."""
    reports: list[Report] = []
    for path in paths:
        if not path.is_file():
            raise UsageError(f"no history store at {path}")
        store = open_store(path, create=False)
        if store is None:
            continue  # an empty store: nothing recorded
        with store:
            for record in store.scans():
                text = store.report_json(record.id)
                if text is not None:
                    reports.append(parse_report(text, origin=f"{path} scan {record.id}"))
    return reports


def read_report_files(paths: Iterable[Path]) -> list[Report]:
    return [read_report(path) for path in paths]


def is_public(repo: RepoReport) -> bool:
    return repo.visibility == "public"


def group_audits(reports: Iterable[Report], *, include_private: bool) -> tuple[EntityAudits, ...]:
    """Reports by entity (a scan of several entities counts for each), each audit once (the same
    entity and start in two stores is one audit), oldest first; entities by name. Unless
    `include_private`, only the repositories public in the latest audit that saw them."""
    by_entity: dict[str, dict[str, Report]] = {}
    for report in reports:
        for part in entity_parts(report):
            started = part.scan.started if part.scan else ""
            by_entity.setdefault(part.entity.name, {})[started] = part
    groups = []
    for name in sorted(by_entity, key=lambda n: (n.casefold(), n)):
        ordered = [by_entity[name][started] for started in sorted(by_entity[name])]
        if include_private:
            groups.append(EntityAudits(name, tuple(ordered)))
            continue
        public = _public_names(ordered)
        withheld = tuple(r.name for r in ordered[-1].repositories if r.name not in public)
        kept = tuple(_only(report, public) for report in ordered)
        groups.append(EntityAudits(name, kept, withheld))
    return tuple(groups)


def _public_names(reports: Sequence[Report]) -> set[str]:
    """The repositories public in the latest audit that saw them: one made private since is
    not published, its public past included."""
    latest: dict[str, RepoReport] = {}
    for report in reports:  # oldest first
        latest.update((repo.name, repo) for repo in report.repositories)
    return {name for name, repo in latest.items() if is_public(repo)}


def _only(report: Report, names: set[str]) -> Report:
    return replace(report, repositories=tuple(r for r in report.repositories if r.name in names))
