"""Licence messages say what the files say: R's CRAN convention, pointers to licence files that
are not there, npm's UNLICENSED, and every place a licence is declared."""

from __future__ import annotations

from pathlib import Path

import pytest

from ospo_scan.model import Outcome
from tests.conftest import RepoFactory
from tests.scanning import evaluate, result

README = "# Survey tools\n\nReads field survey exports. Install with `pip install survey-tools`.\n"


def test_the_cran_convention_is_named_as_such(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "surveyr",
        {
            "README.md": README,
            "DESCRIPTION": "Package: surveyr\nVersion: 0.4.0\nLicense: MIT + file LICENSE\n",
            "LICENSE": "YEAR: 2025\nCOPYRIGHT HOLDER: Agency for Field Data\n",
        },
    )

    found = result(evaluate(repo), "license")

    assert found.outcome is Outcome.PARTIAL
    assert found.message.startswith(
        "Licence MIT is declared in DESCRIPTION with the CRAN convention ('MIT + file LICENSE'): "
        "LICENSE holds only the year and copyright holder"
    )
    assert "not carried as a licence file" not in found.message


@pytest.mark.parametrize(
    ("files", "outcome", "message"),
    [
        (
            {"package.json": '{"name": "tools", "license": "SEE LICENSE IN LICENSE.txt"}'},
            Outcome.FAIL,
            "No licence file found; package.json points to LICENSE.txt, which does not exist.",
        ),
        (
            {"README.md": README + "\n## Licence\n\nMIT, see the [LICENSE](./LICENSE) file.\n"},
            Outcome.PARTIAL,
            "Licence MIT is only declared in the README (README.md), not carried as a licence "
            "file; README.md points to LICENSE, which does not exist.",
        ),
        (
            {"pyproject.toml": '[project]\nname = "tools"\nlicense = {file = "LICENCE.md"}\n'},
            Outcome.FAIL,
            "No licence file found; pyproject.toml points to LICENCE.md, which does not exist.",
        ),
    ],
    ids=["npm", "readme", "pyproject"],
)
def test_a_pointer_to_a_missing_licence_file_says_so(
    git_repo_factory: RepoFactory,
    tmp_path: Path,
    files: dict[str, str],
    outcome: Outcome,
    message: str,
) -> None:
    repo = git_repo_factory(tmp_path / "tools", {"README.md": README, **files})

    found = result(evaluate(repo), "license")

    assert found.outcome is outcome
    assert found.message == message


def test_a_pointer_to_a_licence_file_that_exists_is_not_mentioned(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "tools",
        {
            "README.md": README + "\n## License\n\nMIT, see the [LICENSE](LICENSE) file.\n",
            "LICENSE.md": "MIT License\n\nCopyright (c) 2025 Agency\n",
        },
    )
    assert "does not exist" not in result(evaluate(repo), "license").message


def test_npm_unlicensed_is_reported_by_its_name(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "tools",
        {"README.md": README, "package.json": '{"name": "tools", "license": "UNLICENSED"}'},
    )
    report = evaluate(repo)

    licence = result(report, "license")
    approved = result(report, "license-approved")

    assert licence.outcome is Outcome.FAIL
    assert licence.message == (
        "No licence file, and the only licence declared grants no rights (UNLICENSED: proprietary)."
    )
    assert approved.outcome is Outcome.FAIL
    assert approved.message == "UNLICENSED grants no rights to others: proprietary."
    assert [e.detail for e in approved.evidence] == ["UNLICENSED"]
    assert "scancode" not in licence.message + approved.message


def test_a_licence_declared_in_description_and_readme_names_both(
    git_repo_factory: RepoFactory, tmp_path: Path
) -> None:
    repo = git_repo_factory(
        tmp_path / "surveyr",
        {
            "README.md": README + "\n## License\n\nGPL-3\n",
            "DESCRIPTION": "Package: surveyr\nVersion: 0.4.0\nLicense: GPL-3\n",
        },
    )

    found = result(evaluate(repo), "license")

    assert found.outcome is Outcome.PARTIAL
    assert found.message == (
        "Licence GPL-3.0-only is only declared in the README (README.md) and DESCRIPTION, not "
        "carried as a licence file."
    )
