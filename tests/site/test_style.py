"""The site's colours: text on every coloured label meets WCAG AA contrast (4.5:1)."""

from __future__ import annotations

import re

from ospo_scan.site.html import SITE_STYLE, with_values

AA = 4.5


def _luminance(colour: str) -> float:
    if len(colour) == 4:  # #fff
        colour = "#" + "".join(digit * 2 for digit in colour[1:])
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _pairs() -> dict[str, tuple[str, str]]:
    variables: dict[str, str] = {}
    for block in re.findall(r":root\s*\{([^}]*)\}", SITE_STYLE):
        variables.update(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})", block))
    pairs = {}
    for name, body in re.findall(r"\.((?:band|o)-[\w-]+)\{([^}]*)\}", SITE_STYLE):
        background = re.search(r"background:(?:var\((--[\w-]+)\)|(#[0-9a-fA-F]{3,6}))", body)
        text = re.search(r"color:(#[0-9a-fA-F]{3,6})", body)
        assert background is not None, name
        assert text is not None, name
        pairs[name] = (variables.get(background[1], background[2] or ""), text[1])
    return pairs


def test_every_label_colour_meets_aa() -> None:
    pairs = _pairs()
    assert {"band-a", "band-b", "band-c", "band-d", "band-none", "o-pass", "o-fail"} <= set(pairs)
    low = {name: round(contrast(*pair), 2) for name, pair in pairs.items() if contrast(*pair) < AA}
    assert low == {}


def test_the_contrast_is_computed_as_wcag_defines_it() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the lightest grey meeting AA


def _variables() -> dict[str, str]:
    variables: dict[str, str] = {}
    for block in re.findall(r":root\s*\{([^}]*)\}", SITE_STYLE):
        variables.update(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})", block))
    return variables


def _rule(selector: str) -> str:
    found = re.search(r"(?:^|[}\s])" + re.escape(selector) + r"\{([^}]*)\}", SITE_STYLE)
    assert found is not None, selector
    return found[1]


def test_text_links_and_the_focus_outline_stand_out_on_every_background() -> None:
    """Body text, muted text and links on the page and on table headings meet AA (4.5:1); the
    keyboard focus outline meets the 3:1 of non-text contrast (WCAG 1.4.11) on both."""
    variables = _variables()
    backgrounds = {"page": "#ffffff", "heading": variables["--panel"]}
    link = re.search(r"color:(#[0-9a-fA-F]{6})", _rule("a"))
    outline = re.search(r"outline:(\d+)px solid (#[0-9a-fA-F]{6})", _rule("a:focus-visible"))
    assert link is not None
    assert outline is not None
    assert int(outline[1]) >= 2
    texts = {"ink": variables["--ink"], "muted": variables["--muted"], "link": link[1]}
    low = {
        (text, where): round(contrast(colour, background), 2)
        for text, colour in texts.items()
        for where, background in backgrounds.items()
        if contrast(colour, background) < AA
    }
    assert low == {}
    assert all(contrast(outline[2], background) >= 3.0 for background in backgrounds.values())


def test_pages_carry_the_stylesheet_with_its_colours_written_in() -> None:
    carried = with_values(SITE_STYLE)
    assert "var(" not in carried
    assert ":root" not in carried
    variables = _variables()
    fail = re.search(r"\.o-fail\{background:(#[0-9a-fA-F]{3,6})", carried)
    band = re.search(r"\.band-b\{background:(#[0-9a-fA-F]{3,6})", carried)
    assert fail is not None
    assert band is not None
    assert fail[1] == variables["--fail"]
    assert band[1] == variables["--band-b"] == "#38801e"  # the site's darker one wins
