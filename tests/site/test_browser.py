"""Every page of a site in headless Chromium: it loads from `file://` and from a web server
without a console message and without asking for anything but itself; a person can look at
the screenshots (set OSPO_SCAN_SCREENSHOT_DIR to keep them)."""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from tests.formats.chromium import find_chromium, load, screenshot
from tests.site.pages import Page, load_quietly, served
from tests.site.system import System

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`)"
)


@pytest.fixture
def site(system: System, tmp_path: Path) -> Path:
    output = tmp_path / "site"
    result = CliRunner().invoke(
        main,
        ["site", "--history", str(system.store), "--output", str(output)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return output


@needs_chromium
def test_every_page_loads_quietly_and_asks_for_nothing_else(site: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    with served(site, pages) as server:
        for number, name in enumerate(pages):
            rendered = Page(load_quietly(CHROMIUM, server, name, tmp_path / f"p{number}"))
            assert rendered.all_text.strip(), name
            assert "script" not in {tag for tag, _ in rendered.elements}, name
        # the harness sees what it looks for: an injected image is refused, and said so
        probe = (site / pages[0]).read_text(encoding="utf-8")
        probe = probe.replace("<main>", '<main><img src="/probe.png" alt="">', 1)
        server.expect_request("/probe.html").respond_with_data(probe, content_type="text/html")
        server.clear_log()
        _, console = load(CHROMIUM, server.url_for("/probe.html"), tmp_path / "probe")
        assert any("probe.png" in line for line in console)
        assert [request.path for request, _ in server.log] == ["/probe.html"]


@needs_chromium
def test_pages_render_from_file_urls(site: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    keep = os.environ.get("OSPO_SCAN_SCREENSHOT_DIR")
    for name in ("index.html", "survey.html", *_one_of_each(site)):
        dom, console = load(CHROMIUM, site / name, tmp_path / "profile")
        assert console == [], name
        assert Page(dom).all_text.strip(), name
        png = tmp_path / (name.replace("/", "-") + ".png")
        screenshot(CHROMIUM, site / name, tmp_path / "profile-shot", png, height=1400)
        header = png.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", header[16:24]) == (1280, 1400)
        if keep:
            shutil.copy(png, Path(keep) / f"site-{png.name}")


def _one_of_each(site: Path) -> list[str]:
    return [
        sorted(p.relative_to(site).as_posix() for p in (site / kind).glob("*.html"))[0]
        for kind in ("entity", "repo", "rule")
    ]
