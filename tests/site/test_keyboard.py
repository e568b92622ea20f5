"""The site by keyboard alone: tabbing through the index and an entity page reaches every link
and control in document order, each with a visible focus outline that stands out from what is
behind it (WCAG 2.4.7, 1.4.11: 3:1), in real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.site.links import INDEX, entity_page
from tests.formats.chromium import find_chromium
from tests.site.devtools import Browser
from tests.site.system import HOSTILE_ENTITY, System
from tests.site.test_style import contrast

CHROMIUM = find_chromium()
NON_TEXT = 3.0
"""WCAG 1.4.11: a focus indicator's contrast with what is next to it."""

FOCUSABLE = """[...document.querySelectorAll(
  'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter(el => el.getClientRects().length > 0).map(el => DESCRIBE(el))"""
DESCRIBE = """(el) => el.tagName.toLowerCase() + ' ' + (el.getAttribute('href') || '') + ' '
  + el.textContent.trim().slice(0, 40)"""
FOCUSED = """(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  let behind = el.parentElement, background = 'rgba(0, 0, 0, 0)';
  while (behind) {
    background = getComputedStyle(behind).backgroundColor;
    if (background !== 'rgba(0, 0, 0, 0)' && background !== 'transparent') break;
    behind = behind.parentElement;
  }
  if (!behind) background = 'rgb(255, 255, 255)';
  return {element: (DESCRIBE)(el), outline: style.outlineStyle, width: style.outlineWidth,
          colour: style.outlineColor, behind: background};
})()"""


@pytest.fixture
def site(system: System, tmp_path: Path) -> Path:
    output = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["site", "--history", str(system.store), "--output", str(output)]
    )
    assert result.exit_code == 0, result.stderr
    return output


def _hex(css: str) -> str:
    red, green, blue = (int(n) for n in re.findall(r"\d+", css)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
@pytest.mark.parametrize("name", [INDEX, entity_page(HOSTILE_ENTITY)])
def test_tab_reaches_every_link_in_order_with_a_visible_focus(
    site: Path, tmp_path: Path, name: str
) -> None:
    assert CHROMIUM is not None
    with Browser(CHROMIUM, tmp_path / "profile") as browser:
        browser.open(site / name)
        expected = browser.evaluate(FOCUSABLE.replace("DESCRIBE", f"({DESCRIBE})"))
        assert len(expected) > 5  # the page has links to walk through
        reached: list[str] = []
        for _ in range(len(expected)):
            browser.press_tab()
            focused = browser.evaluate(FOCUSED.replace("DESCRIBE", DESCRIBE))
            assert focused is not None, f"focus left the page after {reached}"
            reached.append(focused["element"])
            assert focused["outline"] not in ("none", ""), focused
            assert float(focused["width"].removesuffix("px")) >= 2, focused
            ratio = contrast(_hex(focused["colour"]), _hex(focused["behind"]))
            assert ratio >= NON_TEXT, focused
        assert reached == expected
        browser.press_tab()  # past the last link, focus leaves the page's content
        after = browser.evaluate(FOCUSED.replace("DESCRIBE", DESCRIBE))
        assert after is None or after["element"] not in expected[len(expected) - 1 :]
