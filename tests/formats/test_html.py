"""The HTML report: self-contained, inert with hostile strings, and legible in a real browser.

The browser tests render the report in headless Chromium and check the DOM Chromium built (not
only the HTML text); they are skipped, saying why, when no Chromium is installed.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.formats.html import CONTENT_SECURITY_POLICY, format_html
from ospo_scan.model import Outcome, Report
from tests.formats.chromium import dump_dom, find_chromium, screenshot
from tests.formats.sample import HOSTILE_DESCRIPTION, HOSTILE_NAME, HOSTILE_PATH

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`)"
)


class _Dom(HTMLParser):
    """Elements with their attributes, and the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def having(self, tag: str, **attributes: str) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.elements
            if name == tag
            and all(attrs.get(k.replace("_", "-")) == v for k, v in attributes.items())
        ]

    def classed(self, tag: str, css_class: str) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.elements
            if name == tag and css_class in attrs.get("class", "").split()
        ]


def _parse(html: str) -> _Dom:
    dom = _Dom()
    dom.feed(html)
    return dom


def _check_inert(dom: _Dom) -> None:
    tags = {tag for tag, _ in dom.elements}
    forbidden = {"script", "img", "iframe", "object", "embed", "link", "base", "form", "input"}
    assert tags.isdisjoint(forbidden)
    for _, attrs in dom.elements:
        assert not [name for name in attrs if name.startswith("on")]
        assert "src" not in attrs
    for link in dom.having("a"):
        href = link["href"]
        assert re.match(r"^(https?://|file://|#repo-\d+$)", href), href


def test_the_page_is_self_contained(report: Report) -> None:
    html = format_html(report)
    dom = _parse(html)
    _check_inert(dom)
    assert dom.having("meta", http_equiv="Content-Security-Policy") == [
        {"http-equiv": "Content-Security-Policy", "content": CONTENT_SECURITY_POLICY}
    ]
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "@import" not in html
    assert "url(" not in html


def test_links_keep_only_safe_schemes(report: Report) -> None:
    hrefs = {link["href"] for link in _parse(format_html(report)).having("a")}
    assert "https://github.com/un-example/registry" in hrefs
    assert "https://ospo-scan.example/rules/license" in hrefs
    assert not [href for href in hrefs if "javascript" in href]


@pytest.fixture
def rendered(report: Report, tmp_path: Path) -> tuple[_Dom, Path]:
    assert CHROMIUM is not None
    page = tmp_path / "report.html"
    page.write_text(format_html(report), encoding="utf-8")
    return _parse(dump_dom(CHROMIUM, page, tmp_path / "profile")), page


@needs_chromium
def test_rendered_page_has_no_injected_element(rendered: tuple[_Dom, Path]) -> None:
    dom, _ = rendered
    _check_inert(dom)
    text = "".join(dom.text)
    assert HOSTILE_NAME in text
    assert HOSTILE_DESCRIPTION in text
    assert HOSTILE_PATH in text
    assert "UN Example <Agency> & [Friends](javascript:x)" in text


@needs_chromium
def test_rendered_page_shows_score_chart_and_heatmap(
    rendered: tuple[_Dom, Path], report: Report
) -> None:
    dom, _ = rendered
    text = "".join(dom.text)
    assert "64.7" in text
    assert "developing" in text
    assert dom.having("div", id="entity-score")
    # the chart: one bar per band of ten points
    assert len(dom.having("svg")) == 1
    assert len(dom.having("rect")) == 10
    # the heatmap: a cell per repository and rule, and a legend entry per outcome
    assert len(dom.classed("td", "cell")) == len(report.repositories) * 5
    assert len(dom.classed("td", "o-fail")) == 6
    assert len(dom.classed("span", "swatch")) == len(Outcome)
    # evidence and remediation per repository, the unreadable and the worst scored one open
    details = dom.classed("details", "repo")
    assert len(details) == len(report.repositories)
    assert [d["id"] for d in details if "open" in d] == ["repo-1", "repo-2"]
    assert f"Description: {HOSTILE_DESCRIPTION}" in text
    assert "Add SECURITY.md naming a private channel for vulnerability reports." in text
    # errors are listed at the top
    assert dom.having("section", id="errors")
    assert "un-example/private-mirror: GitHub answered 403 for the repository's contents." in text
    assert "rule changelog: CHANGELOG.md could not be read: too large." in text


@needs_chromium
def test_screenshot_is_taken(rendered: tuple[_Dom, Path], tmp_path: Path) -> None:
    """A person can look at the report: set OSPO_SCAN_SCREENSHOT_DIR to keep the PNG."""
    assert CHROMIUM is not None
    _, page = rendered
    png = tmp_path / "report.png"
    screenshot(CHROMIUM, page, tmp_path / "profile-shot", png)
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert (width, height) == (1280, 2000)
    keep = os.environ.get("OSPO_SCAN_SCREENSHOT_DIR")
    if keep:
        shutil.copy(png, Path(keep) / "sample-report.png")


def test_repositories_sharing_a_name_keep_their_own_anchor(report: Report) -> None:
    twin = dataclasses.replace(report.repositories[0], url="https://gitlab.example/registry")
    html = format_html(dataclasses.replace(report, repositories=(*report.repositories, twin)))
    dom = _parse(html)
    anchors = [d["id"] for d in dom.classed("details", "repo")]
    assert len(anchors) == len(set(anchors)) == len(report.repositories) + 1
    targets = [a["href"] for a in dom.having("a") if a["href"].startswith("#")]
    assert sorted(targets) == sorted(f"#{anchor}" for anchor in anchors)


