"""A site of a year of weekly audits (more than the pages show) stays small and whole: each
page within a bound proportional to what it shows, never to how many audits there were; every
link resolves; and in headless Chromium no page asks for anything but itself or logs an error.
(The bench, bench/site.py, measures the system's full size and speed.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.site.figures import MAX_POINTS
from tests.formats.chromium import find_chromium
from tests.site.generated import Size, gone, published, record
from tests.site.pages import broken_links, load_quietly, pages_of, served

SIZE = Size(entities=4, repositories=16, audits=MAX_POINTS + 2, rules=10)
KB = 1000
CHROMIUM = find_chromium()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    record(SIZE, root / "history.sqlite3")
    output = root / "site"
    result = CliRunner().invoke(
        main,
        ["site", "--history", str(root / "history.sqlite3"), "--output", str(output)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return output


def _largest(site: Path, kind: str) -> int:
    return max(path.stat().st_size for path in (site / kind).glob("*.html"))


def test_pages_stay_within_what_they_show(site: Path) -> None:
    pages = pages_of(site)
    repositories = [name for name in pages if name.startswith("repo/")]
    # every repository ever published, the one gone from the latest audit included
    assert len(repositories) == SIZE.entities * len(published(SIZE))
    assert any(f"-repository-{gone(SIZE):03d}-" in name for name in repositories)
    assert _largest(site, "repo") <= 3 * KB + 350 * SIZE.rules  # about 250 bytes a rule
    assert _largest(site, "entity") <= 10 * KB + 500 * SIZE.repositories
    assert _largest(site, "rule") <= 4 * KB + 160 * MAX_POINTS + 1200 * SIZE.entities
    index = (site / "index.html").stat().st_size
    assert index <= 8 * KB + 1500 * SIZE.entities + 400 * SIZE.rules


def test_a_repository_page_shows_its_latest_audits_as_runs(site: Path) -> None:
    page = next((site / "repo").glob("*repository-000-*.html")).read_text(encoding="utf-8")
    assert f"{MAX_POINTS} audits from" in page  # the latest year of weekly audits, no more
    cells = re.findall(r'<td class="runs">([^<]*)', page)  # the cell's end tag is left out
    assert len(cells) == SIZE.rules
    for cell in cells:
        runs = [re.fullmatch(r"(\D)(\d*)", run) for run in cell.split()]
        assert all(runs), cell
        assert sum(int(run[2] or 1) for run in runs if run) == MAX_POINTS, cell
    assert any(len(cell.split()) > 1 for cell in cells)  # some outcome changed over the year


def test_every_link_resolves(site: Path) -> None:
    assert broken_links(site, pages_of(site)) == []


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_the_largest_pages_load_quietly_and_ask_for_nothing_else(
    site: Path, tmp_path: Path
) -> None:
    assert CHROMIUM is not None
    chosen = ["index.html", "survey.html"]
    for kind in ("entity", "repo", "rule"):
        largest = max((site / kind).glob("*.html"), key=lambda path: path.stat().st_size)
        chosen.append(largest.relative_to(site).as_posix())
    with served(site, chosen) as server:
        for number, name in enumerate(chosen):
            dom = load_quietly(CHROMIUM, server, name, tmp_path / f"p{number}")
            assert "</body>" in dom, name
