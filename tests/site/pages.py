"""Reading a built site back: its pages, their links and elements."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from tests.formats.chromium import load

if TYPE_CHECKING:
    from pytest_httpserver import HTTPServer


class Page(HTMLParser):
    """A page's elements (with attributes) and text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)

    def links(self) -> list[str]:
        return [attrs["href"] for tag, attrs in self.elements if tag == "a" and "href" in attrs]


def pages_of(site: Path) -> dict[str, Page]:
    """Every HTML page of the site, by its path relative to the site's root."""
    return {
        path.relative_to(site).as_posix(): Page(path.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*.html"))
    }


def broken_links(site: Path, pages: dict[str, Page]) -> list[str]:
    """Links between pages that lead to no file of the site (links out are checked apart)."""
    broken = []
    for name, page in pages.items():
        for href in page.links():
            if urlsplit(href).scheme:
                continue
            target = (site / name).parent / unquote(href.split("#")[0])
            if not target.resolve().is_relative_to(site.resolve()) or not target.is_file():
                broken.append(f"{name} -> {href}")
    return broken


@contextmanager
def served(site: Path, pages: Sequence[str]) -> Iterator[HTTPServer]:
    """A web server on 127.0.0.1 answering each of the site's `pages`, and nothing else."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0)
    for name in pages:
        server.expect_request(f"/{name}").respond_with_data(
            (site / name).read_bytes(), content_type="text/html; charset=utf-8"
        )
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


def load_quietly(chromium: str, server: HTTPServer, name: str, profile: Path) -> str:
    """The DOM of a served page as headless Chromium builds it, asserting that the page logged
    nothing to the console and asked the server for nothing but itself."""
    server.clear_log()
    dom, console = load(chromium, server.url_for(f"/{name}"), profile)
    assert console == [], name
    assert [request.path for request, _ in server.log] == [f"/{name}"], name
    return dom
