"""Every page of a site, and writing it: a file is written only when its bytes change, and a
page the site no longer has is removed, so a new audit rewrites only the pages it changes.

The site's own list of pages (`MANIFEST`) says which files it made: a rebuild removes only
those, and a directory holding other files and no list is refused rather than mixed into.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ospo_scan.errors import UsageError
from ospo_scan.site.audits import EntityAudits
from ospo_scan.site.entity import entity_html
from ospo_scan.site.figures import system_over_time
from ospo_scan.site.html import CRUMBS_STYLE
from ospo_scan.site.index import index_html
from ospo_scan.site.links import INDEX, SURVEY, entity_page, repository_page, rule_page
from ospo_scan.site.repository import audits_by_repository, repository_html
from ospo_scan.site.rule import rule_html
from ospo_scan.survey.html import format_survey_html
from ospo_scan.survey.model import Survey

MANIFEST = ".ospo-scan-site"
"""The file listing the pages a site's last build wrote, one relative path a line."""


@dataclass(frozen=True)
class WriteSummary:
    """What writing a site did."""

    written: tuple[str, ...]
    """Pages written: new, or with bytes that changed."""
    unchanged: int
    """Pages whose bytes were already there."""
    removed: tuple[str, ...]
    """Pages of the previous build that this one no longer has."""


def build_site(
    groups: Sequence[EntityAudits], survey: Survey, *, include_private: bool
) -> dict[str, str]:
    """Every page, by its path relative to the site's root."""
    points = system_over_time(groups)
    pages = {
        INDEX: index_html(groups, points, survey, include_private=include_private),
        SURVEY: _survey_page(survey),
    }
    rules: set[str] = set()
    for group in groups:
        pages[entity_page(group.name)] = entity_html(group)
        for name, seen in audits_by_repository(group).items():
            pages[repository_page(group.name, name)] = repository_html(group, seen)
        rules.update(
            result.rule
            for report in group.reports
            for repo in report.repositories
            for result in repo.results
        )
    for rule in sorted(rules):
        pages[rule_page(rule)] = rule_html(rule, groups, points)
    return pages


def _survey_page(survey: Survey) -> str:
    """The survey's own HTML page, with the way back to the index."""
    text = format_survey_html(survey)
    nav = f'<nav class="crumbs" aria-label="Breadcrumb"><a href="{INDEX}">All entities</a></nav>\n'
    return text.replace("<body>\n", "<body>\n" + nav, 1).replace(
        "</style>", f"\n{CRUMBS_STYLE}</style>", 1
    )


def write_site(pages: Mapping[str, str], output: Path) -> WriteSummary:
    """Write the pages under `output`; UsageError when it cannot, or when `output` holds files
    that are not a site's."""
    manifest = output / MANIFEST
    try:
        if output.exists() and not output.is_dir():
            raise UsageError(f"--output {output} is not a directory")
        if output.is_dir() and not manifest.is_file() and any(output.iterdir()):
            raise UsageError(
                f"--output {output} holds files that are not an ospo-scan site",
                hint="give an empty or new directory, or the directory of an earlier site",
            )
        before = manifest.read_text(encoding="utf-8").splitlines() if manifest.is_file() else []
        written = []
        for relative, text in sorted(pages.items()):
            path = output / relative
            data = text.encode("utf-8")
            if path.is_file() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(relative)
        removed = tuple(r for r in before if r not in pages and _is_page(r))
        for relative in removed:
            (output / relative).unlink(missing_ok=True)
        listing = "".join(f"{relative}\n" for relative in sorted(pages)).encode("utf-8")
        if not manifest.is_file() or manifest.read_bytes() != listing:
            manifest.write_bytes(listing)
    except OSError as exc:
        raise UsageError(f"cannot write the site in {output}: {exc.strerror or exc}") from exc
    return WriteSummary(tuple(written), len(pages) - len(written), removed)


def _is_page(relative: str) -> bool:
    """A line of the manifest that names a page the site could have made (never a path out)."""
    parts = relative.split("/")
    return relative.endswith(".html") and ".." not in parts and not relative.startswith("/")
