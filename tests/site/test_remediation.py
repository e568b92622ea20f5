"""What a rule asks to pass is said once per entity: on the entity's page, for each rule, what
it most often asked in the latest audit; a repository's page repeats it only where the
repository was asked something else."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.formats.json import format_json
from ospo_scan.history.store import open_store
from ospo_scan.model import Outcome
from ospo_scan.site.links import entity_page, repository_page
from tests.site.generated import Size, audit
from tests.site.pages import Page

SIZE = Size(entities=1, repositories=10, audits=2, rules=3)
ASKED_ELSE = "Name the licence the package manifest declares, too."


def _site(tmp_path: Path) -> tuple[Path, str, str]:
    """A site whose latest audit asks one failing repository something else for one rule;
    that repository's name, and the rule's."""
    store = tmp_path / "history.sqlite3"
    reports = [audit(SIZE, 0, week) for week in range(SIZE.audits)]
    latest = reports[-1]
    repo = next(r for r in latest.repositories if r.visibility == "public" and any(
        result.outcome is Outcome.FAIL for result in r.results
    ))  # fmt: skip
    rule = next(result.rule for result in repo.results if result.outcome is Outcome.FAIL)
    results = tuple(
        replace(result, remediation=ASKED_ELSE) if result.rule == rule else result
        for result in repo.results
    )
    repositories = tuple(
        replace(r, results=results) if r.name == repo.name else r for r in latest.repositories
    )
    reports[-1] = replace(latest, repositories=repositories)
    with open_store(store) as opened:
        for report in reports:
            opened.record(report, format_json(report))
    site = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["site", "--history", str(store), "--output", str(site)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return site, repo.name, rule


def _text(site: Path, page: str) -> str:
    return Page((site / page).read_text(encoding="utf-8")).all_text


def test_the_entity_page_says_what_each_rule_usually_asks(tmp_path: Path) -> None:
    site, _, rule = _site(tmp_path)
    text = _text(site, entity_page("Entity 0"))
    assert "How to pass each rule" in text
    usual = f"Do what rule {int(rule.removeprefix('rule-'))} asks."
    assert f"{rule}{usual}" in text  # the rule's row: its link, then what it asks
    assert ASKED_ELSE not in text


def test_a_repository_page_repeats_only_what_it_was_asked_else(tmp_path: Path) -> None:
    site, name, _ = _site(tmp_path)
    page = (site / repository_page("Entity 0", name)).read_text(encoding="utf-8")
    assert f'href="../{entity_page("Entity 0")}#to-pass"' in page
    text = Page(page).all_text
    assert f"To pass: {ASKED_ELSE}" in text
    assert text.count("To pass:") == 1  # the other failing rules asked what they usually ask
    assert "Do what rule" not in text