def _requests_while_loading(html: str, tmp_path: Path, name: str) -> list[str]:
    """The paths Chromium asks a local server for while loading the page from it."""
    from pytest_httpserver import HTTPServer

    assert CHROMIUM is not None
    server = HTTPServer(host="127.0.0.1", port=0)
    server.expect_request("/report.html").respond_with_data(html, content_type="text/html")
    server.start()
    try:
        dump_dom(CHROMIUM, server.url_for("/report.html"), tmp_path / f"profile-{name}")
        return [request.path for request, _ in server.log]
    finally:
        server.clear()
        server.stop()


@needs_chromium
def test_loading_the_page_requests_nothing_else(report: Report, tmp_path: Path) -> None:
    html = format_html(report)
    assert _requests_while_loading(html, tmp_path, "report") == ["/report.html"]
    # were an element with a source ever injected, the page's policy would stop the request...
    injected = html.replace("<body>", '<body><img src="/probe.png" alt="">', 1)
    assert _requests_while_loading(injected, tmp_path, "csp") == ["/report.html"]
    # ...which the harness would otherwise see
    open_policy = injected.replace(
        f'content="{CONTENT_SECURITY_POLICY}"', 'content="default-src *"'
    )
    assert "/probe.png" in _requests_while_loading(open_policy, tmp_path, "open")


def test_code_in_messages_renders_as_code_and_stays_inert(report: Report) -> None:
    hostile = report.repositories[1]
    results = tuple(
        dataclasses.replace(r, message="Run `pytest -q` then `<script>alert(1)</script>`.")
        if r.rule == "readme"
        else r
        for r in hostile.results
    )
    changed = dataclasses.replace(hostile, results=results)
    page = format_html(dataclasses.replace(report, repositories=(changed,)))
    assert (
        "Run <code>pytest -q</code> then <code>&lt;script&gt;alert(1)&lt;/script&gt;</code>."
        in page
    )
    visible = re.sub(r'title="[^"]*"', "", page)  # tooltips are plain text, as they should be
    assert "`pytest" not in visible


def test_a_scan_of_several_entities_lists_them_and_what_to_fix_first(tmp_path: Path) -> None:
    entities = Path(__file__).resolve().parents[2] / "fixtures" / "survey-demo" / "entities"
    page = tmp_path / "report.html"
    targets = [str(entities / "open-data-agency"), str(entities / "maritime-standards-body")]
    result = CliRunner().invoke(main, ["scan", *targets, "--no-history", "--output", str(page)])
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    table = re.search(r'<section id="entities">.*?</section>', html)
    assert table is not None
    rows = re.findall(r"<tr><td>(?:<a [^>]*>)?([^<]+)(?:</a>)?</td><td class='num'>", table[0])
    assert rows == ["Open Data Agency", "Maritime Standards Body"]
    fix_first = re.search(r'<section id="fix-first">.*?</section>', html)
    assert fix_first is not None
    assert fix_first[0].count("<li><b>+") >= 1


def test_a_card_per_item_with_its_rules_and_what_pulls_it_down(report: Report) -> None:
    dom = _parse(format_html(report))
    principles = dom.having("section", id="framework-un-principles")
    assert principles
    cards = [c["id"] for c in dom.classed("div", "card")]
    assert cards[:8] == [f"item-un-principles-{n}" for n in range(1, 9)]
    assert len(cards) == 8 + 9 + 5  # and the 5 Baseline controls un-ospo's rules evidence
    text = "".join(dom.text)
    assert "1. Open by default" in text
    assert f"Pulled down by: {HOSTILE_NAME} (50.0)" in text
    # an item without evidence says so: it is never shown as 0
    assert len(dom.classed("div", "status-declared")) == 2
    # principles 2, 5, 7, 8, indicators 1, 3, 4, 6, 7, 8, 9 and control OSPS-AC-03.02
    # (branch-protection did not run) have no rule that counted
    assert text.count("no evidence") == 4 + 7 + 1
    assert "No rule evidences it: repositories cannot show it." in text
    declared = [a["href"] for a in dom.having("a") if "un-example.org/contribute" in a["href"]]
    assert declared == ["https://un-example.org/contribute?a=1&b=%3Cx%3E"]
    assert not dom.classed("table", "grid")  # one entity: no grid


def test_several_entities_get_an_entity_by_principle_grid(report: Report) -> None:
    from ospo_scan.config import load_ruleset
    from ospo_scan.scan.frameworks import entity_frameworks

    mapping = load_ruleset("un-ospo", load_plugins=False).mapping
    first = dataclasses.replace(report.entity, name="Agency A")
    second = dataclasses.replace(
        report.entity,
        name="Agency B",
        principles={},
        frameworks=entity_frameworks(mapping, report.repositories[:1]),
    )
    dom = _parse(format_html(dataclasses.replace(report, entities=(first, second))))
    grids = dom.classed("table", "grid")
    assert len(grids) == 3  # one per framework
    page = format_html(dataclasses.replace(report, entities=(first, second)))
    grid = page.split('<table class="grid">', 1)[1].split("</table>", 1)[0]
    rows = grid.split("<tr>")[2:]
    assert rows[0].startswith('<td class="name">Agency A</td>')
    assert "declared yes" in rows[0]  # principle 2: declared, not evidenced
    assert rows[1].startswith('<td class="name">Agency B</td>')
    # the compliant repository alone: principles 1, 3, 4 and 6 at 100, the others no evidence
    assert rows[1].count('class="pill band-a">100.0') == 4
    assert rows[1].count('<td class="num muted">—</td>') == 4
