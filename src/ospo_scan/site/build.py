"""Every page of a site, and writing it: a file is written only when its bytes change, and a
page the site no longer has is removed, so a new audit rewrites only the pages it changes.

The site's manifest (`MANIFEST`) lists the pages its last build wrote, and for each entity the
fingerprint of what its pages were made of: an entity whose audits are the same as then keeps
its pages without them being made again. A rebuild removes only pages the manifest lists, and a
directory holding other files and no manifest is refused rather than mixed into.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ospo_scan.errors import UsageError
from ospo_scan.history.audits import failing, rule_names
from ospo_scan.site.audits import EntityAudits, entity_detail
from ospo_scan.site.entity import entity_html
from ospo_scan.site.figures import system_over_time
from ospo_scan.site.html import CRUMBS_STYLE
from ospo_scan.site.index import index_html
from ospo_scan.site.links import INDEX, SURVEY, entity_page, repository_page, rule_page
from ospo_scan.site.repository import repository_html, usual_remediations
from ospo_scan.site.rule import rule_html
from ospo_scan.survey.html import format_survey_html
from ospo_scan.survey.model import Survey

MANIFEST = ".ospo-scan-site"
"""The site's manifest: JSON, `{"pages": [...], "entities": {entity page: {"fingerprint",
"pages"}}}` (a site of an earlier version has a page a line)."""


@dataclass(frozen=True)
class EntityPages:
    """An entity's pages in a build."""

    fingerprint: str
    """What they were made of (`EntityAudits.fingerprint`)."""
    pages: tuple[str, ...]
    """The entity page and its repositories' pages."""


@dataclass(frozen=True)
class Site:
    """A build: the pages made, and the pages of the previous build kept as they are."""

    pages: dict[str, str]
    """Pages made, by path relative to the site's root."""
    entities: dict[str, EntityPages] = field(default_factory=dict)
    """Every entity's pages, by its entity page."""
    kept: tuple[str, ...] = ()
    """Pages of unchanged entities, not made again."""


@dataclass(frozen=True)
class WriteSummary:
    """What writing a site did."""

    written: tuple[str, ...]
    """Pages written: new, or with bytes that changed."""
    unchanged: int
    """Pages whose bytes were already there, or that were not made again."""
    removed: tuple[str, ...]
    """Pages of the previous build that this one no longer has."""


def build_site(
    groups: Sequence[EntityAudits],
    survey: Survey,
    *,
    include_private: bool,
    previous: Mapping[str, EntityPages] | None = None,
) -> Site:
    """Every page of every entity whose fingerprint differs from `previous` (the last build's,
    with every page still there), and the pages of the whole system."""
    points = system_over_time(groups)
    pages = {
        INDEX: index_html(groups, points, survey, include_private=include_private),
        SURVEY: _survey_page(survey),
    }
    entities: dict[str, EntityPages] = {}
    kept: list[str] = []
    for group in groups:
        own = entity_page(group.name)
        before = (previous or {}).get(own)
        if before is not None and before.fingerprint == group.fingerprint:
            entities[own] = before
            kept.extend(before.pages)
            continue
        detail = entity_detail(group)
        latest = {repo.name: repo for repo in detail.report.repositories}
        usual = usual_remediations(detail.report)
        made = {own: entity_html(group, detail, usual)}
        for name, history in detail.repositories.items():
            made[repository_page(group.name, name)] = repository_html(
                group, name, history, latest.get(name), usual
            )
        entities[own] = EntityPages(group.fingerprint, tuple(made))
        pages.update(made)
    failures = _failing(groups)
    rules = {rule for group in groups for rule in rule_names(group.latest.store)}
    for group in groups:
        for audit in group.audits:
            rules.update(audit.tallies)
    for rule in sorted(rules):
        by_entity = {name: found[rule] for name, found in failures.items() if rule in found}
        pages[rule_page(rule)] = rule_html(rule, groups, points, by_entity)
    return Site(pages, entities, tuple(kept))


def _failing(groups: Sequence[EntityAudits]) -> dict[str, dict[str, list[str]]]:
    """Per entity, per rule: its published repositories failing it or passing it partly in its
    latest audit."""
    by_store: dict[int, list[EntityAudits]] = {}
    for group in groups:
        by_store.setdefault(id(group.latest.store), []).append(group)
    found: dict[str, dict[str, list[str]]] = {}
    for members in by_store.values():
        store = members[0].latest.store
        per_scan = failing(store, [g.latest.record.scan_id for g in members])
        for group in members:
            shown = {repo.name for repo in group.shown}
            rules = per_scan.get(group.latest.record.scan_id, {})
            found[group.name] = {
                rule: kept
                for rule, names in rules.items()
                if (kept := [name for name in names if name in shown])
            }
    return found


def _survey_page(survey: Survey) -> str:
    """The survey's own HTML page, with the way back to the index."""
    text = format_survey_html(survey)
    nav = f'<nav class="crumbs" aria-label="Breadcrumb"><a href="{INDEX}">All entities</a></nav>\n'
    return text.replace("<body>\n", "<body>\n" + nav, 1).replace(
        "</style>", f"\n{CRUMBS_STYLE}</style>", 1
    )


def previous_build(output: Path) -> dict[str, EntityPages]:
    """The entities of the site's last build in `output` whose pages are all still there;
    UsageError when `output` is not a directory, or holds files that are not a site's."""
    pages, entities = _read_manifest(output)
    del pages
    return {
        own: built
        for own, built in entities.items()
        if all(_is_page(page) and (output / page).is_file() for page in built.pages)
    }


def _read_manifest(output: Path) -> tuple[list[str], dict[str, EntityPages]]:
    manifest = output / MANIFEST
    try:
        if output.exists() and not output.is_dir():
            raise UsageError(f"--output {output} is not a directory")
        if output.is_dir() and not manifest.is_file() and any(output.iterdir()):
            raise UsageError(
                f"--output {output} holds files that are not an ospo-scan site",
                hint="give an empty or new directory, or the directory of an earlier site",
            )
        text = manifest.read_text(encoding="utf-8") if manifest.is_file() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the site in {output}: {exc}") from exc
    try:
        document = json.loads(text)
        pages = [p for p in document["pages"] if isinstance(p, str)]
        entities = {
            str(own): EntityPages(str(e["fingerprint"]), tuple(str(p) for p in e["pages"]))
            for own, e in document["entities"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        return text.splitlines(), {}  # a page a line, or damaged: every entity made again
    return pages, entities


def write_site(site: Site, output: Path) -> WriteSummary:
    """Write the pages under `output`; UsageError when it cannot, or when `output` holds files
    that are not a site's."""
    before, _ = _read_manifest(output)
    listed = set(site.pages) | set(site.kept)
    try:
        written = []
        folders: set[Path] = set()
        for relative, text in sorted(site.pages.items()):
            path = output / relative
            data = text.encode("utf-8")
            if path.is_file() and path.read_bytes() == data:
                continue
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            path.write_bytes(data)
            written.append(relative)
        removed = tuple(r for r in before if r not in listed and _is_page(r))
        for relative in removed:
            (output / relative).unlink(missing_ok=True)
        manifest = {
            "pages": sorted(listed),
            "entities": {
                own: {"fingerprint": built.fingerprint, "pages": list(built.pages)}
                for own, built in sorted(site.entities.items())
            },
        }
        data = (json.dumps(manifest, indent=0, sort_keys=True) + "\n").encode("utf-8")
        path = output / MANIFEST
        output.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write the site in {output}: {exc.strerror or exc}") from exc
    return WriteSummary(tuple(written), len(listed) - len(written), removed)


def _is_page(relative: str) -> bool:
    """A line of the manifest that names a page the site could have made (never a path out)."""
    parts = relative.split("/")
    return relative.endswith(".html") and ".." not in parts and not relative.startswith("/")
