"""The Markdown summary, rendered the way GitHub renders it (cmark-gfm) and checked as HTML."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from ospo_scan.formats.markdown import ERROR_LIMIT, REPOSITORY_LIMIT, format_markdown
from ospo_scan.model import Report
from ospo_scan.untrusted.markdown import WORD_JOINER, escape_markdown
from tests.formats.sample import HOSTILE_DESCRIPTION, HOSTILE_NAME


class _Page(HTMLParser):
    """Collects the elements, links and table rows of rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.attributes: list[str] = []
        self.rows: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag == "tr":
            self.rows.append(0)
        if tag in ("td", "th"):
            self.rows[-1] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _render(markdown: str) -> _Page:
    # UNSAFE keeps raw HTML in the output, so that injected HTML would show up here.
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    page = _Page()
    page.feed(html)
    return page


def test_hostile_strings_render_as_text(report: Report) -> None:
    page = _render(format_markdown(report))
    assert set(page.tags) <= {
        "h2", "h3", "p", "strong", "em", "table", "thead", "tbody", "tr", "th", "td",
        "a", "code", "br", "ul", "ol", "li", "sub", "blockquote",
    }  # fmt: skip
    assert "script" not in page.tags
    assert "img" not in page.tags
    assert "b" not in page.tags
    assert not [name for name in page.attributes if name.startswith("on")]
    text = "".join(page.text).replace(WORD_JOINER, "")
    assert HOSTILE_NAME in text
    assert HOSTILE_DESCRIPTION.replace("\n", " ") in text
    assert "UN Example <Agency> & [Friends](javascript:x)" in text


def test_only_safe_links_are_made(report: Report) -> None:
    page = _render(format_markdown(report))
    assert sorted(set(page.links)) == [
        "https://baseline.openssf.org/versions/2026-02-19",
        "https://github.com/un-example/formula",
        "https://github.com/un-example/old-site",
        "https://github.com/un-example/private-mirror",
        "https://github.com/un-example/registry",
        "https://ospo-scan.example/rules/license",
        "https://ospo-scan.example/rules/readme",
        "https://ospo-scan.example/rules/security-policy",
        "https://un-example.org/contribute?a=1&b=%3Cx%3E",  # declared; the javascript: one not
        "https://www.digitalpublicgoods.net/standard",
        "https://www.un.org/digital-emerging-technologies/content/open-source-principles",
    ]


def test_pipes_and_newlines_cannot_break_table_rows(report: Report) -> None:
    page = _render(format_markdown(report))
    # frameworks: 6 columns, header + 8 principles, header + 9 indicators, header + the 5
    # Baseline controls un-ospo evidences; failing rules table: 5 columns, header + 4 rules;
    # repositories: 4 columns, header + 5
    assert page.rows == [6] * 9 + [6] * 10 + [6] * 6 + [5] * 5 + [4] * 6


def test_summary_names_score_level_and_most_failed_rule_first(report: Report) -> None:
    markdown = format_markdown(report)
    assert "**Score 64.7 / 100** · level **developing**" in markdown
    assert "4 of 5 repositories in scope · 2 errors" in markdown
    assert "Categories: documentation 81.3 · licensing 83.3 · security 33.3\n" in markdown
    failing = markdown.split("### Rules failing most often")[1].split("### Repositories")[0]
    rows = [line for line in failing.splitlines() if line.startswith("| [") or "`contrib" in line]
    assert rows[0].startswith("| [`security-policy`]")
    assert "| 2 of 3 | 33% | Add SECURITY.md naming a private channel" in rows[0]


def test_errors_are_listed(report: Report) -> None:
    text = "".join(_render(format_markdown(report)).text)
    assert "un-example/private-mirror: GitHub answered 403" in text
    assert "CHANGELOG.md could not be read: too large." in text


def test_bare_urls_addresses_and_mentions_are_not_links() -> None:
    page = _render(
        escape_markdown("see www.evil.example, https://evil.example/x and a@b.example @someone")
    )
    assert page.links == []
    text = "".join(page.text).strip()
    # GitHub links @-mentions after cmark runs; the word joiner keeps `@` and a name apart.
    assert "@" + WORD_JOINER + "someone" in text
    assert text.replace(WORD_JOINER, "") == (
        "see www.evil.example, https://evil.example/x and a@b.example @someone"
    )


def test_empty_entity_says_so(report: Report) -> None:
    empty = dataclasses.replace(report, repositories=())
    markdown = format_markdown(empty)
    assert "No repositories were found." in markdown
    assert "No rule fails in any in-scope repository." in markdown


