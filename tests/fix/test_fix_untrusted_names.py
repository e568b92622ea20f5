"""Names from directories and the entity profile are untrusted in what fix mode writes and shows.

A crafted directory name or entity name must not add a registry to dependabot.yml, an owner to
CODEOWNERS, a link or HTML to SECURITY.md, or an escape sequence to the terminal: real entities
of git repositories, fixed through the command line, the files read back (YAML parsed, Markdown
rendered by cmark-gfm, GitHub's own renderer).
"""

from __future__ import annotations

import re
from pathlib import Path

import cmarkgfm
import yaml
from click.testing import CliRunner
from cmarkgfm.cmark import Options

from ospo_scan.cli import main
from ospo_scan.fix.files import dependabot_updates
from tests.conftest import RepoFactory
from tests.fix.entities import CONTACTS_TOML

README = "# App\n\nInstall with pip install app, then run app.\n"
CRAFTED = 'web\n* @attacker\nregistries:\n  evil:\n    type: "npm-registry"\n    token: "x"\n# '
"""A directory name that, written as it is, adds an owner to CODEOWNERS and a registry to
dependabot.yml."""


def _fix(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["fix", *arguments], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _entity(tmp_path: Path, factory: RepoFactory, name: str, child: str) -> Path:
    entity = tmp_path / "entity"
    entity.mkdir()
    profile = f"name = {name!r}\n".replace("'", '"') if '"' not in name else ""
    (entity / "ospo-entity.toml").write_text(profile + CONTACTS_TOML, encoding="utf-8")
    factory(entity / child, {"README.md": README, "pyproject.toml": '[project]\nname = "w"\n'})
    return entity


def test_a_crafted_directory_name_adds_no_registry_and_no_owner(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = _entity(tmp_path, git_repo_factory, "Agency", CRAFTED)

    code, _, err = _fix(str(entity), "--write", "--per-repository")

    assert code == 0, err
    github = entity / CRAFTED / ".github"
    dependabot = yaml.safe_load((github / "dependabot.yml").read_text(encoding="utf-8"))
    assert dependabot == {
        "version": 2,
        "updates": [
            {"package-ecosystem": "pip", "directory": "/", "schedule": {"interval": "weekly"}}
        ],
    }
    codeowners = (github / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
    assert [line for line in codeowners if not line.startswith("#")] == ["*  @agency/ospo"]
    (named,) = [line for line in codeowners if line.startswith("# Who reviews and maintains")]
    assert "web\\x0a* @attacker\\x0aregistries:" in named  # the name, on its own line


def test_an_entity_name_adds_no_markdown_or_html_to_the_files(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    name = "Agency <img src=x onerror=alert(1)> [prize](https://evil.example) **now**"
    child = "# [app](javascript:alert(1))"
    entity = _entity(tmp_path, git_repo_factory, name, child)

    code, _, err = _fix(str(entity), "--write", "--per-repository")

    assert code == 0, err
    for file in ("SECURITY.md", "CONTRIBUTING.md", "GOVERNANCE.md"):
        markdown = (entity / child / file).read_text(encoding="utf-8")
        html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
        assert "<img" not in html, file
        links = re.findall(r'href="([^"]*)"', html)
        assert not [link for link in links if "evil" in link or "javascript" in link], file
        assert "<strong>now</strong>" not in html, file
        assert "<h1>" not in html.split("</h1>", 1)[-1], file  # the name opens no heading
        assert "&lt;img src=x onerror=alert(1)&gt; [prize](https" in html, file


def test_the_plan_shows_names_with_their_escapes_neutralised(
    tmp_path: Path, git_repo_factory: RepoFactory
) -> None:
    entity = _entity(tmp_path, git_repo_factory, "Agency\u202e", "app\x1b]0;pwned\x07")

    code, out, err = _fix(str(entity), "--per-repository")

    assert code == 0, err
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in out
    assert "== app\\x1b]0;pwned\\x07" in out
    assert "Fix plan for Agency\\u202e (local" in out


def test_dependabot_directories_stay_one_yaml_value_each() -> None:
    crafted = '/svc"\n    registries: "*'
    text = dependabot_updates({"npm": [crafted, "/web\u202e"], "pip": ["/"]})
    updates = yaml.safe_load("updates:\n" + text)["updates"]

    assert [sorted(entry) for entry in updates] == [
        ["directories", "package-ecosystem", "schedule"],
        ["directory", "package-ecosystem", "schedule"],
    ]
    assert updates[0]["directories"] == [crafted, "/web\u202e"]
    assert "\u202e" not in text
