"""README, contributing guide, code of conduct and changelog rules on real git repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.model import EvidenceSource, Outcome
from tests.conftest import RepoFactory
from tests.gitrepos import Symlink, make_repo
from tests.scanning import evaluate, local_snapshot, local_snapshots, outcome, result

README_FULL = """# Water Points

Maps of rural water points for district engineers.

## Installation

    pip install water-points

## Usage

    water-points serve
"""

README_LONG_LINES = (
    "# Rural Health Dashboard\n\n"
    + "The dashboard brings together facility reports from district health offices so that "
    "programme managers can see stock levels, staffing gaps and referral times on one page, "
    "updated every night from the national reporting system.\n\n"
    + "It was built with three ministries of health and is maintained by a small team that "
    "welcomes questions, bug reports and ideas from anyone who works with the data, whether "
    "in a ministry, a partner organisation or a university.\n\n"
    + "Read the documentation at https://dashboard.example.org/docs to learn how the figures "
    "are computed, which sources feed them and how to deploy your own copy for a region.\n"
)
"""A title and three paragraphs, each on one physical line (98 words, a link)."""

GUIDE = """# Contributing

Open an issue before a large change so we can agree on the approach together.
Fork the repository, create a branch, and keep each pull request small and focused.
Run the tests with `pytest` and the linter with `ruff check` before you push.
A maintainer reviews every pull request within a week.
"""


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"README.md": README_FULL}, Outcome.PASS),
        ({"docs/README.rst": README_FULL}, Outcome.PASS),
        ({"readme": "This line describes the project in plain words.\n" * 6}, Outcome.PASS),
        ({"README.md": README_LONG_LINES}, Outcome.PASS),
        (
            {"README.md": "# water-points\n\nMaps of water points.\nFor engineers.\n"},
            Outcome.PARTIAL,
        ),
        ({"README.md": "# water-points\n"}, Outcome.PARTIAL),
        ({"README.md": "# water-points\n\nTODO\n"}, Outcome.PARTIAL),
        ({"README.md": ""}, Outcome.FAIL),
        ({"README.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)}, Outcome.FAIL),
        ({"main.py": "print('hello')\n"}, Outcome.FAIL),
    ],
    ids=[
        "full",
        "docs-rst",
        "plain-lines",
        "long-lines",
        "short-lines",
        "title-only",
        "todo",
        "empty",
        "binary",
        "none",
    ],
)
def test_readme(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str | bytes], expected: Outcome
) -> None:
    repo = git_repo_factory(tmp_path / "repo", files)
    assert outcome(repo, "readme") is expected


def test_readme_binary_beside_text_uses_the_text(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "repo", {"README": b"\x00\x01\x02binary", "README.md": README_FULL}
    )
    found = result(evaluate(repo), "readme")
    assert found.outcome is Outcome.PASS
    assert found.evidence[0].path == "README.md"


def test_readme_in_latin1_is_read(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    text = (
        "# Système d'alerte précoce\n\nPrévisions des crues pour les équipes régionales.\n\n"
        "## Installation\n\nExécutez `make install` après la copie.\n"
    )
    repo = git_repo_factory(tmp_path / "repo", {"README.md": text.encode("latin-1")})
    decoded = local_snapshot(repo).read_text("README.md")
    assert decoded is not None
    assert "Système d'alerte précoce" in decoded.text
    assert result(evaluate(repo), "readme").outcome is Outcome.PASS


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"CONTRIBUTING.md": GUIDE}, Outcome.PASS),
        ({".github/CONTRIBUTING.md": GUIDE}, Outcome.PASS),
        ({"docs/contributing.rst": GUIDE}, Outcome.PASS),
        ({"CONTRIBUTING.md": "# Contributing\n\nPRs welcome!\n"}, Outcome.FAIL),
        ({"CONTRIBUTING.md": "# Contributing\n\nTODO: write this guide.\n"}, Outcome.FAIL),
        (
            {
                "CONTRIBUTING.md": "Please read our [contributing handbook]"
                "(https://handbook.example.org/contributing) before you open a pull request.\n"
            },
            Outcome.PASS,
        ),
        ({"CONTRIBUTING.fr.md": GUIDE}, Outcome.PASS),
        ({"CONTRIBUTING.md": "   \n"}, Outcome.FAIL),
        ({"README.md": README_FULL}, Outcome.FAIL),
    ],
    ids=["root", "dot-github", "docs", "stub", "todo", "pointer", "translated", "blank", "none"],
)
def test_contributing(
    git_repo_factory: RepoFactory, tmp_path: Path, files: dict[str, str], expected: Outcome
) -> None:
    repo = git_repo_factory(tmp_path / "repo", files)
    assert outcome(repo, "contributing") is expected


def test_thirty_megabyte_contributing_is_judged_on_its_beginning(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    huge = GUIDE + ("More guidance for contributors follows here.\n" * 700_000)
    assert len(huge) > 30_000_000
    repo = git_repo_factory(tmp_path / "repo", {"CONTRIBUTING.md": huge})
    assert outcome(repo, "contributing") is Outcome.PASS


def test_code_of_conduct_and_contributing_inherited_from_org_defaults(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    entity = tmp_path / "entity"
    git_repo_factory(
        entity / ".github", {"CODE_OF_CONDUCT.md": "Be kind. " * 20, "docs/CONTRIBUTING.md": GUIDE}
    )
    git_repo_factory(entity / "app", {"README.md": README_FULL})
    git_repo_factory(entity / "own", {"README.md": README_FULL, "CODE_OF_CONDUCT.md": ""})
    snapshots = {s.name: s for s in local_snapshots(entity)}
    from ospo_scan.scan.evaluation import evaluate_repository
    from tests.scanning import default_ruleset

    app = evaluate_repository(snapshots["app"], default_ruleset())
    conduct = result(app, "code-of-conduct")
    assert conduct.outcome is Outcome.PASS
    assert conduct.evidence[0].source is EvidenceSource.ORGANISATION_DEFAULT
    assert conduct.evidence[0].path == "CODE_OF_CONDUCT.md"
    contributing = result(app, "contributing")
    assert contributing.outcome is Outcome.PASS
    assert contributing.evidence[0].path == "docs/CONTRIBUTING.md"
    # A repository's own (empty) file takes precedence over the default, as on GitHub.
    own = evaluate_repository(snapshots["own"], default_ruleset())
    assert result(own, "code-of-conduct").outcome is Outcome.FAIL


def test_changelog_names(git_repo_factory: RepoFactory, tmp_path: Path) -> None:
    for index, name in enumerate(["CHANGELOG.md", "HISTORY.rst", "NEWS", "docs/CHANGES.txt"]):
        repo = git_repo_factory(tmp_path / f"r{index}", {name: "## 1.0\n- first release\n"})
        assert outcome(repo, "changelog") is Outcome.PASS, name
    repo = git_repo_factory(tmp_path / "none", {"news.py": "print()\n"})
    assert outcome(repo, "changelog") is Outcome.FAIL


def test_link_out_of_the_repository_is_not_evidence(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo", {"CODE_OF_CONDUCT.md": Symlink("/etc/passwd")}, home=tmp_path / "home"
    )
    found = result(evaluate(repo), "code-of-conduct")
    assert found.outcome is Outcome.FAIL
    assert "leaves the repository" in found.message
    assert "root:" not in found.message


def test_main_readme_is_preferred_to_a_translation(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "repo", {"README.es.md": README_FULL, "README.md": README_FULL, "readme.py": "x"}
    )
    found = result(evaluate(repo), "readme")
    assert found.evidence[0].path == "README.md"


def test_readme_words_are_counted_whatever_the_line_breaks(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(tmp_path / "repo", {"README.md": README_LONG_LINES})
    assert result(evaluate(repo), "readme").message == "README README.md has 98 words of content."
