"""`rules list` and `rules show`: fitted to the terminal, and saying everything a rule reads."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ospo_scan.cli import main
from ospo_scan.config import load_ruleset


def _run(*arguments: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(arguments), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_rules_list_fits_80_columns_and_aligns_its_columns() -> None:
    code, out, _ = _run("rules", "list")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = lines[1]
    checks = header.index("checks")
    rows = [line for line in lines[3:] if line[:1].strip()]
    # 23: one row per rule of the default ruleset, none wrapped onto two
    assert len(rows) == len(load_ruleset("un-ospo", load_plugins=False).rules)
    assert all(line[checks - 1] == " " and line[checks].strip() for line in rows)
    assert any(line.startswith("security-policy ") for line in rows)


def test_rules_list_uses_the_terminal_width() -> None:
    code, out, _ = _run("rules", "list", env={"COLUMNS": "120"})
    assert code == 0
    widths = [len(line) for line in out.splitlines()]
    assert 80 < max(widths) <= 120


def test_rules_show_says_which_files_and_what_a_stub_is() -> None:
    code, out, _ = _run("rules", "show", "readme")
    assert code == 0
    text = " ".join(out.split())
    assert "files searched: README in any case" in text
    assert "looked for in .github/, the root, docs/, in that order" in text
    assert "counts as a stub (partial): fewer than 40 words of prose" in text
    code, out, _ = _run("rules", "show", "contributing")
    text = " ".join(out.split())
    assert "else inherited from the organisation's .github repository" in text
    assert "counts as a stub (fail): fewer than 20 words of prose" in text


def test_rules_show_gives_option_values(tmp_path: Path) -> None:
    code, out, _ = _run("rules", "show", "recent-activity")
    assert code == 0
    assert "option max_age_days = 365 (set by the ruleset)" in out
    custom = tmp_path / "quiet.toml"
    custom.write_text(
        'id = "quiet"\n[rules.recent-activity]\n[rules.publiccode]\n', encoding="utf-8"
    )
    code, out, _ = _run("rules", "show", "recent-activity", "--ruleset", str(custom))
    assert "option max_age_days = 365 (default)" in out
    code, out, _ = _run("rules", "show", "publiccode", "--ruleset", str(custom))
    assert "option required = false (default)" in out


def test_a_rule_the_ruleset_disables_is_not_unknown(tmp_path: Path) -> None:
    lean = tmp_path / "lean.toml"
    lean.write_text(
        'id = "lean"\nextends = "un-ospo"\n[rules.changelog]\nenabled = false\n', encoding="utf-8"
    )
    code, out, err = _run("rules", "show", "changelog", "--ruleset", str(lean))
    assert code == 0, err
    assert out.splitlines()[0] == "changelog: disabled in this ruleset (lean)"
    code, out, _ = _run("rules", "list", "--ruleset", str(lean))
    assert "disabled in this ruleset: changelog" in out
    code, _, err = _run("rules", "show", "chnagelog", "--ruleset", str(lean))
    assert code == 2
    assert "unknown rule id 'chnagelog'" in err


def test_the_long_url_of_a_rule_is_never_cut() -> None:
    _, out, _ = _run("rules", "show", "security-policy")
    url = (
        "https://docs.github.com/en/code-security/getting-started/"
        "adding-a-security-policy-to-your-repository"
    )
    assert url in out.split()
    assert "more: " + url in " ".join(out.split())


NEW_RULE_EXPLANATIONS = {
    "issue-templates": "Markdown or YAML files (issue forms) in .github/ISSUE_TEMPLATE/",
    "newcomer-issues": "the labels merely existing does not count",
    "versioned-releases": "a tag or host release named as a semantic version: MAJOR.MINOR.PATCH",
    "package-manifest": "pyproject.toml (Python)",
    "readme-usage": "length alone never counts",
    "contributors-acknowledged": "CITATION.cff with authors",
    "recent-committers": "bots (`[bot]`, dependabot, renovate) left out",
    "support-policy": "or a repostatus.org status badge",
    "recent-activity": "the commit date of the head commit read from `.git`",
}


def test_rules_show_says_what_counts_for_each_principle_rule() -> None:
    for rule, phrase in NEW_RULE_EXPLANATIONS.items():
        code, out, _ = _run("rules", "show", rule)
        assert code == 0, rule
        assert phrase in " ".join(out.split()), rule