def test_a_large_entity_stays_within_a_job_summary(report: Report) -> None:
    """GitHub refuses job summaries over 1 MiB: long tables are cut, worst repositories kept."""
    hostile = report.repositories[1]
    broken = report.repositories[4]
    many = tuple(
        dataclasses.replace(hostile, name=f"org/repo-{n:04d}", score=float(n % 100))
        for n in range(2000)
    ) + tuple(dataclasses.replace(broken, name=f"org/broken-{n:02d}") for n in range(80))
    markdown = format_markdown(dataclasses.replace(report, repositories=many))
    assert len(markdown.encode()) < 1024 * 1024
    table = markdown.split("### Repositories")[1].split("Legend:")[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")][1:]
    assert len(rows) == REPOSITORY_LIMIT == 500
    # the 80 unreadable repositories come first, then the lowest scores
    assert rows[0].startswith("| [org/broken-00](https://github.com/un-example/")
    assert rows[80].startswith("| org/repo-0000<br>")
    assert f"{2080 - REPOSITORY_LIMIT} more repositories, scoring higher" in markdown
    errors = markdown.split("### Errors")[1].split("### Warnings")[0]
    assert len([line for line in errors.splitlines() if line.startswith("- org")]) == ERROR_LIMIT
    assert f"- and {80 - ERROR_LIMIT} more in the full report" in errors
    warnings = markdown.split("### Warnings")[1].split("### Fix first")[0]
    assert len([line for line in warnings.splitlines() if line.startswith("- org")]) == ERROR_LIMIT
    assert f"- and {2000 - ERROR_LIMIT} more in the full report" in warnings


def test_prose_is_left_readable() -> None:
    text = "Add SECURITY.md, then run it: see docs/guide.md (section 2) - done."
    assert escape_markdown(text) == text
    assert escape_markdown("0.1.0") == "0.1.0"  # mid-line, a number cannot start a list
    assert escape_markdown("0.1.0", at_line_start=True) == "0\\.1.0"


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "- not a list",
        "+ not a list",
        "1. not a list",
        "12) not a list",
        "= not an underline",
        "> not a quote",
        "**not bold** and _not em_",
        "`not code`",
        "&lt; is not an entity",
        "$x^2$ is not maths",
        "~~not struck~~",
        "a | b",
        "<b>not html</b>",
        "![not an image](https://evil.example/x.png)",
    ],
)
def test_what_markdown_would_interpret_renders_literally(text: str) -> None:
    for line in (text, f"- {text}", f"> {text}"):
        # each way formatters place escaped text: alone, in a list item, in a quote
        prefix = line[: len(line) - len(text)]
        page = _render(prefix + escape_markdown(text, at_line_start=True))
        rendered = "".join(page.text).replace(WORD_JOINER, "").strip()
        assert rendered == text, line
        assert set(page.tags) <= {"p", "ul", "li", "blockquote"}, line


def test_the_summary_ends_with_warnings_and_what_to_fix_first(report: Report) -> None:
    markdown = format_markdown(report)
    warnings = markdown.split("### Warnings\n\n", 1)[1].split("\n\n", 1)[0]
    assert warnings == (
        "- evil-org/\\<b\\>bold\\</b\\>\\|\\`x\\`\\[y\\](javascript:z): skipped a symbolic "
        "link leaving the repository: docs/\\<evil\\>"
    )
    fix = markdown.split("### Fix first\n\n", 1)[1]
    steps = [line for line in fix.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert steps[0].startswith("1. **+")
    assert "add SECURITY.md to the organisation's .github repository" in steps[0]
    assert fix.rstrip().splitlines()[-1].startswith("<sub>ospo-scan ")


def test_each_framework_is_a_table_of_its_items(report: Report) -> None:
    markdown = format_markdown(report)
    assert (
        "| 3 | Secure by design | 33.3 | partly evidenced | `security-policy` 33.3 · "
        "`dependency-updates` — · `branch-protection` — | partly |"
    ) in markdown
    # declared only: no score, never 0; the declared answer links the entity's evidence
    assert (
        "| 2 | Contribute back | — | declared | no rule "
        "| [yes](https://un-example.org/contribute?a=1&b=%3Cx%3E) |"
    ) in markdown
    assert (
        "| 7 | RISE (recognize, incentivize, support and empower) | — | declared "
        "| `contributors-acknowledged` — | no |"
    ) in markdown
    assert (
        "| 5 | Documentation | 83.3 | partly evidenced | `readme` 83.3 · `readme-usage` — | — |"
        in markdown
    )
